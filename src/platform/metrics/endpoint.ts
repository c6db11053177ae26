import { createHash, timingSafeEqual } from "node:crypto";
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from "fastify";
import { sendGraphQLError } from "../errors/http-responses.js";
import type { Logger } from "../logger/index.js";
import { Metrics } from "./metrics.js";
import { registerServiceGauges, type ServiceProbes } from "./service-gauges.js";

export type MetricsSettings = Readonly<{
  /** A listener of its own; null: `/metrics` on the API's app. */
  port: number | null;
  token: string | null;
}>;

/**
 * Turns the metrics on for a gateway: its registry (operation names of the published manifests known in
 * advance), the per-request hook on `app`, the scrape-time gauges, and `/metrics` either on `app` or on an
 * app of its own (`metricsApp`, for the caller to listen on).
 */
export function exposeMetrics(
  app: FastifyInstance,
  settings: MetricsSettings,
  options: Readonly<{ knownOperations: Iterable<string>; probes: ServiceProbes; log: Logger }>,
): { metrics: Metrics; metricsApp: FastifyInstance | null } {
  const metrics = new Metrics({ knownOperations: options.knownOperations });
  registerRequestMetrics(app, metrics);
  registerServiceGauges(metrics, options.probes, options.log);
  if (settings.port !== null) return { metrics, metricsApp: createMetricsApp(metrics, settings.token) };
  registerMetricsRoute(app, metrics, settings.token);
  return { metrics, metricsApp: null };
}

/**
 * Observes every finished request to the GraphQL route, from what it carries at the end (its trace and
 * statement count, filled in by the pipeline): one hook per request, no work during execution.
 */
export function registerRequestMetrics(app: FastifyInstance, metrics: Metrics, path = "/graphql"): void {
  app.addHook("onResponse", (request, reply, done) => {
    if (request.routeOptions.url === path && request.method !== "OPTIONS") {
      const trace = request.graphqlTrace;
      metrics.observeRequest({
        operationName: trace?.operationName ?? null,
        resolved: trace?.operationType != null,
        // Refused before GraphQL ran (no trace): the code the HTTP-level answer carried.
        errorCodes: trace?.errorCodes ?? (request.httpErrorCode ? [request.httpErrorCode] : []),
        status: reply.statusCode,
        durationSeconds: reply.elapsedTime / 1000,
        sqlStatements: request.sqlStatements?.count ?? null,
      });
    }
    done();
  });
}

/**
 * `GET /metrics` on `app`. With a token, a scrape must send `Authorization: Bearer <token>` (compared in
 * constant time); anything else is 401.
 */
export function registerMetricsRoute(app: FastifyInstance, metrics: Metrics, token: string | null): void {
  const expected = token === null ? null : digest(token);
  app.get("/metrics", async (request: FastifyRequest, reply: FastifyReply) => {
    if (expected && !bearerMatches(request.headers.authorization, expected)) {
      reply.header("www-authenticate", 'Bearer realm="metrics"');
      return sendGraphQLError(request, reply, 401, "UNAUTHENTICATED", "Scraping the metrics needs the metrics token.");
    }
    const body = await metrics.scrape();
    return reply.type(metrics.contentType).send(body);
  });
}

/**
 * The metrics' own listener (METRICS_PORT): only `/metrics`, no request log lines (a scrape every few
 * seconds would drown the log), and nothing of the API, so the port can be opened to the monitoring
 * network alone.
 */
export function createMetricsApp(metrics: Metrics, token: string | null): FastifyInstance {
  const app = Fastify({ logger: false });
  registerMetricsRoute(app, metrics, token);
  return app;
}

function digest(text: string): Buffer {
  return createHash("sha256").update(text).digest();
}

function bearerMatches(header: string | undefined, expected: Buffer): boolean {
  const match = /^Bearer (\S+)$/i.exec(header ?? "");
  // Digests have one length whatever was sent, as timingSafeEqual requires.
  return match?.[1] !== undefined && timingSafeEqual(digest(match[1]), expected);
}
