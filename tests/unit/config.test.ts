import { generateKeyPairSync } from "node:crypto";
import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "../../src/config/index.js";
import { parseClusterUrl } from "../../src/platform/redis/cluster-url.js";

const failure = (env: Record<string, string>) => {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error("expected a ConfigError");
};

describe("loadConfig", () => {
  it("defaults everything for a bare development machine: embedded database, migrated and seeded", () => {
    const config = loadConfig({});
    expect(config.env).toBe("development");
    expect(config.http).toMatchObject({ host: "127.0.0.1", port: 4000 });
    expect(config.database).toMatchObject({
      url: undefined,
      pgliteDir: ".data/pglite",
      migrateOnStart: true,
      seedOnStart: true,
    });
    expect(config.queryPlanner).toBe(true);
    expect(Object.isFrozen(config.database)).toBe(true);
  });

  it("does not migrate or seed a real server unless told to", () => {
    const config = loadConfig({ DATABASE_URL: "postgresql://db.internal/app" });
    expect(config.database).toMatchObject({ migrateOnStart: false, seedOnStart: false });
    expect(
      loadConfig({ DATABASE_URL: "postgres://x/y", DATABASE_MIGRATE_ON_START: "true" }).database.migrateOnStart,
    ).toBe(true);
  });

  it("names every bad variable in one error", () => {
    const error = failure({ PORT: "eighty", DATABASE_URL: "mysql://x", LOG_LEVEL: "loud", QUERY_PLANNER: "maybe" });
    expect(error.problems.map((problem) => problem.split(":")[0]).sort()).toEqual([
      "DATABASE_URL",
      "LOG_LEVEL",
      "PORT",
      "QUERY_PLANNER",
    ]);
    expect(error.message).toContain("must be a postgresql:// connection URL");
  });

  describe("OIDC_PROVIDERS", () => {
    const google = {
      issuer: "https://accounts.google.com",
      clientId: "abc.apps.googleusercontent.com",
      clientSecret: "s",
    };

    it("reads providers with their defaults; the callback is under the redirect base", () => {
      const config = loadConfig({
        OIDC_PROVIDERS: JSON.stringify({
          google,
          keycloak: {
            ...google,
            issuer: "https://sso.example.com/realms/shop",
            redirectBase: "https://other.example.com",
          },
        }),
        OIDC_REDIRECT_BASE: "https://api.example.com",
      });
      expect(config.oidc.providers).toEqual([
        {
          name: "google",
          ...google,
          scopes: ["openid", "email", "profile"],
          redirectUri: "https://api.example.com/auth/oidc/google/callback",
        },
        expect.objectContaining({
          name: "keycloak",
          redirectUri: "https://other.example.com/auth/oidc/keycloak/callback",
        }),
      ]);
      expect(loadConfig({}).oidc.providers).toEqual([]);
      expect(loadConfig({ OIDC_PROVIDERS: JSON.stringify({ google }) }).oidc.providers[0]?.redirectUri).toBe(
        "http://localhost:4000/auth/oidc/google/callback",
      );
    });

    it("names what is wrong: not JSON, a bad name, a missing field, an unknown field, no openid scope", () => {
      expect(failure({ OIDC_PROVIDERS: "{google" }).problems).toEqual([
        "OIDC_PROVIDERS: must be a JSON object (see .env.example)",
      ]);
      for (const providers of [
        { "Google!": google },
        { google: { issuer: google.issuer } },
        { google: { ...google, clientSecrets: "typo" } },
        { google: { ...google, scopes: ["email"] } },
      ]) {
        expect(failure({ OIDC_PROVIDERS: JSON.stringify(providers) }).problems[0]).toMatch(/^OIDC_PROVIDERS/);
      }
    });

    it("wants https issuers and a redirect base in production", () => {
      const key = generateKeyPairSync("ed25519").privateKey.export({ type: "pkcs8", format: "pem" }).toString();
      const production = { NODE_ENV: "production", JWT_PRIVATE_KEY: key, DATABASE_URL: "postgresql://db/app" };
      expect(
        failure({
          ...production,
          OIDC_PROVIDERS: JSON.stringify({ local: { ...google, issuer: "http://127.0.0.1:9000" } }),
        }).problems,
      ).toEqual([
        "OIDC_PROVIDERS: local: the issuer must be https:// in production",
        "OIDC_REDIRECT_BASE: required in production with OIDC_PROVIDERS (local has no redirectBase)",
      ]);
      expect(
        loadConfig({
          ...production,
          OIDC_PROVIDERS: JSON.stringify({ google }),
          OIDC_REDIRECT_BASE: "https://api.example.com",
        }).oidc.providers,
      ).toHaveLength(1);
    });
  });

  it("treats an empty variable as unset", () => {
    expect(loadConfig({ PORT: "", DATABASE_URL: "" }).http.port).toBe(4000);
  });

  it("refuses to start production without a signing key, and listens on all interfaces there", () => {
    expect(failure({ NODE_ENV: "production", DATABASE_URL: "postgresql://db/app" }).problems).toEqual([
      "JWT_PRIVATE_KEY: required in production (an Ed25519 key in PKCS#8 PEM form)",
    ]);
    const key = generateKeyPairSync("ed25519").privateKey.export({ type: "pkcs8", format: "pem" }).toString();
    expect(
      loadConfig({ NODE_ENV: "production", JWT_PRIVATE_KEY: key, DATABASE_URL: "postgresql://db/app" }).http.host,
    ).toBe("0.0.0.0");
  });

  describe("production never runs on demo data", () => {
    const key = generateKeyPairSync("ed25519").privateKey.export({ type: "pkcs8", format: "pem" }).toString();
    const production = { NODE_ENV: "production", JWT_PRIVATE_KEY: key };

    it("refuses to start without DATABASE_URL, saying why", () => {
      const error = failure(production);
      expect(error.problems).toEqual([expect.stringMatching(/^DATABASE_URL: required in production/)]);
      expect(error.message).toContain("DEMO_MODE=true");
    });

    it("never seeds a production database unless DEMO_MODE says it is a demo", () => {
      const server = { ...production, DATABASE_URL: "postgresql://db.internal/shop" };
      expect(loadConfig(server).database).toMatchObject({ seedOnStart: false, migrateOnStart: false });
      expect(failure({ ...server, DATABASE_SEED_ON_START: "true" }).problems).toEqual([
        expect.stringMatching(/^DATABASE_SEED_ON_START: demo data is never seeded in production/),
      ]);
      expect(loadConfig({ ...server, DATABASE_SEED_ON_START: "true", DEMO_MODE: "true" }).database).toMatchObject({
        seedOnStart: true,
        seedRandomPasswords: true,
      });
    });

    it("runs a production demo on the embedded database only with DEMO_MODE, with random passwords", () => {
      expect(loadConfig({ ...production, DEMO_MODE: "true" }).database).toMatchObject({
        url: undefined,
        migrateOnStart: true,
        seedOnStart: true,
        seedRandomPasswords: true,
      });
      // Development keeps the README's documented passwords.
      expect(loadConfig({}).database.seedRandomPasswords).toBe(false);
    });
  });

  it("drops Secure from the refresh cookie only when asked, and never in production", () => {
    expect(loadConfig({}).http.refreshCookieInsecure).toBe(false);
    expect(loadConfig({ REFRESH_COOKIE_INSECURE_DEV: "true" }).http.refreshCookieInsecure).toBe(true);
    const key = generateKeyPairSync("ed25519").privateKey.export({ type: "pkcs8", format: "pem" }).toString();
    const production = { NODE_ENV: "production", JWT_PRIVATE_KEY: key, DATABASE_URL: "postgresql://db/app" };
    expect(loadConfig(production).http.refreshCookieInsecure).toBe(false);
    expect(failure({ ...production, REFRESH_COOKIE_INSECURE_DEV: "true" }).problems).toEqual([
      expect.stringMatching(/^REFRESH_COOKIE_INSECURE_DEV: development only/),
    ]);
  });

  it("refuses a signing key that is not Ed25519 (a weak or wrong key never starts the server)", () => {
    const rsa = generateKeyPairSync("rsa", { modulusLength: 1024 }).privateKey.export({ type: "pkcs8", format: "pem" });
    expect(
      failure({ NODE_ENV: "production", JWT_PRIVATE_KEY: rsa.toString(), DATABASE_URL: "postgresql://db/app" })
        .problems,
    ).toEqual(["JWT_PRIVATE_KEY: must be an Ed25519 private key in PKCS#8 PEM form"]);
  });

  it("reads several verification keys for rotation, and names a bad one", () => {
    const publicPem = () => generateKeyPairSync("ed25519").publicKey.export({ type: "spki", format: "pem" }).toString();
    const config = loadConfig({ JWT_VERIFICATION_KEYS: `${publicPem()}\n${publicPem()}` });
    expect(config.auth.verificationKeyPems).toHaveLength(2);
    expect(
      failure({ JWT_VERIFICATION_KEYS: "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----" }).problems[0],
    ).toMatch(/^JWT_VERIFICATION_KEYS: must be Ed25519 public keys/);
  });

  it("leaves tracing off unless asked; naming a collector turns it on", () => {
    expect(loadConfig({}).tracing).toEqual({
      enabled: false,
      serviceName: "graphql-gateway",
      sampleRatio: 1,
      otlpTracesUrl: "http://localhost:4318/v1/traces",
      otlpHeaders: {},
    });
    expect(loadConfig({ TRACING: "true" }).tracing.enabled).toBe(true);
    const collector = loadConfig({
      OTEL_EXPORTER_OTLP_ENDPOINT: "https://otel.example.com:4318/",
      OTEL_EXPORTER_OTLP_HEADERS: "api-key=s%3Dcret, x-team=shop",
      TRACING_SAMPLE_RATIO: "0.25",
    }).tracing;
    expect(collector).toMatchObject({
      enabled: true,
      sampleRatio: 0.25,
      otlpTracesUrl: "https://otel.example.com:4318/v1/traces",
      otlpHeaders: { "api-key": "s=cret", "x-team": "shop" },
    });
    expect(loadConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: "http://c:4318", TRACING: "false" }).tracing.enabled).toBe(false);
  });

  it("names bad tracing settings", () => {
    const error = failure({
      OTEL_EXPORTER_OTLP_ENDPOINT: "collector:4317",
      OTEL_EXPORTER_OTLP_HEADERS: "no-equals-sign",
      TRACING_SAMPLE_RATIO: "2",
    });
    expect(error.problems.map((problem) => problem.split(":")[0]).sort()).toEqual([
      "OTEL_EXPORTER_OTLP_ENDPOINT",
      "OTEL_EXPORTER_OTLP_HEADERS",
      "TRACING_SAMPLE_RATIO",
    ]);
  });

  it("names a Redis Cluster by REDIS_CLUSTER, its seed nodes in REDIS_URL; one server stays the default", () => {
    expect(loadConfig({ REDIS_URL: "redis://cache:6379" }).redis).toMatchObject({
      url: "redis://cache:6379",
      cluster: false,
    });
    const cluster = loadConfig({ REDIS_URL: "rediss://:s%40cret@10.0.0.1:7000,10.0.0.2:7001", REDIS_CLUSTER: "true" });
    expect(cluster.redis).toMatchObject({ url: "rediss://:s%40cret@10.0.0.1:7000,10.0.0.2:7001", cluster: true });
    expect(parseClusterUrl(cluster.redis.url as string)).toEqual({
      nodes: [
        { host: "10.0.0.1", port: 7000 },
        { host: "10.0.0.2", port: 7001 },
      ],
      password: "s@cret",
      tls: true,
    });
  });

  it("names bad Redis Cluster settings", () => {
    const problems = (env: Record<string, string>) => failure(env).problems;
    expect(problems({ REDIS_URL: "redis://a:1,b:2" })).toEqual([
      "REDIS_URL: several hosts name a Redis Cluster; set REDIS_CLUSTER=true",
    ]);
    expect(problems({ REDIS_CLUSTER: "true" })).toEqual(["REDIS_CLUSTER: needs the cluster's seed nodes in REDIS_URL"]);
    expect(problems({ REDIS_CLUSTER: "true", REDIS_URL: "redis://a:1,b:2/3" })).toEqual([
      "REDIS_URL: a Redis Cluster has only database 0",
    ]);
    expect(problems({ REDIS_KEY_PREFIX: "{gw}:" })[0]).toMatch(/^REDIS_KEY_PREFIX: must not contain/);
  });
});
