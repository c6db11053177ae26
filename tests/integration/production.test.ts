// NODE_ENV=production: no introspection unless enabled, no field suggestions, no landing page, security
// headers, CORS from the allow-list only, CSRF prevention on, no stack traces. PGlite only.
import { generateKeyPairSync } from "node:crypto";
import type { InjectOptions } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestGateway, type TestGateway } from "../helpers/gateway.js";

const key = generateKeyPairSync("ed25519").privateKey.export({ type: "pkcs8", format: "pem" }).toString();
// buildServer gets the test database; a production config still has to name a server.
const production = { NODE_ENV: "production", JWT_PRIVATE_KEY: key, DATABASE_URL: "postgresql://db.invalid/unused" };
const introspection = "{ __schema { queryType { name } } }";

describe("production mode", () => {
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await startTestGateway("pglite", {
      seedScale: 0.02,
      env: { ...production, CORS_ORIGINS: "https://shop.example.com,https://admin.example.com" },
    });
  });
  afterAll(() => gw?.close());
  const inject = (options: InjectOptions) => gw.gateway.app.inject(options);

  it("refuses introspection", async () => {
    const response = await gw.graphql(introspection);
    expect(response.status).toBe(400);
    expect(response.errors?.[0]?.extensions.code).toBe("GRAPHQL_VALIDATION_FAILED");
    expect(response.errors?.[0]?.message).toMatch(/introspection is not allowed/i);
  });

  it("gives no field suggestions", async () => {
    const response = await gw.graphql("{ categories { nam } }");
    expect(response.errors?.[0]?.extensions.code).toBe("GRAPHQL_VALIDATION_FAILED");
    expect(response.errors?.[0]?.message).not.toMatch(/did you mean/i);
    expect(JSON.stringify(response)).not.toContain('"name"');
  });

  it("serves no Sandbox page", async () => {
    const page = await inject({ method: "GET", url: "/graphql", headers: { accept: "text/html" } });
    expect(page.body).not.toContain("embeddable-sandbox");
    expect(page.body).not.toContain("<script");
  });

  it("never puts a stack trace in a response", async () => {
    const responses = await Promise.all([
      gw.graphql("{ products { "),
      gw.graphql('{ product(id: "42") { name } }'),
      gw.graphql("{ nothing }"),
    ]);
    for (const response of responses) expect(JSON.stringify(response)).not.toMatch(/stacktrace|\n\s+at /);
  });

  it("sends security headers with every response", async () => {
    for (const response of [
      await inject({ url: "/health" }),
      await inject({
        method: "POST",
        url: "/graphql",
        headers: { "content-type": "application/json" },
        payload: '{"query":"{ __typename }"}',
      }),
    ]) {
      expect(response.headers).toMatchObject({
        "content-security-policy": "default-src 'none';frame-ancestors 'none'",
        "strict-transport-security": "max-age=31536000; includeSubDomains",
        "x-content-type-options": "nosniff",
        "x-frame-options": "SAMEORIGIN",
        "referrer-policy": "no-referrer",
        "cross-origin-opener-policy": "same-origin",
      });
      expect(response.headers["x-powered-by"]).toBeUndefined();
    }
  });

  it("allows listed origins only (CORS)", async () => {
    const preflight = await inject({
      method: "OPTIONS",
      url: "/graphql",
      headers: {
        origin: "https://shop.example.com",
        "access-control-request-method": "POST",
        "access-control-request-headers": "content-type,authorization",
      },
    });
    expect(preflight.statusCode).toBe(204);
    expect(preflight.headers["access-control-allow-origin"]).toBe("https://shop.example.com");
    expect(preflight.headers["access-control-allow-credentials"]).toBe("true");
    expect(String(preflight.headers["access-control-allow-headers"])).toContain("authorization");

    const listed = await gw.graphql("{ __typename }", { headers: { origin: "https://admin.example.com" } });
    expect(listed.headers["access-control-allow-origin"]).toBe("https://admin.example.com");
    expect(String(listed.headers["access-control-expose-headers"])).toContain("retry-after");

    const stranger = await gw.graphql("{ __typename }", { headers: { origin: "https://evil.example" } });
    expect(stranger.headers["access-control-allow-origin"]).toBeUndefined();
  });

  it("keeps CSRF prevention on: a simple GET needs a preflight-forcing header", async () => {
    const url = `/graphql?query=${encodeURIComponent("{ __typename }")}`;
    expect((await inject({ method: "GET", url })).statusCode).toBe(400);
    expect((await inject({ method: "GET", url, headers: { "apollo-require-preflight": "true" } })).statusCode).toBe(
      200,
    );
  });
});

describe("production mode with INTROSPECTION=true", () => {
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await startTestGateway("pglite", { seedScale: 0.02, env: { ...production, INTROSPECTION: "true" } });
  });
  afterAll(() => gw?.close());

  it("answers introspection when explicitly enabled, still without CORS headers for anyone", async () => {
    const response = await gw.graphql(introspection, { headers: { origin: "https://shop.example.com" } });
    expect(response.errors).toBeUndefined();
    expect(response.data).toEqual({ __schema: { queryType: { name: "Query" } } });
    expect(response.headers["access-control-allow-origin"]).toBeUndefined();
  });
});
