import { randomUUID } from "node:crypto";
import Fastify, { type FastifyBaseLogger, type FastifyInstance, LogController } from "fastify";
import type { StatementCount } from "../db/statement-count.js";
import { clientErrorHandler, frameworkErrorHandler, registerErrorResponses } from "../errors/http-responses.js";
import type { RequestTrace } from "../errors/presentation.js";
import type { Logger } from "../logger/index.js";
import type { RedisHealth } from "../redis/index.js";
import { registerHttpTracing, type Tracing } from "../tracing/index.js";

export type HttpAppSettings = Readonly<{
  /** Addresses whose X-Forwarded-For is believed; anyone else could forge it to dodge limits. */
  trustProxy: readonly string[];
  bodyLimitBytes: number;
  /** A span per request, its trace id in the request's log lines (platform/tracing); null: tracing off. */
  tracing?: Tracing | null;
}>;

declare module "fastify" {
  interface FastifyRequest {
    /** The GraphQL side of the request, for its log line; null for other routes. */
    graphqlTrace: RequestTrace | null;
    /** SQL statements the request sent (GraphQL requests: see graphql-route.ts). */
    sqlStatements: StatementCount | null;
    /** The code of an error answered at the HTTP level (errors/http-responses.ts), for the metrics. */
    httpErrorCode: string | null;
  }
}

/** A client-supplied request id is kept only if it cannot forge log lines or bloat them. */
const acceptableRequestId = /^[A-Za-z0-9._:-]{1,128}$/;

/**
 * The Fastify instance every route hangs on: request ids (the client's `x-request-id` when well-formed,
 * echoed back on every response), one log line per request with the GraphQL operation and its error codes,
 * and a GraphQL-shaped answer with a request id for every error, including those Fastify and Node would
 * write themselves: unparsable HTTP, oversized headers, an undecodable URL, a missing Host, an unknown
 * route or method (platform/errors/http-responses.ts).
 */
export function createHttpApp(settings: HttpAppSettings, logger: Logger): FastifyInstance {
  const app = Fastify({
    loggerInstance: logger as FastifyBaseLogger,
    trustProxy: settings.trustProxy.length > 0 ? [...settings.trustProxy] : false,
    bodyLimit: settings.bodyLimitBytes,
    // Time to receive a whole request: a client trickling its body (slowloris) is cut off.
    requestTimeout: 30_000,
    // One line per request, written in onResponse below, instead of Fastify's two.
    logController: new LogController({ disableRequestLogging: true, requestIdLogLabel: "requestId" }),
    requestIdHeader: false,
    genReqId: (request) => {
      const incoming = request.headers["x-request-id"];
      return typeof incoming === "string" && acceptableRequestId.test(incoming) ? incoming : randomUUID();
    },
    clientErrorHandler: clientErrorHandler(logger as FastifyBaseLogger),
    frameworkErrors: frameworkErrorHandler,
    // Requests arriving while shutting down are answered by the drain (drain.ts), not Fastify's bare 503.
    return503OnClosing: false,
    http: { requireHostHeader: false },
  });
  app.decorateRequest("graphqlTrace", null);
  app.decorateRequest("sqlStatements", null);
  app.decorateRequest("httpErrorCode", null);
  app.decorateRequest("traceSpans", null);
  // First: every later hook, and the request's log lines, see the span and its trace id.
  if (settings.tracing) registerHttpTracing(app, settings.tracing);
  registerErrorResponses(app);

  app.addHook("onSend", async (request, reply) => {
    reply.header("x-request-id", request.id);
  });
  app.addHook("onResponse", async (request, reply) => {
    const trace = request.graphqlTrace;
    request.log.info(
      {
        method: request.method,
        url: request.url.split("?")[0],
        statusCode: reply.statusCode,
        durationMs: Math.round(reply.elapsedTime * 10) / 10,
        ...(trace ? { operationName: trace.operationName, errorCodes: trace.errorCodes } : {}),
        ...(request.sqlStatements ? { sqlStatements: request.sqlStatements.count } : {}),
      },
      "request completed",
    );
  });
  return app;
}

export type ReadinessChecks = Readonly<{
  /** Resolves when the database answers; rejects otherwise. */
  database: () => Promise<unknown>;
  /** Reported, but does not decide readiness. Absent when Redis is not configured. */
  redis?: () => Promise<RedisHealth>;
}>;

/** `/health` (the process is up) and `/ready` (it can serve: the database answers). */
export function registerHealthRoutes(app: FastifyInstance, checks: ReadinessChecks, logger: Logger): void {
  app.get("/health", async () => ({ status: "ok" }));
  app.get("/ready", async (_request, reply) => {
    const database = await checks.database().then(
      () => "up" as const,
      (error: unknown) => {
        logger.warn({ err: error }, "readiness check: database unreachable");
        return "down" as const;
      },
    );
    // Redis is reported but does not decide readiness: without it the gateway still serves (limits fall
    // back to this process, or fail closed), and pulling every instance out of the load balancer at
    // once would turn a Redis outage into a full one.
    const result = checks.redis ? { database, redis: await checks.redis() } : { database };
    const ready = database === "up";
    return reply.code(ready ? 200 : 503).send({ status: ready ? "ready" : "not ready", checks: result });
  });
}
