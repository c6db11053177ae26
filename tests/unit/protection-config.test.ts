import { generateKeyPairSync } from "node:crypto";
import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "../../src/config/index.js";

const problems = (env: Record<string, string>) => {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems.map((problem) => problem.split(":")[0]);
    throw error;
  }
  return [];
};

describe("protection settings", () => {
  it("defaults to the documented limits, introspection on outside production", () => {
    const config = loadConfig({});
    expect(config.graphql).toMatchObject({
      introspection: true,
      maxDepth: 10,
      maxAliases: 20,
      maxDirectives: 20,
      maxTokens: 2_000,
      maxCost: 1_000,
      persistedOperations: { mode: "auto", manifests: ["client/generated/persisted-documents.json"] },
    });
    expect(config.rateLimit).toEqual({ budget: 5_000, restoreRate: 100 });
    expect(config.http).toMatchObject({
      trustProxy: [],
      corsOrigins: [],
      bodyLimitBytes: 102_400,
      requestTimeoutMs: 10_000,
    });
    expect(config.redis).toMatchObject({ keyPrefix: "gw:", connectTimeoutMs: 2_000, commandTimeoutMs: 500 });
  });

  it("turns introspection off in production unless asked for", () => {
    const key = generateKeyPairSync("ed25519").privateKey.export({ type: "pkcs8", format: "pem" }).toString();
    const production = { NODE_ENV: "production", JWT_PRIVATE_KEY: key, DATABASE_URL: "postgresql://db/app" };
    expect(loadConfig(production).graphql.introspection).toBe(false);
    expect(loadConfig({ ...production, INTROSPECTION: "true" }).graphql.introspection).toBe(true);
    expect(problems({ ...production, CORS_ORIGINS: "*" })).toEqual(["CORS_ORIGINS"]);
  });

  it("reads lists of proxies and origins", () => {
    const config = loadConfig({
      TRUST_PROXY: "10.0.0.0/8, 192.168.1.10,loopback",
      CORS_ORIGINS: "https://shop.example.com, http://localhost:3000",
    });
    expect(config.http.trustProxy).toEqual(["10.0.0.0/8", "192.168.1.10", "loopback"]);
    expect(config.http.corsOrigins).toEqual(["https://shop.example.com", "http://localhost:3000"]);
  });

  it("names every bad protection variable", () => {
    expect(
      problems({
        TRUST_PROXY: "everyone",
        CORS_ORIGINS: "shop.example.com/path",
        QUERY_MAX_DEPTH: "0",
        RATE_LIMIT_RESTORE_RATE: "-1",
        PERSISTED_OPERATIONS: "sometimes",
      }).sort(),
    ).toEqual(["CORS_ORIGINS", "PERSISTED_OPERATIONS", "QUERY_MAX_DEPTH", "RATE_LIMIT_RESTORE_RATE", "TRUST_PROXY"]);
  });

  it("refuses a per-operation maximum no budget could ever pay", () => {
    expect(problems({ QUERY_MAX_COST: "6000", RATE_LIMIT_BUDGET: "5000" })).toEqual(["QUERY_MAX_COST"]);
  });
});
