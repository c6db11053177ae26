// OpenTelemetry tracing (platform/tracing), with spans kept in memory: the tree of one request (HTTP ->
// parse/validate/execute -> SQL and Redis), a caller's traceparent, the trace id in the log line and in
// error extensions; and with tracing off, none of it.
import { SpanKind } from "@opentelemetry/api";
import { InMemorySpanExporter, type ReadableSpan } from "@opentelemetry/sdk-trace";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { backends } from "../helpers/database.js";
import { startTestGateway, type TestGateway } from "../helpers/gateway.js";
import { deleteKeys, redisSkipReason, redisUrl, uniqueKeyPrefix } from "../helpers/redis.js";

const productsQuery = (name: string) => `query ${name} { products(first: 3) { edges { node { name } } } }`;

function parentOf(span: ReadableSpan): string | undefined {
  return span.parentSpanContext?.spanId;
}

for (const backend of backends) {
  describe.skipIf(backend.skip)(`tracing on, ${backend.name}`, () => {
    const exporter = new InMemorySpanExporter();
    const keyPrefix = uniqueKeyPrefix();
    let gw: TestGateway;

    beforeAll(async () => {
      gw = await startTestGateway(backend.kind, {
        env: { TRACING: "true", ...(redisUrl ? { REDIS_URL: redisUrl, REDIS_KEY_PREFIX: keyPrefix } : {}) },
        serverDeps: { spanExporter: exporter },
      });
    });
    afterAll(async () => {
      await gw?.close();
      if (redisUrl) await deleteKeys(redisUrl, keyPrefix);
    });

    /**
     * The finished spans and the log line of one request, found by its request id once both its HTTP span
     * and its log line are written (both in onResponse, which may run after the response has arrived).
     */
    async function spansOf(requestId: string) {
      const { http, line } = await vi.waitFor(() => {
        const found = exporter
          .getFinishedSpans()
          .find((span) => span.kind === SpanKind.SERVER && span.attributes["gateway.request_id"] === requestId);
        const logged = gw.logs.find((entry) => entry.requestId === requestId && entry.msg === "request completed");
        if (!found || !logged) throw new Error(`request ${requestId} not finished yet`);
        return { http: found, line: logged };
      });
      const traceId = http.spanContext().traceId;
      const trace = exporter.getFinishedSpans().filter((span) => span.spanContext().traceId === traceId);
      return { http, traceId, trace, line };
    }

    it("makes the span tree HTTP -> parse, validate, execute -> SQL statements, in one trace", async () => {
      const response = await gw.graphql(productsQuery("TracedProducts"), { headers: { "x-request-id": "trace-1" } });
      expect(response.errors).toBeUndefined();
      const { http, trace, line } = await spansOf("trace-1");

      expect(http.name).toBe("POST /graphql");
      expect(http.parentSpanContext).toBeUndefined();
      expect(http.attributes["http.response.status_code"]).toBe(200);
      const phase = (name: string) => trace.filter((span) => span.name === name);
      for (const name of ["graphql.parse", "graphql.validate", "graphql.execute"]) {
        expect(phase(name), name).toHaveLength(1);
        expect(parentOf(phase(name)[0] as ReadableSpan), name).toBe(http.spanContext().spanId);
      }
      const execute = phase("graphql.execute")[0] as ReadableSpan;
      expect(execute.attributes).toMatchObject({
        "graphql.operation.type": "query",
        "graphql.operation.name": "TracedProducts",
      });

      const sql = trace.filter((span) => span.attributes["db.system.name"] === "postgresql");
      expect(sql.length).toBeGreaterThan(0);
      for (const span of sql) {
        expect(span.kind).toBe(SpanKind.CLIENT);
        expect(parentOf(span)).toBe(execute.spanContext().spanId);
        expect(span.name).toBe("SELECT");
        expect(span.attributes["db.query.text"]).toMatch(/^\s*SELECT\b[\s\S]*\bFROM products\b/);
      }
      // Every statement the request sent is a span; no span is left outside the trace.
      expect(line.sqlStatements).toBeGreaterThan(0);
      expect(sql).toHaveLength(line.sqlStatements as number);
      for (const span of trace) expect(span.ended).toBe(true);
    });

    it("traces a write's transaction through Prisma: BEGIN, the INSERT and COMMIT under execute", async () => {
      const response = await gw.graphql(
        `mutation TracedWrite($input: CreateCategoryInput!) {
          createCategory(input: $input) { category { id } userErrors { code } }
        }`,
        {
          as: gw.users.admin,
          variables: { input: { name: "Traced", slug: `traced-${backend.kind}` } },
          headers: { "x-request-id": "trace-write" },
        },
      );
      expect(response.errors).toBeUndefined();
      const { trace } = await spansOf("trace-write");
      const execute = trace.find((span) => span.name === "graphql.execute") as ReadableSpan;
      expect(execute.attributes["graphql.operation.type"]).toBe("mutation");
      const sql = trace.filter((span) => span.attributes["db.system.name"] === "postgresql");
      const names = sql.map((span) => span.name);
      expect(names[0]).toBe("BEGIN");
      expect(names).toContain("INSERT");
      expect(names.at(-1)).toBe("COMMIT");
      for (const span of sql) expect(parentOf(span)).toBe(execute.spanContext().spanId);
      const insert = sql.find((span) => span.name === "INSERT");
      expect(insert?.attributes["db.query.text"]).toMatch(/INSERT INTO "public"\."categories"/);
    });

    it.skipIf(redisSkipReason !== undefined)(
      `makes a span for each Redis command of the request${redisSkipReason ? ` (skipped: ${redisSkipReason})` : ""}`,
      async () => {
        await gw.graphql(productsQuery("TracedRedis"), { headers: { "x-request-id": "trace-redis" } });
        const { trace } = await spansOf("trace-redis");
        const commands = trace.filter((span) => span.attributes["db.system.name"] === "redis");
        // The caller's budget is charged in Redis (a script) before execution starts.
        expect(commands.length).toBeGreaterThan(0);
        const ids = new Set(trace.map((span) => span.spanContext().spanId));
        for (const span of commands) {
          expect(span.kind).toBe(SpanKind.CLIENT);
          expect(ids.has(parentOf(span) as string)).toBe(true);
          expect(span.attributes["db.operation.name"]).toBe(span.name);
        }
        expect(commands.map((span) => span.name)).toEqual(expect.arrayContaining([expect.stringMatching(/^EVAL/)]));
      },
    );

    it("joins the caller's trace from its traceparent", async () => {
      const traceId = "4bf92f3577b34da6a3ce929d0e0e4736";
      const callerSpan = "00f067aa0ba902b7";
      await gw.graphql(productsQuery("TracedParent"), {
        headers: { "x-request-id": "trace-parent", traceparent: `00-${traceId}-${callerSpan}-01` },
      });
      const found = await spansOf("trace-parent");
      expect(found.traceId).toBe(traceId);
      expect(parentOf(found.http)).toBe(callerSpan);
      expect(found.trace.some((span) => span.name === "graphql.execute")).toBe(true);
    });

    it("puts the trace id in the request's log line and next to the request id in errors", async () => {
      const response = await gw.graphql('{ product(id: "42") { name } }', { headers: { "x-request-id": "trace-err" } });
      const { traceId, line } = await spansOf("trace-err");
      expect(response.errors?.[0]?.extensions).toEqual({
        code: "BAD_USER_INPUT",
        field: "id",
        requestId: "trace-err",
        traceId,
      });
      expect(line.traceId).toBe(traceId);
      expect(response.headers["x-request-id"]).toBe("trace-err");
    });

    it("puts it in errors answered before GraphQL runs, too", async () => {
      const response = await gw.gateway.app.inject({
        method: "POST",
        url: "/graphql",
        headers: { "content-type": "application/json", "x-request-id": "trace-bad-json" },
        payload: "{not json",
      });
      const { traceId } = await spansOf("trace-bad-json");
      expect(response.json().errors[0].extensions).toMatchObject({ requestId: "trace-bad-json", traceId });
    });
  });
}

describe("tracing on, sampling none of its own traces (TRACING_SAMPLE_RATIO=0)", () => {
  const exporter = new InMemorySpanExporter();
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await startTestGateway("pglite", {
      env: { TRACING: "true", TRACING_SAMPLE_RATIO: "0" },
      serverDeps: { spanExporter: exporter },
    });
  });
  afterAll(() => gw?.close());

  it("records nothing, yet still gives the request a trace id in its log line and errors", async () => {
    const response = await gw.graphql('{ product(id: "42") { name } }', { headers: { "x-request-id": "unsampled" } });
    const traceId = response.errors?.[0]?.extensions.traceId;
    expect(traceId).toMatch(/^[0-9a-f]{32}$/);
    const line = await vi.waitFor(() => {
      const found = gw.logs.find((entry) => entry.requestId === "unsampled" && entry.msg === "request completed");
      if (!found) throw new Error("not logged yet");
      return found;
    });
    expect(line.traceId).toBe(traceId);
    expect(exporter.getFinishedSpans()).toEqual([]);
  });

  it("records a trace its caller sampled", async () => {
    const traceId = "0af7651916cd43dd8448eb211c80319c";
    await gw.graphql(productsQuery("SampledByCaller"), {
      headers: { "x-request-id": "caller-sampled", traceparent: `00-${traceId}-b7ad6b7169203331-01` },
    });
    const spans = await vi.waitFor(() => {
      const found = exporter.getFinishedSpans().filter((span) => span.spanContext().traceId === traceId);
      if (!found.some((span) => span.kind === SpanKind.SERVER)) throw new Error("no HTTP span yet");
      return found;
    });
    expect(spans.map((span) => span.name)).toEqual(
      expect.arrayContaining(["POST /graphql", "graphql.execute", "SELECT"]),
    );
  });
});

describe("tracing off (the default)", () => {
  const exporter = new InMemorySpanExporter();
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await startTestGateway("pglite", { serverDeps: { spanExporter: exporter } });
  });
  afterAll(() => gw?.close());

  it("makes no spans and adds no trace id to errors or logs", async () => {
    await gw.graphql(productsQuery("Untraced"), {
      headers: { traceparent: "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01" },
    });
    const response = await gw.graphql('{ product(id: "42") { name } }', { headers: { "x-request-id": "untraced" } });
    expect(response.errors?.[0]?.extensions).toEqual({ code: "BAD_USER_INPUT", field: "id", requestId: "untraced" });
    const line = await vi.waitFor(() => {
      const found = gw.logs.find((entry) => entry.requestId === "untraced" && entry.msg === "request completed");
      if (!found) throw new Error("not logged yet");
      return found;
    });
    expect(line).not.toHaveProperty("traceId");
    expect(exporter.getFinishedSpans()).toEqual([]);
  });
});
