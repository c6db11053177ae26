import { Readable } from "node:stream";
import { type ApolloServer, type BaseContext, HeaderMap, type HTTPGraphQLRequest } from "@apollo/server";
import type { ApolloFastifyContextFunction } from "@as-integrations/fastify";
import type { WebsocketHandler } from "@fastify/websocket";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { countStatements, type StatementCount } from "../db/statement-count.js";
import { replyWithFastifyError, sendGraphQLError, withRequestId } from "../errors/http-responses.js";
import { deadlineMessage } from "./deadline.js";
import {
  acceptDocumentId,
  isUntrustedRequest,
  type OperationManifest,
  persistedQueryMistake,
} from "./persisted-operations.js";

export type GraphQLRouteOptions<Context extends BaseContext> = Readonly<{
  path?: string;
  context: ApolloFastifyContextFunction<Context>;
  /** Largest accepted request body. */
  bodyLimitBytes: number;
  /** Execution deadline: past it the client gets TIMEOUT (503) and resolvers stop starting work. */
  deadlineMs: number;
  /** Trusted-documents mode: only these operations are accepted. Null: any. */
  trustedOperations: OperationManifest | null;
  /**
   * Runs each request so that, past its deadline, the database statements it still has running are
   * cancelled (Database#cancellable). Without it they run on until they end or time out.
   */
  cancellable?: <T>(work: () => Promise<T>) => { result: Promise<T>; cancel(): Promise<number> };
  /** Persisted queries are on (auto or trusted): mistakes in the APQ extension are answered here. */
  persistedQueries: boolean;
  /** Subscriptions: a GET that asks to upgrade to WebSocket goes here (platform/realtime). */
  wsHandler?: WebsocketHandler;
  /** Told the size of each DataLoader batch the request dispatches (metrics; statement-count.ts). */
  onLoaderBatch?: (size: number) => void;
}>;

declare module "fastify" {
  interface FastifyRequest {
    /** Epoch milliseconds by which this GraphQL request must be answered. */
    graphqlDeadline: number;
  }
}

const TIMED_OUT = Symbol("timed out");

/**
 * The GraphQL endpoint: Apollo's Fastify handler inside a route of our own, which adds what the stock
 * `fastifyApollo` plugin cannot: a body-size limit, an execution deadline, the trusted-documents check
 * (before Apollo parses anything), and GraphQL-shaped bodies with a request id for errors Fastify raises
 * itself (bad JSON, body too large) and for the ones Apollo answers before any plugin runs (CSRF
 * prevention, batched arrays, an unacceptable `Accept`).
 */
export async function registerGraphQLRoute<Context extends BaseContext>(
  app: FastifyInstance,
  apollo: ApolloServer<Context>,
  options: GraphQLRouteOptions<Context>,
): Promise<void> {
  app.decorateRequest("graphqlDeadline", 0);
  const handle = async (request: FastifyRequest, reply: FastifyReply) => {
    const response = await apollo.executeHTTPGraphQLRequest({
      httpGraphQLRequest: toGraphQLRequest(request),
      context: () => options.context(request, reply),
    });
    for (const [name, value] of response.headers) reply.header(name, value);
    // A GET persisted query the response cache answered carries an ETag (platform/cache): the client's
    // copy is still current, so no body.
    const etag = response.headers.get("etag");
    if (request.method === "GET" && etag && (response.status ?? 200) === 200 && matches(request, etag)) {
      return reply.code(304).send();
    }
    reply.code(response.status ?? 200);
    if (response.body.kind === "chunked") return reply.send(Readable.from(response.body.asyncIterator));
    // Apollo answers some refusals itself, before any plugin could add the request id.
    return response.status !== undefined && response.status >= 400
      ? withRequestId(response.body.string, request.id, request.traceSpans?.traceId)
      : response.body.string;
  };

  await app.register(async (scope) => {
    scope.setErrorHandler(replyWithFastifyError);

    const url = options.path ?? "/graphql";
    const route = {
      url,
      // HEAD would reach Apollo, which answers 405: leave it to the not-found handler's 405 with `Allow`.
      exposeHeadRoute: false,
      bodyLimit: options.bodyLimitBytes,
      async handler(request: FastifyRequest, reply: FastifyReply) {
        // Not a CORS preflight (the CORS plugin answers those before routing): say what the endpoint takes.
        if (request.method === "OPTIONS") return reply.code(204).header("allow", "GET, POST, OPTIONS").send();
        const payload = request.method === "GET" ? request.query : request.body;
        acceptDocumentId(payload, request.method);
        if (options.trustedOperations) {
          if (isUntrustedRequest(options.trustedOperations, payload)) {
            return sendGraphQLError(
              request,
              reply,
              400,
              "PERSISTED_QUERY_NOT_IN_LIST",
              "This server runs only operations from its published manifest; send the hash of one of them.",
            );
          }
        }
        const mistake = options.persistedQueries ? persistedQueryMistake(payload) : null;
        if (mistake) {
          return sendGraphQLError(request, reply, 400, mistake.code, mistake.message, { field: mistake.field });
        }
        request.graphqlDeadline = Date.now() + options.deadlineMs;
        let timer: NodeJS.Timeout | undefined;
        const deadline = new Promise<typeof TIMED_OUT>((resolve) => {
          timer = setTimeout(resolve, options.deadlineMs, TIMED_OUT);
          timer.unref(); // never what keeps a stopping process alive
        });
        const counter: StatementCount = { count: 0, onLoaderBatch: options.onLoaderBatch };
        request.sqlStatements = counter;
        const run = () => countStatements(counter, () => handle(request, reply));
        const scoped = options.cancellable ? options.cancellable(run) : { result: run(), cancel: async () => 0 };
        const work = scoped.result;
        try {
          const outcome = await Promise.race([work, deadline]);
          // Already answered meanwhile (a shutdown's drain deadline): nothing more to send.
          if (reply.sent) return reply;
          if (outcome !== TIMED_OUT) return outcome;
        } finally {
          clearTimeout(timer);
        }
        // The operation goes on in the background until its next resolver, which fails (deadline guard);
        // whatever it produces is dropped. Its statements still running in the database are cancelled:
        // nobody will read their rows, and under a flood of slow queries they are what holds the server.
        work.catch((error: unknown) => request.log.warn({ err: error }, "request failed after its deadline"));
        scoped.cancel().then(
          (connections) => {
            if (connections > 0)
              request.log.warn({ connections }, "cancelled the statements of a request past its deadline");
          },
          (error: unknown) => request.log.error({ err: error }, "could not cancel the statements of a request"),
        );
        request.log.warn({ deadlineMs: options.deadlineMs }, "GraphQL request passed its deadline");
        request.graphqlTrace?.errorCodes.push("TIMEOUT");
        return sendGraphQLError(request, reply, 503, "TIMEOUT", deadlineMessage);
      },
    };
    scope.route({ ...route, method: ["POST", "OPTIONS"] });
    // @fastify/websocket takes a WebSocket handler on a GET-only route.
    scope.route({ ...route, method: "GET", ...(options.wsHandler ? { wsHandler: options.wsHandler } : {}) });
  });
}

/** If-None-Match against our (weak) ETag, with the weak comparison RFC 9110 prescribes for it. */
function matches(request: FastifyRequest, etag: string): boolean {
  const header = request.headers["if-none-match"];
  if (!header) return false;
  const opaque = (tag: string) => tag.trim().replace(/^W\//, "");
  return header.trim() === "*" || header.split(",").some((tag) => opaque(tag) === opaque(etag));
}

/** Apollo's view of the request. The query string is read without a base host: HTTP/1.0 has none. */
function toGraphQLRequest(request: FastifyRequest): HTTPGraphQLRequest {
  const headers = new HeaderMap();
  for (const [name, value] of Object.entries(request.headers)) {
    if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(", ") : value);
  }
  const queryStart = request.url.indexOf("?");
  return {
    method: request.method.toUpperCase(),
    headers,
    search: queryStart === -1 ? "" : request.url.slice(queryStart),
    body: request.body,
  };
}
