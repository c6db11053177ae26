// OpenTelemetry spans, built by hand with @opentelemetry/api rather than by auto-instrumentation: the
// require/import hooks that patch http, fastify, pg or ioredis are fragile under ESM and tsx, patch
// process-wide (one provider per process, where tests build several gateways), and add spans nobody reads.
// Each span here is started at one of our own seams: the HTTP request (http.ts), Apollo's parse, validate and
// execute (graphql-plugin.ts), the driver adapter that sends every SQL statement (db/adapters.ts) and the
// Redis client's sendCommand (redis.ts).
//
// Off (TRACING unset) nothing here runs per request: no hook is registered, no plugin is added, and a
// statement costs a call and one boolean test (`traceStatement`: ~30 ns, against a statement's ~1 ms).

import {
  type Attributes,
  type Context,
  context,
  createContextKey,
  DiagLogLevel,
  diag,
  ROOT_CONTEXT,
  type Span,
  SpanKind,
  SpanStatusCode,
  type Tracer,
  trace,
} from "@opentelemetry/api";
import { AsyncLocalStorageContextManager } from "@opentelemetry/context-async-hooks";
import { setGlobalErrorHandler } from "@opentelemetry/core";
import { OTLPTraceExporter } from "@opentelemetry/exporter-trace-otlp-proto";
import { resourceFromAttributes } from "@opentelemetry/resources";
import {
  AlwaysOnSampler,
  BatchSpanProcessor,
  ParentBasedSampler,
  SimpleSpanProcessor,
  type SpanExporter,
  TraceIdRatioBasedSampler,
  TracerProvider,
} from "@opentelemetry/sdk-trace";
import type { Logger } from "../logger/index.js";

export type TracingSettings = Readonly<{
  serviceName: string;
  /** Share of root traces recorded (0..1); a caller's `traceparent` decides for the traces it started. */
  sampleRatio: number;
  /** OTLP/HTTP (protobuf) traces endpoint, e.g. http://localhost:4318/v1/traces. */
  otlpTracesUrl: string;
  otlpHeaders: Readonly<Record<string, string>>;
}>;

/** One server's tracer and the pipeline that exports its spans. */
export interface Tracing {
  readonly tracer: Tracer;
  /** Exports the spans still buffered, then stops exporting. */
  shutdown(): Promise<void>;
}

let started = false;

/**
 * Starts tracing for one server. Spans go to the OTLP endpoint in batches; with `exporter` (tests: an
 * InMemorySpanExporter) each span goes there as it ends instead. The provider is this server's own, never
 * the process-wide one, so servers in one process (tests) keep their spans apart.
 */
export function startTracing(
  settings: TracingSettings,
  log: Logger,
  options: { exporter?: SpanExporter } = {},
): Tracing {
  // The process-wide pieces. The active span follows async work through AsyncLocalStorage (cheap under
  // --experimental-async-context-frame); a second server finds it registered already, which is fine.
  if (!started) context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  started = true;
  reportProblemsTo(log);
  const spanProcessor = options.exporter
    ? new SimpleSpanProcessor({ exporter: options.exporter })
    : new BatchSpanProcessor({
        exporter: new OTLPTraceExporter({ url: settings.otlpTracesUrl, headers: { ...settings.otlpHeaders } }),
      });
  const provider = new TracerProvider({
    resource: resourceFromAttributes({ "service.name": settings.serviceName }),
    sampler: new ParentBasedSampler({
      root: settings.sampleRatio >= 1 ? new AlwaysOnSampler() : new TraceIdRatioBasedSampler(settings.sampleRatio),
    }),
    spanProcessors: [spanProcessor],
  });
  return {
    tracer: provider.getTracer("graphql-gateway"),
    shutdown: () => provider.shutdown(),
  };
}

/**
 * The SDK's own problems (a collector that does not answer, spans dropped from a full queue) go to the log.
 * OpenTelemetry drops them silently by default; a collector that is down fails every batch, every few
 * seconds, so export failures are logged once a minute at most.
 */
function reportProblemsTo(log: Logger): void {
  let lastFailure = 0;
  setGlobalErrorHandler((error) => {
    const now = Date.now();
    if (now - lastFailure < 60_000) return;
    lastFailure = now;
    log.warn({ err: error }, "tracing: could not export spans (further failures within a minute are not logged)");
  });
  diag.setLogger(
    {
      error: (message, ...args) => log.warn({ args }, `tracing: ${message}`),
      warn: (message, ...args) => log.warn({ args }, `tracing: ${message}`),
      info: () => {},
      debug: () => {},
      verbose: () => {},
    },
    { logLevel: DiagLogLevel.WARN, suppressOverrideMessage: true },
  );
}

const REQUEST_SPANS = createContextKey("graphql-gateway request spans");

/**
 * The spans of one HTTP request, carried in the OpenTelemetry context of everything the request runs.
 * Children hang under `current`: the HTTP span, or the GraphQL execute span while execution runs. Apollo
 * runs execution from a hook it cannot wrap in `context.with`, so the execute span is entered here
 * (`enter`/`leave`) rather than made active; a request runs one execution at a time, so this is exact.
 */
export class RequestSpans {
  readonly traceId: string;
  /** False when the trace is not sampled: then no child span is made at all. */
  readonly recording: boolean;
  /** The OpenTelemetry context the request's work runs in. */
  readonly context: Context;
  private parent: Context;

  constructor(
    private readonly tracer: Tracer,
    readonly http: Span,
  ) {
    this.traceId = http.spanContext().traceId;
    this.recording = http.isRecording();
    this.parent = trace.setSpan(ROOT_CONTEXT, http);
    this.context = this.parent.setValue(REQUEST_SPANS, this);
  }

  /** A child of the current span. */
  start(name: string, attributes: Attributes, kind: SpanKind = SpanKind.INTERNAL): Span {
    return this.tracer.startSpan(name, { kind, attributes }, this.parent);
  }

  /** Children started from now on hang under `span` (until `leave`). */
  enter(span: Span): void {
    this.parent = trace.setSpan(ROOT_CONTEXT, span);
  }

  leave(): void {
    this.parent = trace.setSpan(ROOT_CONTEXT, this.http);
  }
}

/** The request's spans, when the caller runs inside a traced request. */
export function activeRequestSpans(): RequestSpans | undefined {
  if (!started) return undefined;
  return context.active().getValue(REQUEST_SPANS) as RequestSpans | undefined;
}

/** Ends a span, marking it failed when `error` is set. */
export function endSpan(span: Span, error?: unknown): void {
  if (error !== undefined && error !== null) {
    span.setStatus({ code: SpanStatusCode.ERROR, message: error instanceof Error ? error.message : String(error) });
    if (error instanceof Error) span.recordException(error);
  }
  span.end();
}

/** A CLIENT span under the current request's current span; undefined outside a request or when unsampled. */
export function startClientSpan(name: string, attributes: Attributes): Span | undefined {
  const spans = activeRequestSpans();
  if (spans === undefined || !spans.recording) return undefined;
  return spans.start(name, attributes, SpanKind.CLIENT);
}

/**
 * A span for one SQL statement the app sends through Prisma's driver adapter (db/adapters.ts), named by its
 * operation (SELECT, INSERT, BEGIN...), with the statement's text (parameters are never recorded: they
 * carry user data). Statements outside a traced request (jobs, start-up) get none.
 */
export function traceStatement<T>(sql: string, send: () => Promise<T>): Promise<T> {
  const spans = activeRequestSpans();
  if (spans === undefined || !spans.recording) return send();
  const operation = /^\s*([A-Za-z]+)/.exec(sql)?.[1]?.toUpperCase() ?? "SQL";
  const attributes = { "db.system.name": "postgresql", "db.operation.name": operation, "db.query.text": sql };
  return inSpan(spans.start(operation, attributes, SpanKind.CLIENT), send);
}

function inSpan<T>(span: Span, send: () => Promise<T>): Promise<T> {
  let sent: Promise<T>;
  try {
    sent = send();
  } catch (error) {
    endSpan(span, error);
    throw error;
  }
  return sent.then(
    (result) => {
      span.end();
      return result;
    },
    (error: unknown) => {
      endSpan(span, error);
      throw error;
    },
  );
}
