import { randomUUID } from "node:crypto";
import fastifyWebsocket, { type WebSocket, type WebsocketHandler } from "@fastify/websocket";
import type { FastifyInstance, FastifyRequest } from "fastify";
import {
  type DocumentNode,
  type ExecutionArgs,
  type GraphQLError,
  type GraphQLFormattedError,
  type GraphQLSchema,
  getOperationAST,
  type OperationDefinitionNode,
  type ParseOptions,
  parse,
  specifiedRules,
  type ValidationRule,
  validate,
} from "graphql";
import { CloseCode, type Context as ConnectionContext, makeServer } from "graphql-ws";
import { LRUCache } from "lru-cache";
import { InvalidTokenError, type Viewer } from "../auth/tokens.js";
import { ClientError, unauthenticated } from "../errors/index.js";
import type { Logger } from "../logger/index.js";
import { subscribeWithEventContexts } from "./event-execution.js";

/**
 * WebSocket close codes a client may meet, besides graphql-ws's own (4400 bad message, 4403 refused
 * connection, 4408 no `connection_init` in time, 4409 duplicate subscription id, 4429 repeated
 * `connection_init`) and the standard 1009 (message too big). Documented in the README.
 */
export const closeCodes = {
  /** Shutting down: reconnect (the load balancer sends you to another instance). */
  goingAway: 1001,
  /** The access token is invalid, expired or its session revoked: refresh it and reconnect. */
  sessionEnded: 4401,
  /** This address or account already has the most connections allowed. */
  tooManyConnections: 4430,
  /** The client did not read its messages and too many waited for it. */
  tooSlow: 4431,
} as const;

export type SubscriptionLimits = Readonly<{
  maxConnectionsPerAddress: number;
  maxConnectionsPerUser: number;
  maxSubscriptionsPerConnection: number;
  /** Time a client has to send `connection_init` after connecting. */
  initTimeoutMs: number;
  /** Ping interval; a client that has not answered the previous ping by the next one is dropped. */
  keepAliveMs: number;
  /** Largest message a client may send (the socket closes with 1009 beyond it). */
  maxMessageBytes: number;
  /** Bytes that may wait for a client that does not read before it is dropped (4431). */
  maxBufferedBytes: number;
}>;

/** A signed-in or anonymous WebSocket connection, as the context builder sees it. */
export type Connection = Readonly<{
  id: string;
  viewer: Viewer | null;
  ip: string;
  userAgent: string | null;
  log: Logger;
}>;

export type SubscriptionServerOptions<Context> = Readonly<{
  schema: GraphQLSchema;
  limits: SubscriptionLimits;
  /** Verifies the access token exactly like the HTTP bearer; throws InvalidTokenError. */
  verifyToken(token: string): Promise<Viewer & { expiresAt: Date }>;
  isRevoked(sessionId: string): boolean;
  /** Parse and validation limits (tokens, depth, aliases, ...); null without the protection stages. */
  documentLimits: Readonly<{ parseOptions: ParseOptions; validationRules: ValidationRule[] }> | null;
  /** Prices and charges a subscription before it starts; returns the refusal, if any. */
  admit(
    context: Context,
    document: DocumentNode,
    operation: OperationDefinitionNode,
    variables: Record<string, unknown> | undefined,
  ): Promise<GraphQLError | null>;
  /** A new context: once for the subscription (its root `subscribe`), then once per event. */
  createContext(connection: Connection, requestId: string): Context;
  /** What the client sees of errors: masked, coded, with the request id; unexpected ones logged. */
  presentErrors(errors: readonly GraphQLError[], requestId: string, log: Logger): GraphQLFormattedError[];
  log: Logger;
}>;

export type SubscriptionServer = {
  /** For `app.route({ wsHandler })` on the GraphQL path. */
  handler: WebsocketHandler;
  readonly connections: number;
  readonly subscriptions: number;
  /** Closes every connection with 1001 (after the HTTP drain: mutations in flight have published). */
  close(): void;
};

type Extra = { socket: WebSocket; request: FastifyRequest; connection: Connection | null };
type Ctx = ConnectionContext<Record<string, unknown> | undefined, Extra>;

/**
 * GraphQL subscriptions over WebSocket (the graphql-ws protocol) on the GraphQL path: the handler is
 * graphql-ws's own server core, with the socket plumbing of its `@fastify/websocket` starter rewritten
 * for what it leaves out: the access token from `connection_init` checked like the HTTP bearer (and the
 * connection closed when it expires or its session is revoked), per-address and per-user connection
 * limits, the HTTP path's document limits and cost, a bound on what waits for a slow reader, and a
 * shutdown that closes with 1001. Only subscriptions: queries and mutations go over HTTP, where the
 * budgets, field limits and caching are.
 */
export async function registerSubscriptionServer<Context extends object & { requestId: string }>(
  app: FastifyInstance,
  options: SubscriptionServerOptions<Context>,
): Promise<SubscriptionServer> {
  const { limits, log } = options;
  // Shutdown closes the sockets itself (close() below), after the HTTP drain.
  await app.register(fastifyWebsocket, {
    options: { maxPayload: limits.maxMessageBytes },
    preClose: (done) => done(),
  });

  const open = new Set<Extra>();
  const perAddress = new Map<string, number>();
  const perUser = new Map<string, number>();
  const count = (map: Map<string, number>, key: string, delta: number) => {
    const next = (map.get(key) ?? 0) + delta;
    if (next <= 0) map.delete(key);
    else map.set(key, next);
    return next;
  };
  const closeWith = (extra: Extra, code: number, reason: string) => {
    extra.connection?.log.info({ code, reason }, "closing subscription connection");
    extra.socket.close(code, reason);
  };

  // Sessions revoked after the connection was made (logout, password change): checked every second.
  const revocationSweep = setInterval(() => {
    for (const extra of open) {
      const sessionId = extra.connection?.viewer?.sessionId;
      if (sessionId && options.isRevoked(sessionId)) closeWith(extra, closeCodes.sessionEnded, "Session revoked");
    }
  }, 1_000);
  revocationSweep.unref();

  const documentRules = [...specifiedRules, ...(options.documentLimits?.validationRules ?? [])];
  // Thousands of clients subscribe with the same few documents: each is parsed and validated once, and
  // its syntax tree shared (as Apollo's document cache does for HTTP).
  const documents = new LRUCache<string, { document: DocumentNode } | { errors: readonly GraphQLError[] }>({
    max: 1_000,
  });
  const checkDocument = (query: string) => {
    let checked = documents.get(query);
    if (!checked) {
      try {
        const document = parse(query, options.documentLimits?.parseOptions);
        const invalid = validate(options.schema, document, documentRules);
        checked = invalid.length > 0 ? { errors: invalid } : { document };
      } catch (error) {
        checked = { errors: [error as GraphQLError] };
      }
      documents.set(query, checked);
    }
    return checked;
  };
  let subscriptions = 0;
  const subscriptionsByContext = new WeakMap<Context, { connection: Connection; id: string }>();

  const server = makeServer<Record<string, unknown> | undefined, Extra>({
    schema: options.schema,
    connectionInitWaitTimeout: limits.initTimeoutMs,
    async onConnect(ctx) {
      const { request } = ctx.extra;
      const base = { ip: request.ip, userAgent: request.headers["user-agent"] ?? null };
      const id = randomUUID();
      let viewer: (Viewer & { expiresAt: Date }) | null = null;
      const authorization = ctx.connectionParams?.authorization;
      if (authorization !== undefined) {
        const token = typeof authorization === "string" ? /^Bearer\s+(\S+)$/i.exec(authorization)?.[1] : undefined;
        try {
          if (!token) throw new InvalidTokenError("malformed authorization");
          viewer = await options.verifyToken(token);
          if (viewer.sessionId && options.isRevoked(viewer.sessionId)) throw new InvalidTokenError("session revoked");
        } catch (error) {
          if (!(error instanceof InvalidTokenError)) throw error;
          log.info({ reason: error.reason, ip: base.ip }, "subscription connection: rejected access token");
          ctx.extra.socket.close(closeCodes.sessionEnded, "Invalid or expired access token");
          return false;
        }
      }
      if (viewer && count(perUser, viewer.id, 1) > limits.maxConnectionsPerUser) {
        count(perUser, viewer.id, -1);
        ctx.extra.socket.close(closeCodes.tooManyConnections, "Too many connections for this account");
        return false;
      }
      const connection: Connection = {
        id,
        viewer,
        ...base,
        log: log.child({ connectionId: id, ...(viewer ? { userId: viewer.id } : {}) }),
      };
      ctx.extra.connection = connection;
      if (viewer) {
        const timer = setTimeout(
          () => closeWith(ctx.extra, closeCodes.sessionEnded, "Access token expired"),
          Math.max(0, viewer.expiresAt.getTime() - Date.now()),
        );
        timer.unref();
        ctx.extra.socket.once("close", () => clearTimeout(timer));
      }
      connection.log.info({ connections: open.size }, "subscription connection opened");
      return true;
    },

    async onSubscribe(ctx, id, payload) {
      const connection = ctx.extra.connection;
      if (!connection) return [unauthenticated("Send connection_init first.")];
      if (Object.keys(ctx.subscriptions).length > limits.maxSubscriptionsPerConnection) {
        return [
          new ClientError(
            "TOO_MANY_SUBSCRIPTIONS",
            `A connection may hold ${limits.maxSubscriptionsPerConnection} subscriptions at once: complete one first, or open another connection.`,
          ),
        ];
      }
      const checked = checkDocument(payload.query);
      if ("errors" in checked) return checked.errors;
      const { document } = checked;
      const operation = getOperationAST(document, payload.operationName);
      if (!operation) return [new ClientError("OPERATION_RESOLUTION_FAILURE", "Name the operation to run.")];
      if (operation.operation !== "subscription") {
        return [
          new ClientError(
            "BAD_REQUEST",
            "Only subscriptions are accepted over WebSocket: send queries and mutations over HTTP.",
          ),
        ];
      }
      const context = options.createContext(connection, `${connection.id}:${id}`);
      const refusal = await options.admit(context, document, operation, payload.variables ?? undefined);
      if (refusal) return [refusal];
      subscriptions++;
      connection.log.info({ operationName: operation.name?.value ?? null, subscriptionId: id }, "subscribed");
      const args: ExecutionArgs = {
        schema: options.schema,
        document,
        operationName: payload.operationName,
        variableValues: payload.variables,
        contextValue: context,
      };
      subscriptionsByContext.set(context, { connection, id });
      return args;
    },

    // Each event runs with a context of its own (fresh loaders, its own request id and deadline).
    subscribe(args) {
      const owner = subscriptionsByContext.get(args.contextValue as Context);
      if (!owner) throw new Error("subscription without a connection");
      let events = 0;
      return subscribeWithEventContexts(args, () =>
        options.createContext(owner.connection, `${owner.connection.id}:${owner.id}:${++events}`),
      );
    },

    onNext(ctx, _id, _payload, args, result) {
      if (!result.errors) return;
      const { requestId } = args.contextValue as Context;
      return { ...result, errors: present(ctx, requestId, result.errors) } as never;
    },

    onError(ctx, id, _payload, errors) {
      return present(ctx, `${ctx.extra.connection?.id ?? "connection"}:${id}`, errors);
    },

    onComplete() {
      subscriptions--;
    },
  });

  const present = (ctx: Ctx, requestId: string, errors: readonly GraphQLError[]) =>
    options.presentErrors(errors, requestId, ctx.extra.connection?.log ?? log);

  const handler: WebsocketHandler = (socket, request) => {
    const address = request.ip;
    if (count(perAddress, address, 1) > limits.maxConnectionsPerAddress) {
      count(perAddress, address, -1);
      log.info({ ip: address }, "subscription connection refused: too many from this address");
      socket.close(closeCodes.tooManyConnections, "Too many connections from this address");
      return;
    }
    const extra: Extra = { socket, request, connection: null };
    open.add(extra);

    // Keep-alive: a peer that has not answered the last ping by the next one is gone.
    let alive = true;
    socket.on("pong", () => {
      alive = true;
    });
    const pinger = setInterval(() => {
      if (!alive) return socket.terminate();
      alive = false;
      socket.ping();
    }, limits.keepAliveMs);
    pinger.unref();

    const closed = server.opened(
      {
        protocol: socket.protocol,
        // Not waiting for the write: a client that does not read shows as a growing buffer, and is
        // dropped past the bound instead of holding events (and memory) for everyone behind it.
        send: async (data) => {
          if (socket.readyState !== socket.OPEN) return;
          socket.send(data);
          if (socket.bufferedAmount > limits.maxBufferedBytes) {
            log.warn(
              { ip: address, bufferedBytes: socket.bufferedAmount },
              "subscription client too slow; dropping it",
            );
            socket.close(closeCodes.tooSlow, "Too slow: messages were not read");
            setTimeout(() => socket.terminate(), 1_000).unref();
          }
        },
        close: (code, reason) => socket.close(code, reason),
        onMessage: (receive) => {
          socket.on("message", (data) => {
            receive(String(data)).catch((error: unknown) => {
              log.error({ err: error }, "subscription message handling failed");
              socket.close(CloseCode.InternalServerError, "Internal server error");
            });
          });
        },
      },
      extra,
    );
    socket.on("error", (error) => log.warn({ err: error }, "subscription socket error"));
    socket.once("close", (code, reason) => {
      clearInterval(pinger);
      open.delete(extra);
      count(perAddress, address, -1);
      const viewer = extra.connection?.viewer;
      if (viewer) count(perUser, viewer.id, -1);
      closed(code, String(reason)).catch(() => {});
      extra.connection?.log.info({ code, connections: open.size }, "subscription connection closed");
    });
  };

  return {
    handler,
    get connections() {
      return open.size;
    },
    get subscriptions() {
      return subscriptions;
    },
    close() {
      clearInterval(revocationSweep);
      for (const extra of open) extra.socket.close(closeCodes.goingAway, "Server shutting down");
    },
  };
}
