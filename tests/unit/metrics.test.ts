// The metrics' own rules: bounded operation labels, outcomes, error codes outside the catalog, one registry
// per gateway, and the configuration that turns them on and protects them.
import { describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config/index.js";
import { type FinishedRequest, Metrics, operationNamesOf } from "../../src/platform/metrics/index.js";

const request = (overrides: Partial<FinishedRequest>): FinishedRequest => ({
  operationName: null,
  resolved: true,
  errorCodes: [],
  status: 200,
  durationSeconds: 0.01,
  sqlStatements: 1,
  ...overrides,
});

async function durationCounts(metrics: Metrics): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const line of (await metrics.registry.metrics()).split("\n")) {
    const match =
      /^gateway_graphql_request_duration_seconds_count\{operation="([^"]*)",outcome="([^"]*)"\} (\d+)$/.exec(line);
    if (match) counts[`${match[1]} ${match[2]}`] = Number(match[3]);
  }
  return counts;
}

describe("Metrics", () => {
  it("labels manifest operations always, a bounded number of others, then (other)", async () => {
    const metrics = new Metrics({ knownOperations: ["Catalog"], maxOtherOperations: 2 });
    for (const name of ["One", "Two", "Three", "Four", "Catalog", "One", "x".repeat(101)]) {
      metrics.observeRequest(request({ operationName: name }));
    }
    metrics.observeRequest(request({ operationName: null }));
    metrics.observeRequest(request({ resolved: false, errorCodes: ["GRAPHQL_PARSE_FAILED"], status: 400 }));
    expect(await durationCounts(metrics)).toEqual({
      "One success": 2,
      "Two success": 1,
      "(other) success": 3,
      "Catalog success": 1,
      "(anonymous) success": 1,
      "(unresolved) client_error": 1,
    });
  });

  it("calls a request a server error on a 5xx or an error of ours, a client error on any other error", async () => {
    const metrics = new Metrics();
    metrics.observeRequest(request({ operationName: "A", errorCodes: ["INTERNAL_SERVER_ERROR"] }));
    metrics.observeRequest(request({ operationName: "A", errorCodes: ["TIMEOUT"], status: 503 }));
    metrics.observeRequest(request({ operationName: "A", errorCodes: ["FORBIDDEN"] }));
    metrics.observeRequest(request({ operationName: "A", status: 413, resolved: false }));
    expect(await durationCounts(metrics)).toEqual({
      "A server_error": 2,
      "A client_error": 1,
      "(unresolved) client_error": 1,
    });
  });

  it("counts codes outside the catalog as OTHER, and keeps each gateway's series apart", async () => {
    const one = new Metrics();
    const two = new Metrics();
    one.observeRequest(request({ errorCodes: ["FORBIDDEN", "SOMETHING_NEW"] }));
    const text = await one.registry.metrics();
    expect(text).toContain('gateway_graphql_errors_total{code="FORBIDDEN"} 1');
    expect(text).toContain('gateway_graphql_errors_total{code="OTHER"} 1');
    expect(text).not.toContain("SOMETHING_NEW");
    expect(await two.registry.metrics()).not.toContain('code="FORBIDDEN"');
    // Both scrapes carry the process metrics, collected once for the process.
    expect(await one.scrape()).toContain("process_cpu_user_seconds_total");
    expect(await two.scrape()).toContain("process_cpu_user_seconds_total");
  });

  it("lets other features add series to the gateway's registry", async () => {
    const metrics = new Metrics();
    let open = 3;
    metrics.gauge({
      name: "gateway_test_connections",
      help: "test",
      collect() {
        this.set(open);
      },
    });
    expect(await metrics.scrape()).toContain("gateway_test_connections 3");
    open = 4;
    expect(await metrics.scrape()).toContain("gateway_test_connections 4");
  });

  it("reads operation names from manifest documents", () => {
    expect(operationNamesOf(["query A { x } mutation B { y }", "{ anonymous }", "not graphql"]).sort()).toEqual([
      "A",
      "B",
    ]);
  });
});

describe("metrics configuration", () => {
  it("is off by default", () => {
    expect(loadConfig({}).metrics).toBeNull();
  });

  it("serves on a port of its own (on the API's interface unless told), or on PORT behind a token", () => {
    expect(loadConfig({ METRICS_PORT: "9464" }).metrics).toEqual({ port: 9464, host: "127.0.0.1", token: null });
    expect(loadConfig({ METRICS_PORT: "9464", NODE_ENV: "test", HOST: "10.0.0.5" }).metrics?.host).toBe("10.0.0.5");
    const token = "a".repeat(32);
    expect(loadConfig({ METRICS_TOKEN: token }).metrics).toEqual({ port: null, host: "127.0.0.1", token });
  });

  it("refuses a short token, the API's own port, and a host without a port", () => {
    expect(() => loadConfig({ METRICS_TOKEN: "short" })).toThrow(/METRICS_TOKEN/);
    expect(() => loadConfig({ METRICS_PORT: "4000" })).toThrow(/METRICS_PORT: must differ from PORT/);
    expect(() => loadConfig({ METRICS_HOST: "0.0.0.0", METRICS_TOKEN: "a".repeat(32) })).toThrow(/METRICS_HOST/);
  });
});
