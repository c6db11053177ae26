// /metrics (README, "Monitoring"): a few operations of each kind, then the scrape must show exactly them.
// Every count is read as a difference between two scrapes around the operation, so one step's assertions
// do not depend on the others'.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { jobKinds } from "../../src/jobs.js";
import type { FieldLimitTable } from "../../src/platform/rate-limit/index.js";
import { backends } from "../helpers/database.js";
import { startTestGateway, type TestGateway } from "../helpers/gateway.js";
import { deleteKeys, redisSkipReason, redisUrl, uniqueKeyPrefix } from "../helpers/redis.js";

const token = "metrics-test-token-0123456789abcdef";
const bearer = { authorization: `Bearer ${token}` };

/** One field limit the test can trip without touching the other operations: `categories`, once a minute. */
const categoriesOnce: FieldLimitTable = {
  "Query.categories": { why: "test", failClosed: false, rules: [{ per: "ip", max: 1, windowSeconds: 60 }] },
};

type Samples = Map<string, number>;

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Parses the text exposition into `name{labels}` -> value (labels as printed, in prom-client's order). */
function parseSamples(text: string): Samples {
  const samples: Samples = new Map();
  for (const line of text.split("\n")) {
    if (line === "" || line.startsWith("#")) continue;
    const at = line.lastIndexOf(" ");
    samples.set(line.slice(0, at), Number(line.slice(at + 1)));
  }
  return samples;
}

function series(name: string, labels: Record<string, string> = {}): string {
  const pairs = Object.entries(labels).map(([key, value]) => `${key}="${value}"`);
  return pairs.length > 0 ? `${name}{${pairs.join(",")}}` : name;
}

const catalog = "query Catalog { products(first: 5) { edges { node { name category { name } } } } }";
const cacheable = 'query CachedProduct { product(slug: "aurora-wireless-headphones") { name priceCents } }';

for (const backend of backends) {
  describe.skipIf(backend.skip)(`metrics (${backend.name})`, () => {
    let gw: TestGateway;
    const scrape = async () => {
      const response = await gw.gateway.app.inject({ method: "GET", url: "/metrics", headers: bearer });
      expect(response.statusCode).toBe(200);
      return parseSamples(response.body);
    };
    /** How much each series moved while `work` ran. */
    const during = async (work: () => Promise<unknown>) => {
      const before = await scrape();
      await work();
      const after = await scrape();
      return (name: string, labels: Record<string, string> = {}) => {
        const key = series(name, labels);
        return (after.get(key) ?? 0) - (before.get(key) ?? 0);
      };
    };

    beforeAll(async () => {
      gw = await startTestGateway(backend.kind, {
        seedScale: 0.02,
        env: {
          METRICS_TOKEN: token,
          RESPONSE_CACHE: "true",
          // Loaders rather than the planner, so the nested read shows its batches.
          QUERY_PLANNER: "false",
          RATE_LIMIT_BUDGET: "1000",
          RATE_LIMIT_RESTORE_RATE: "0.01",
          QUERY_MAX_COST: "500",
          // Jobs stay queued (no worker here), and pg-boss counts them every second.
          JOBS_WORKER: "false",
          JOBS_MONITOR_INTERVAL_SECONDS: "1",
        },
        serverDeps: { fieldLimits: categoriesOnce },
      });
    });
    afterAll(() => gw?.close());

    it("refuses a scrape without the token", async () => {
      const none = await gw.gateway.app.inject({ method: "GET", url: "/metrics" });
      expect(none.statusCode).toBe(401);
      expect(none.json().errors[0].extensions.code).toBe("UNAUTHENTICATED");
      const wrong = await gw.gateway.app.inject({
        method: "GET",
        url: "/metrics",
        headers: { authorization: `Bearer ${token.replace("0", "1")}` },
      });
      expect(wrong.statusCode).toBe(401);
    });

    it("times a successful operation by name and counts its SQL statements and loader batches", async () => {
      const moved = await during(async () => {
        const response = await gw.graphql(catalog);
        expect(response.errors).toBeUndefined();
      });
      expect(
        moved("gateway_graphql_request_duration_seconds_count", { operation: "Catalog", outcome: "success" }),
      ).toBe(1);
      const line = gw.logs.findLast((entry) => entry.operationName === "Catalog");
      expect(line?.sqlStatements).toBeGreaterThan(0);
      expect(moved("gateway_graphql_sql_statements_count", { operation: "Catalog" })).toBe(1);
      expect(moved("gateway_graphql_sql_statements_sum", { operation: "Catalog" })).toBe(line?.sqlStatements);
      // The categories of five products: one batch of up to five keys.
      expect(moved("gateway_dataloader_batch_size_count")).toBeGreaterThanOrEqual(1);
      expect(moved("gateway_dataloader_batch_size_sum")).toBeGreaterThanOrEqual(1);
      expect(moved("gateway_graphql_errors_total", { code: "BAD_USER_INPUT" })).toBe(0);
    });

    it("counts errors by code, and labels anonymous and unresolved operations", async () => {
      const moved = await during(async () => {
        expect(
          (await gw.graphql('query Broken { product(id: "not-an-id") { name } }')).errors?.[0]?.extensions.code,
        ).toBe("BAD_USER_INPUT");
        expect((await gw.graphql("{ noSuchField }")).errors?.[0]?.extensions.code).toBe("GRAPHQL_VALIDATION_FAILED");
        expect((await gw.graphql("{ __typename }")).errors).toBeUndefined();
        // Refused by the HTTP layer, before GraphQL: still counted, with its code.
        const malformed = await gw.gateway.app.inject({
          method: "POST",
          url: "/graphql",
          headers: { "content-type": "application/json" },
          payload: "{ not json",
        });
        expect(malformed.json().errors[0].extensions.code).toBe("BAD_REQUEST");
      });
      expect(moved("gateway_graphql_errors_total", { code: "BAD_REQUEST" })).toBe(1);
      expect(moved("gateway_graphql_errors_total", { code: "BAD_USER_INPUT" })).toBe(1);
      expect(moved("gateway_graphql_errors_total", { code: "GRAPHQL_VALIDATION_FAILED" })).toBe(1);
      expect(
        moved("gateway_graphql_request_duration_seconds_count", { operation: "Broken", outcome: "client_error" }),
      ).toBe(1);
      expect(
        moved("gateway_graphql_request_duration_seconds_count", {
          operation: "(unresolved)",
          outcome: "client_error",
        }),
      ).toBe(2);
      expect(
        moved("gateway_graphql_request_duration_seconds_count", { operation: "(anonymous)", outcome: "success" }),
      ).toBe(1);
    });

    it("counts refusals: an operation over QUERY_MAX_COST, a used-up budget, a field limit", async () => {
      // 1 + 100 × (1 + 1 + 50): far above QUERY_MAX_COST.
      const tooCostly =
        "query Costly { products(first: 100) { edges { node { reviews(first: 50) { edges { node { rating } } } } } } }";
      const moved = await during(async () => {
        expect((await gw.graphql(tooCostly)).errors?.[0]?.extensions.code).toBe("QUERY_TOO_COMPLEX");
        // A caller of its own (by address), whose budget of 1000 runs out within a few costly reads.
        const pricey = "query Pricey { products(first: 100) { edges { node { name } } } }";
        let refused = false;
        for (let i = 0; i < 100 && !refused; i++) {
          const response = await gw.graphql(pricey, { remoteAddress: "10.9.8.7" });
          refused = response.errors?.[0]?.extensions.code === "RATE_LIMITED";
        }
        expect(refused).toBe(true);
        // Two documents, so the response cache cannot answer the second without running the field.
        expect((await gw.graphql("{ categories { name } }")).errors).toBeUndefined();
        expect((await gw.graphql("{ categories { slug } }")).errors?.[0]?.extensions.code).toBe("RATE_LIMITED");
      });
      expect(moved("gateway_budget_refusals_total", { reason: "query_cost" })).toBe(1);
      expect(moved("gateway_budget_refusals_total", { reason: "budget" })).toBe(1);
      expect(moved("gateway_field_limit_refusals_total", { field: "Query.categories", reason: "limit" })).toBe(1);
      expect(moved("gateway_graphql_errors_total", { code: "QUERY_TOO_COMPLEX" })).toBe(1);
      expect(moved("gateway_graphql_errors_total", { code: "RATE_LIMITED" })).toBe(2);
    });

    it("counts response cache misses and hits", async () => {
      const moved = await during(async () => {
        for (let i = 0; i < 2; i++) expect((await gw.graphql(cacheable)).errors).toBeUndefined();
      });
      expect(moved("gateway_response_cache_lookups_total", { result: "miss" })).toBe(1);
      expect(moved("gateway_response_cache_lookups_total", { result: "hit" })).toBe(1);
      // The hit sent no SQL at all.
      expect(moved("gateway_graphql_sql_statements_bucket", { le: "0", operation: "CachedProduct" })).toBe(1);
    });

    it("reports the job queue's depth, as pg-boss counts it", async () => {
      const kind = jobKinds.find((job) => job.name.endsWith("password-reset"))?.name ?? "";
      const ready = async () => (await scrape()).get(series("gateway_job_queue_jobs", { kind, state: "ready" }));
      const before = await ready();
      expect(before).toBeDefined();
      const response = await gw.graphql(
        'mutation { requestPasswordReset(input: { email: "alice@example.com" }) { success } }',
      );
      expect(response.errors).toBeUndefined();
      // Counted on pg-boss's next monitor pass: wait for it (up to 30 s), then the job is there, once.
      let now = before;
      for (let waited = 0; waited < 30_000 && now === before; waited += 200) {
        await pause(200);
        now = await ready();
      }
      expect(now).toBe((before ?? 0) + 1);
    });

    it("reports the pool (server only), the job queue and the process", async () => {
      const samples = await scrape();
      if (backend.kind === "postgres") {
        expect(samples.get("gateway_db_pool_max_connections")).toBe(5);
        expect(samples.get(series("gateway_db_pool_connections", { state: "idle" }))).toBeGreaterThanOrEqual(0);
        expect(samples.get("gateway_db_pool_waiting")).toBe(0);
      } else {
        expect(samples.has("gateway_db_pool_max_connections")).toBe(false);
      }
      for (const kind of jobKinds) {
        expect(
          samples.get(series("gateway_job_queue_jobs", { kind: kind.name, state: "ready" })),
        ).toBeGreaterThanOrEqual(0);
      }
      expect(samples.get("process_cpu_user_seconds_total")).toBeGreaterThan(0);
      expect(samples.get("nodejs_heap_size_used_bytes")).toBeGreaterThan(0);
      // No Redis configured here.
      expect(samples.has("gateway_redis_up")).toBe(false);
    });
  });
}

describe("metrics on a port of their own (pglite)", () => {
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await startTestGateway("pglite", { seedScale: 0.01, env: { METRICS_PORT: "19464" } });
  });
  afterAll(() => gw?.close());

  it("serves /metrics only there, without a token when none is set", async () => {
    const api = await gw.gateway.app.inject({ method: "GET", url: "/metrics" });
    expect(api.statusCode).toBe(404);
    await gw.graphql("query Hello { __typename }");
    const metricsApp = gw.gateway.metricsApp;
    if (!metricsApp) throw new Error("no metrics listener");
    const scrape = await metricsApp.inject({ method: "GET", url: "/metrics" });
    expect(scrape.statusCode).toBe(200);
    expect(scrape.headers["content-type"]).toContain("text/plain");
    expect(
      parseSamples(scrape.body).get(
        series("gateway_graphql_request_duration_seconds_count", { operation: "Hello", outcome: "success" }),
      ),
    ).toBe(1);
  });
});

describe.skipIf(redisSkipReason !== undefined)(
  `metrics with Redis${redisSkipReason ? ` (skipped: ${redisSkipReason})` : ""}`,
  () => {
    let gw: TestGateway;
    const prefix = uniqueKeyPrefix();
    beforeAll(async () => {
      gw = await startTestGateway("pglite", {
        seedScale: 0.01,
        env: { METRICS_TOKEN: token, REDIS_URL: redisUrl ?? "", REDIS_KEY_PREFIX: prefix },
      });
    });
    afterAll(async () => {
      await gw?.close();
      if (redisUrl) await deleteKeys(redisUrl, prefix);
    });

    it("reports Redis up", async () => {
      const response = await gw.gateway.app.inject({ method: "GET", url: "/metrics", headers: bearer });
      expect(parseSamples(response.body).get("gateway_redis_up")).toBe(1);
    });
  },
);
