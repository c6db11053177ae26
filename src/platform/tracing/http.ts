import { context, ROOT_CONTEXT, SpanKind, SpanStatusCode, type TextMapGetter } from "@opentelemetry/api";
import { W3CTraceContextPropagator } from "@opentelemetry/core";
import type { FastifyInstance, FastifyRequest } from "fastify";
import { RequestSpans, type Tracing } from "./tracing.js";

declare module "fastify" {
  interface FastifyRequest {
    /** This request's spans; null when tracing is off. */
    traceSpans: RequestSpans | null;
  }
}

/** The caller's W3C `traceparent`/`tracestate`: a request that arrives with one joins the caller's trace. */
const propagator = new W3CTraceContextPropagator();
const headerGetter: TextMapGetter<FastifyRequest["headers"]> = {
  keys: (headers) => Object.keys(headers),
  get: (headers, key) => headers[key],
};

/**
 * A SERVER span per HTTP request, from its arrival (onRequest) to its response (onResponse), for every
 * route. Its trace id goes into every log line of the request (a child logger) and, through the request,
 * into error extensions. The handler runs inside the span's context: Fastify calls the handler from the
 * last preHandler's `done`, so running `done` in `context.with` carries the context into the handler and
 * everything it awaits (Apollo, Prisma, Redis). Not from onRequest: the body is parsed in between, from the
 * socket's stream events, which would lose it.
 *
 * Registered only when tracing is on; `traceSpans` stays null otherwise.
 */
export function registerHttpTracing(app: FastifyInstance, tracing: Tracing): void {
  app.addHook("onRequest", (request, reply, done) => {
    const parent = propagator.extract(ROOT_CONTEXT, request.headers, headerGetter);
    const route = request.routeOptions.url;
    const span = tracing.tracer.startSpan(
      route ? `${request.method} ${route}` : request.method,
      {
        kind: SpanKind.SERVER,
        attributes: {
          "http.request.method": request.method,
          "url.path": request.url.split("?")[0],
          ...(route ? { "http.route": route } : {}),
          "gateway.request_id": request.id,
        },
      },
      parent,
    );
    const spans = new RequestSpans(tracing.tracer, span);
    request.traceSpans = spans;
    const log = request.log.child({ traceId: spans.traceId });
    request.log = log;
    reply.log = log;
    done();
  });
  app.addHook("preHandler", (request, _reply, done) => {
    if (request.traceSpans) context.with(request.traceSpans.context, done);
    else done();
  });
  app.addHook("onResponse", (request, reply, done) => {
    const span = request.traceSpans?.http;
    if (span) {
      span.setAttribute("http.response.status_code", reply.statusCode);
      if (reply.statusCode >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
      span.end();
    }
    done();
  });
}
