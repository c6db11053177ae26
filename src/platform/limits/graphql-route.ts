import type { ApolloServer, BaseContext } from "@apollo/server";
import { type ApolloFastifyContextFunction, fastifyApolloHandler } from "@as-integrations/fastify";
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import type { ErrorCode } from "../errors/index.js";
import { internalErrorMessage } from "../errors/index.js";
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
 * (before Apollo parses anything), and GraphQL-shaped bodies for errors Fastify raises itself (bad JSON,
 * body too large), instead of Fastify's own JSON shape.
 */
export async function registerGraphQLRoute<Context extends BaseContext>(
  app: FastifyInstance,
  apollo: ApolloServer<Context>,
  options: GraphQLRouteOptions<Context>,
): Promise<void> {
  app.decorateRequest("graphqlDeadline", 0);
  const handle = fastifyApolloHandler(apollo, { context: options.context }) as unknown as (
    this: FastifyInstance,
    request: FastifyRequest,
    reply: FastifyReply,
  ) => Promise<unknown>;

  await app.register(async (scope) => {
    scope.setErrorHandler((error: FastifyError, request, reply) => {
      const status = error.statusCode && error.statusCode >= 400 ? error.statusCode : 500;
      if (status >= 500) request.log.error({ err: error }, "unexpected error in the GraphQL route");
      const [code, message]: [ErrorCode, string] =
        status === 413
          ? ["PAYLOAD_TOO_LARGE", "The request body is larger than this server accepts."]
          : status < 500
            ? ["BAD_REQUEST", error.message]
            : ["INTERNAL_SERVER_ERROR", internalErrorMessage];
      return sendError(request, reply, status, code, message);
    });

    scope.route({
      method: ["GET", "POST", "OPTIONS"],
      url: options.path ?? "/graphql",
      bodyLimit: options.bodyLimitBytes,
      async handler(request, reply) {
        const payload = request.method === "GET" ? request.query : request.body;
        acceptDocumentId(payload, request.method);
        if (options.trustedOperations) {
          if (isUntrustedRequest(options.trustedOperations, payload)) {
            return sendError(
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
          return sendError(request, reply, 400, mistake.code, mistake.message, { field: mistake.field });
        }
        request.graphqlDeadline = Date.now() + options.deadlineMs;
        let timer: NodeJS.Timeout | undefined;
        const deadline = new Promise<typeof TIMED_OUT>((resolve) => {
          timer = setTimeout(resolve, options.deadlineMs, TIMED_OUT);
          timer.unref(); // never what keeps a stopping process alive
        });
        const run = () => handle.call(this, request, reply);
        const scoped = options.cancellable ? options.cancellable(run) : { result: run(), cancel: async () => 0 };
        const work = scoped.result;
        try {
          const outcome = await Promise.race([work, deadline]);
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
        return sendError(request, reply, 503, "TIMEOUT", deadlineMessage);
      },
    });
  });
}

function sendError(
  request: FastifyRequest,
  reply: FastifyReply,
  status: number,
  code: ErrorCode,
  message: string,
  extensions: { field?: string } = {},
) {
  return reply
    .code(status)
    .type("application/json; charset=utf-8")
    .send(JSON.stringify({ errors: [{ message, extensions: { code, ...extensions, requestId: request.id } }] }));
}
