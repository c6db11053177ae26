import type { InjectOptions } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestGateway, type TestGateway } from "../helpers/gateway.js";

// HTTP behaviour does not depend on the database backend: PGlite only.
describe("HTTP server", () => {
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await startTestGateway("pglite", { seedScale: 0.02 });
  });
  afterAll(() => gw?.close());

  const inject = (options: InjectOptions) => gw.gateway.app.inject(options);

  it("answers liveness and readiness", async () => {
    expect((await inject({ url: "/health" })).json()).toEqual({ status: "ok" });
    const ready = await inject({ url: "/ready" });
    expect(ready.statusCode).toBe(200);
    expect(ready.json()).toEqual({ status: "ready", checks: { database: "up" } });
  });

  it("keeps a well-formed x-request-id, replaces a malformed one, and makes one when absent", async () => {
    const kept = await gw.graphql("{ categories { id } }", { headers: { "x-request-id": "mobile-42.abc" } });
    expect(kept.headers["x-request-id"]).toBe("mobile-42.abc");
    const replaced = await gw.graphql("{ categories { id } }", { headers: { "x-request-id": "a b\nforged log line" } });
    expect(replaced.headers["x-request-id"]).toMatch(/^[0-9a-f-]{36}$/);
    const made = await gw.graphql("{ categories { id } }");
    expect(made.headers["x-request-id"]).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("logs one line per request with request id, operation, status and duration", async () => {
    const response = await gw.graphql("query TreeForTest { categories { id } }", {
      headers: { "x-request-id": "log-line-1" },
    });
    expect(response.status).toBe(200);
    const lines = gw.logs.filter((line) => line.requestId === "log-line-1");
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({
      msg: "request completed",
      method: "POST",
      url: "/graphql",
      statusCode: 200,
      operationName: "TreeForTest",
      errorCodes: [],
    });
    expect(typeof lines[0]?.durationMs).toBe("number");
  });

  it("counts the SQL statements of each request in its log line, its own only", async () => {
    const nested = "{ products(first: 3) { edges { node { name category { name } } } } }";
    gw.db.statements.reset();
    await gw.graphql(nested, { headers: { "x-request-id": "sql-count-1" } });
    const sent = gw.db.statements.count;
    expect(sent).toBeGreaterThan(0);
    // Requests running side by side each count what they sent.
    await Promise.all([
      gw.graphql(nested, { headers: { "x-request-id": "sql-count-2" } }),
      gw.graphql("{ __typename }", { headers: { "x-request-id": "sql-count-3" } }),
      gw.graphql("{ categories { id } }", { headers: { "x-request-id": "sql-count-4" } }),
    ]);
    const logged = (id: string) => gw.logs.find((line) => line.requestId === id)?.sqlStatements;
    expect(logged("sql-count-1")).toBe(sent);
    expect(logged("sql-count-2")).toBe(sent);
    expect(logged("sql-count-3")).toBe(0);
    expect(logged("sql-count-4")).toBeGreaterThan(0);
  });

  it("serves GET queries when the client proves it is not a cross-site form (CSRF prevention)", async () => {
    const url = `/graphql?query=${encodeURIComponent("{ categories { slug } }")}`;
    const blocked = await inject({ method: "GET", url });
    expect(blocked.statusCode).toBe(400);
    const allowed = await inject({ method: "GET", url, headers: { "apollo-require-preflight": "true" } });
    expect(allowed.statusCode).toBe(200);
    expect(allowed.json().data.categories.length).toBeGreaterThan(0);
  });

  it("serves Apollo Sandbox to browsers outside production", async () => {
    const page = await inject({ method: "GET", url: "/graphql", headers: { accept: "text/html" } });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain("embeddable-sandbox");
  });

  it("reports malformed documents with Apollo's stable codes", async () => {
    const parse = await gw.graphql("{ products { ");
    expect(parse.status).toBe(400);
    expect(parse.errors?.[0]?.extensions.code).toBe("GRAPHQL_PARSE_FAILED");
    const validation = await gw.graphql("{ products { edges { node { secretField } } } }");
    expect(validation.status).toBe(400);
    expect(validation.errors?.[0]?.extensions.code).toBe("GRAPHQL_VALIDATION_FAILED");
    const badVariable = await gw.graphql("query($n: Int) { products(first: $n) { totalCount } }", {
      variables: { n: "ten" },
    });
    expect(badVariable.errors?.[0]?.extensions.code).toBe("BAD_USER_INPUT");
  });

  it("refuses an invalid id before it reaches the database", async () => {
    gw.db.statements.reset();
    const response = await gw.graphql('{ product(id: "42") { name } }');
    expect(response.errors?.[0]?.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "id" });
    expect(gw.db.statements.count).toBe(0);
  });

  // Last: it closes the database under the running server.
  it("masks unexpected errors, giving the client a request id the log also has", async () => {
    await gw.db.close();
    const response = await gw.graphql('{ product(slug: "anything") { name } }', {
      headers: { "x-request-id": "boom-1" },
    });
    const error = response.errors?.[0];
    expect(error?.message).toBe("Internal server error. Quote the request id when reporting it.");
    expect(error?.extensions).toEqual({ code: "INTERNAL_SERVER_ERROR", requestId: "boom-1" });
    expect(JSON.stringify(response)).not.toMatch(/prisma|stack|PGlite/i);
    const logged = gw.logs.find((line) => line.requestId === "boom-1" && line.level === 50);
    expect(logged?.msg).toBe("unexpected error while resolving");
    expect(JSON.stringify(logged?.err)).toMatch(/closed|disconnect|PGlite/i);

    const ready = await inject({ url: "/ready" });
    expect(ready.statusCode).toBe(503);
    expect(ready.json()).toEqual({ status: "not ready", checks: { database: "down" } });
  });
});
