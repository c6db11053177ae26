import { createPrivateKey, createPublicKey, randomBytes } from "node:crypto";
import { z } from "zod";
import type { OidcProviderSettings } from "../platform/auth/oidc.js";
import type { JobQueueConfig } from "../platform/jobs/index.js";
import type { ResumeSettings, SubscriptionLimits } from "../platform/realtime/index.js";
import { parseClusterUrl } from "../platform/redis/cluster-url.js";
import type { StorageSettings } from "../platform/storage/index.js";

/** Deployment environment; production switches on the secure defaults. */
const nodeEnv = z.enum(["development", "test", "production"]).default("development");

const booleanString = z
  .enum(["true", "false", "1", "0", "yes", "no", "on", "off"])
  .transform((value) => ["true", "1", "yes", "on"].includes(value));

/** A comma-separated list; blanks dropped. */
const commaList = z.string().transform((value) =>
  value
    .split(",")
    .map((item) => item.trim())
    .filter((item) => item !== ""),
);
const positiveInt = (max: number) => z.coerce.number().int().min(1).max(max);

/** One OpenID Connect provider in OIDC_PROVIDERS (README, "Social sign-in"). */
const oidcProviderSchema = z
  .object({
    /** The issuer exactly as its discovery document and ID tokens name it. */
    issuer: z.string().url(),
    clientId: z.string().min(1),
    /** Absent for a public client (PKCE only). */
    clientSecret: z.string().min(1).optional(),
    scopes: z.array(z.string().regex(/^[\x21-\x7e]+$/)).default(["openid", "email", "profile"]),
    /** This gateway's public origin as the provider redirects to it; defaults to OIDC_REDIRECT_BASE. */
    redirectBase: z
      .string()
      .regex(/^https?:\/\/[^/\s]+$/, "must be an origin (scheme and host, no path)")
      .optional(),
  })
  .strict()
  .refine((provider) => provider.scopes.includes("openid"), { message: "scopes must include openid" });

// Every environment variable the gateway reads, with its default. `.env.example` documents the same list.
const envSchema = z.object({
  NODE_ENV: nodeEnv,
  HOST: z.string().min(1).optional(),
  PORT: z.coerce.number().int().min(0).max(65_535).default(4000),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, "must be a postgresql:// connection URL")
    .optional(),
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(500).default(10),
  DATABASE_POOL_TIMEOUT_MS: positiveInt(300_000).default(5_000),
  DATABASE_STATEMENT_TIMEOUT_MS: z.coerce.number().int().min(0).max(3_600_000).default(15_000),
  DATABASE_PREPARED_STATEMENTS: booleanString.default(true),
  DATABASE_REPLICA_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, "must be a postgresql:// connection URL")
    .optional(),
  READ_YOUR_WRITES_MS: z.coerce.number().int().min(0).max(3_600_000).default(5_000),
  PGLITE_DIR: z.string().min(1).default(".data/pglite"),
  DATABASE_MIGRATE_ON_START: booleanString.optional(),
  DATABASE_SEED_ON_START: booleanString.optional(),
  DEMO_MODE: booleanString.default(false),
  SEED_SCALE: z.coerce.number().positive().max(100).default(1),
  REDIS_URL: z
    .string()
    .regex(/^rediss?:\/\//, "must be a redis:// or rediss:// URL")
    .optional(),
  REDIS_CLUSTER: booleanString.default(false),
  // Braces would make a hash tag of the prefix itself and put every key of the deployment in one slot
  // of a Redis Cluster.
  REDIS_KEY_PREFIX: z
    .string()
    .min(1)
    .max(64)
    .regex(/^[^{}]*$/, "must not contain { or } (Redis Cluster hash tags)")
    .default("gw:"),
  REDIS_CONNECT_TIMEOUT_MS: positiveInt(60_000).default(2_000),
  REDIS_COMMAND_TIMEOUT_MS: positiveInt(10_000).default(500),
  TRUST_PROXY: commaList
    .refine((entries) => entries.every((entry) => /^[0-9a-fA-F.:/]+$|^(loopback|linklocal|uniquelocal)$/.test(entry)), {
      message: "must be IP addresses, CIDR ranges or loopback/linklocal/uniquelocal, comma-separated",
    })
    .optional(),
  CORS_ORIGINS: commaList
    .refine((origins) => origins.every((origin) => origin === "*" || /^https?:\/\/[^/\s]+$/.test(origin)), {
      message: "must be origins like https://shop.example.com (scheme and host, no path), comma-separated",
    })
    .optional(),
  REFRESH_COOKIE_INSECURE_DEV: booleanString.default(false),
  REQUEST_BODY_LIMIT_BYTES: positiveInt(50 * 1024 * 1024).default(100 * 1024),
  REQUEST_TIMEOUT_MS: positiveInt(300_000).default(10_000),
  INTROSPECTION: booleanString.optional(),
  QUERY_MAX_DEPTH: positiveInt(100).default(10),
  QUERY_MAX_ALIASES: positiveInt(1_000).default(20),
  QUERY_MAX_DIRECTIVES: positiveInt(1_000).default(20),
  QUERY_MAX_TOKENS: positiveInt(1_000_000).default(2_000),
  QUERY_MAX_COST: positiveInt(1_000_000_000).default(1_000),
  RATE_LIMIT_BUDGET: positiveInt(1_000_000_000).default(5_000),
  RATE_LIMIT_RESTORE_RATE: z.coerce.number().positive().max(1_000_000_000).default(100),
  PERSISTED_OPERATIONS: z.enum(["auto", "trusted", "off"]).default("auto"),
  PERSISTED_OPERATIONS_MANIFESTS: commaList.default(["client/generated/persisted-documents.json"]),
  APQ_TTL_SECONDS: positiveInt(30 * 24 * 3600).default(24 * 3600),
  JWT_ISSUER: z.string().min(1).default("graphql-gateway"),
  JWT_AUDIENCE: z.string().min(1).default("graphql-gateway-clients"),
  JWT_PRIVATE_KEY: z
    .string()
    .refine(isEd25519PrivateKey, { message: "must be an Ed25519 private key in PKCS#8 PEM form" })
    .optional(),
  JWT_VERIFICATION_KEYS: z
    .string()
    .transform(splitPems)
    .refine((pems) => pems.every(isEd25519PublicKey), {
      message: "must be Ed25519 public keys in SPKI PEM form (-----BEGIN PUBLIC KEY-----), one after another",
    })
    .optional(),
  MAIL_FROM: z.string().min(3).default("Gateway <no-reply@localhost>"),
  SMTP_URL: z
    .string()
    .regex(/^smtps?:\/\//, "must be an smtp:// or smtps:// URL")
    .optional(),
  PASSWORD_RESET_URL: z.string().url().default("http://localhost:3000/reset-password"),
  EMAIL_VERIFICATION_URL: z.string().url().default("http://localhost:3000/verify-email"),
  QUERY_PLANNER: booleanString.default(true),
  COMPILED_EXECUTION: booleanString.default(true),
  JOBS_WORKER: booleanString.default(true),
  JOBS_CONCURRENCY: positiveInt(100).default(2),
  JOBS_POOL_SIZE: positiveInt(50).default(3),
  JOBS_POLL_INTERVAL_SECONDS: z.coerce.number().min(0.5).max(60).default(2),
  JOBS_RETRY_DELAY_SECONDS: positiveInt(3_600).default(30),
  JOBS_RETRY_DELAY_MAX_SECONDS: positiveInt(86_400).default(3_600),
  JOBS_MONITOR_INTERVAL_SECONDS: positiveInt(3_600).default(60),
  JOBS_TIMEOUT_SECONDS: positiveInt(3_600).default(120),
  JOBS_SHUTDOWN_TIMEOUT_MS: z.coerce.number().int().min(0).max(300_000).default(10_000),
  MAIL_BREAKER_FAILURES: positiveInt(1_000).default(5),
  MAIL_BREAKER_RESET_MS: positiveInt(3_600_000).default(30_000),
  OUTBOX_RETENTION_HOURS: positiveInt(24 * 365).default(72),
  IDEMPOTENCY_KEY_TTL_HOURS: positiveInt(24 * 365).default(24),
  STORAGE_DRIVER: z.enum(["local", "s3"]).default("local"),
  STORAGE_DIR: z.string().min(1).default(".data/storage"),
  STORAGE_SIGNING_SECRET: z.string().min(32, "must be at least 32 characters (e.g. openssl rand -hex 32)").optional(),
  STORAGE_PUBLIC_URL: z
    .string()
    .regex(/^https?:\/\/[^/\s]+$/, "must be an origin like https://api.example.com (scheme and host, no path)")
    .optional(),
  S3_ENDPOINT: z
    .string()
    .regex(/^https?:\/\/[^/\s]+$/, "must be an origin like https://s3.example.com (scheme and host, no path)")
    .optional(),
  S3_REGION: z.string().min(1).default("us-east-1"),
  S3_BUCKET: z.string().min(3).max(63).optional(),
  S3_ACCESS_KEY_ID: z.string().min(1).optional(),
  S3_SECRET_ACCESS_KEY: z.string().min(1).optional(),
  S3_FORCE_PATH_STYLE: booleanString.default(false),
  S3_PUBLIC_URL: z
    .string()
    .regex(/^https?:\/\/\S+[^/]$/, "must be a URL without a trailing slash, e.g. https://cdn.example.com/images")
    .optional(),
  UPLOAD_URL_TTL_SECONDS: positiveInt(24 * 3600).default(900),
  UPLOAD_MAX_PENDING_PER_USER: positiveInt(1_000).default(10),
  UPLOAD_ORPHAN_AFTER_HOURS: positiveInt(24 * 365).default(24),
  SUBSCRIPTIONS: booleanString.default(true),
  SUBSCRIPTION_MAX_CONNECTIONS_PER_ADDRESS: positiveInt(1_000_000).default(100),
  SUBSCRIPTION_MAX_CONNECTIONS_PER_USER: positiveInt(10_000).default(10),
  SUBSCRIPTION_MAX_PER_CONNECTION: positiveInt(1_000).default(20),
  SUBSCRIPTION_INIT_TIMEOUT_MS: positiveInt(600_000).default(10_000),
  SUBSCRIPTION_KEEP_ALIVE_MS: positiveInt(600_000).default(15_000),
  SUBSCRIPTION_MAX_MESSAGE_BYTES: positiveInt(10 * 1024 * 1024).default(64 * 1024),
  SUBSCRIPTION_MAX_BUFFERED_BYTES: positiveInt(1024 * 1024 * 1024).default(1024 * 1024),
  SUBSCRIPTION_RESUME_WINDOW_MINUTES: positiveInt(7 * 24 * 60).default(60),
  SUBSCRIPTION_RESUME_MAX_EVENTS: positiveInt(10_000).default(100),
  RESPONSE_CACHE: booleanString.default(true),
  RESPONSE_CACHE_MAX_TTL_SECONDS: positiveInt(24 * 3600).default(300),
  RESPONSE_CACHE_LOCAL_ENTRIES: z.coerce.number().int().min(0).max(1_000_000).default(1_000),
  RESPONSE_CACHE_HTTP_MAX_AGE_SECONDS: z.coerce
    .number()
    .int()
    .min(0)
    .max(24 * 3600)
    .default(30),
  SHUTDOWN_GRACE_MS: z.coerce.number().int().min(0).max(120_000).default(10_000),
  TRACING: booleanString.optional(),
  TRACING_SAMPLE_RATIO: z.coerce.number().min(0).max(1).default(1),
  // The standard OpenTelemetry names, so a collector's usual setup applies unchanged.
  OTEL_EXPORTER_OTLP_ENDPOINT: z
    .string()
    .regex(/^https?:\/\//, "must be an http:// or https:// URL (OTLP over HTTP, e.g. http://collector:4318)")
    .optional(),
  OTEL_EXPORTER_OTLP_HEADERS: z
    .string()
    .transform(parseOtlpHeaders)
    .refine((headers) => headers !== null, { message: "must be key=value pairs, comma-separated" })
    .optional(),
  OTEL_SERVICE_NAME: z.string().min(1).max(256).default("graphql-gateway"),
  OIDC_PROVIDERS: z
    .string()
    .transform((text, context) => {
      try {
        return JSON.parse(text) as unknown;
      } catch {
        context.addIssue({ code: "custom", message: "must be a JSON object (see .env.example)" });
        return z.NEVER;
      }
    })
    .pipe(z.record(z.string().regex(/^[a-z0-9-]{1,32}$/, "provider names: a-z, 0-9, -"), oidcProviderSchema))
    .optional(),
  OIDC_REDIRECT_BASE: z
    .string()
    .regex(/^https?:\/\/[^/\s]+$/, "must be an origin like https://api.example.com (scheme and host, no path)")
    .optional(),
  OIDC_SUCCESS_URL: z.string().url().default("http://localhost:3000/signed-in"),
  METRICS_PORT: z.coerce.number().int().min(1).max(65_535).optional(),
  METRICS_HOST: z.string().min(1).optional(),
  METRICS_TOKEN: z
    .string()
    .regex(/^[\x21-\x7e]{32,256}$/, "must be 32 to 256 printable characters without spaces (e.g. openssl rand -hex 32)")
    .optional(),
});

/** Names of every variable read; `.env.example` must document exactly these (a contract test checks). */
export const configVariables = Object.keys(envSchema.shape);

export type Config = Readonly<{
  env: "development" | "test" | "production";
  isProduction: boolean;
  http: Readonly<{
    host: string;
    port: number;
    shutdownGraceMs: number;
    /** Proxies whose X-Forwarded-For is believed (Fastify `trustProxy`); empty: the socket address is the client. */
    trustProxy: readonly string[];
    /** Origins browsers may call from (CORS); empty: same-origin only. */
    corsOrigins: readonly string[];
    /**
     * Development only (refused in production): the refresh cookie is `refresh_token` without `Secure`
     * instead of `__Host-refresh_token`, which browsers that do not count http://localhost as secure drop.
     */
    refreshCookieInsecure: boolean;
    bodyLimitBytes: number;
    /** Execution deadline of one GraphQL request. */
    requestTimeoutMs: number;
  }>;
  log: Readonly<{ level: string }>;
  database: Readonly<{
    /** A PostgreSQL server; when absent, PostgreSQL runs in-process (PGlite) in `pgliteDir`. */
    url: string | undefined;
    pgliteDir: string;
    poolSize: number;
    /** PostgreSQL server only: longest wait for a pooled connection (a free one, or a new one to open). */
    poolTimeoutMs: number;
    /** PostgreSQL server only: longest a statement may run before the server cancels it (0 = no limit). */
    statementTimeoutMs: number;
    /** PostgreSQL server only: named prepared statements (off behind a pooler that cannot keep them). */
    preparedStatements: boolean;
    /** A streaming replica of `url` for the root reads of queries (platform/db/read-routing.ts). */
    replicaUrl: string | undefined;
    /** After a caller's mutation, how long their queries still read from the primary (read-your-writes). */
    readYourWritesMs: number;
    migrateOnStart: boolean;
    seedOnStart: boolean;
    seedScale: number;
    /**
     * Seed the demo accounts with random passwords (logged once) instead of the documented one: a
     * production demo (DEMO_MODE) must not be open to whoever read the README.
     */
    seedRandomPasswords: boolean;
  }>;
  redis: Readonly<{
    /** Shared store for budgets, limits and persisted queries; without it each instance keeps its own. */
    url: string | undefined;
    /** `url` names seed nodes of a Redis Cluster (three masters or more) rather than one server. */
    cluster: boolean;
    keyPrefix: string;
    connectTimeoutMs: number;
    commandTimeoutMs: number;
  }>;
  /** Limits on what one GraphQL document may ask for (platform/limits, platform/cost). */
  graphql: Readonly<{
    introspection: boolean;
    /** Operations run compiled (graphql-jit, see platform/execution); false: graphql-js's `execute`. */
    compiledExecution: boolean;
    maxDepth: number;
    maxAliases: number;
    maxDirectives: number;
    maxTokens: number;
    /** Highest cost one operation may have (see platform/cost). */
    maxCost: number;
    persistedOperations: Readonly<{
      /** auto: automatic persisted queries (and manifest operations); trusted: manifest operations only; off. */
      mode: "auto" | "trusted" | "off";
      manifests: readonly string[];
      apqTtlSeconds: number;
    }>;
  }>;
  /** Each caller's cost budget: a token bucket of `budget` points refilled at `restoreRate` points a second. */
  rateLimit: Readonly<{ budget: number; restoreRate: number }>;
  auth: Readonly<{
    issuer: string;
    audience: string;
    privateKeyPem: string | undefined;
    verificationKeyPems: readonly string[];
  }>;
  mail: Readonly<{
    from: string;
    /** Deliver through this SMTP server; without it, e-mails are written to the log (development). */
    smtpUrl: string | undefined;
    /** Page of the client app that completes a reset; the token is appended as `?token=`. */
    passwordResetUrl: string;
    /** Page of the client app that completes an e-mail verification (sign-up or change); `?token=` is appended. */
    emailVerificationUrl: string;
    /** Consecutive delivery failures that open the circuit breaker, and how long it stays open. */
    breaker: Readonly<{ failures: number; resetMs: number }>;
    /** Sent messages' bodies (reset links among them) are purged from the outbox after this long. */
    retentionHours: number;
  }>;
  /** The job queue (platform/jobs): what a worker runs, how often a failed job is retried. */
  jobs: JobQueueConfig;
  /** An order's idempotency key answers retries for this long; then the same key places a new order. */
  idempotencyKeyTtlHours: number;
  /** Images and uploads (platform/storage, modules/upload): the local-disk driver or an S3-compatible store. */
  storage: StorageSettings;
  uploads: Readonly<{
    /** How long a createUpload URL accepts the PUT. */
    urlTtlSeconds: number;
    /** Uploads a user may have waiting (not attached, URL not expired) at once. */
    maxPendingPerUser: number;
    /** Uploads never attached are deleted (row and bytes) this long after their URL expired. */
    orphanAfterHours: number;
  }>;
  /**
   * Root fields read the selected tree below them in one statement (platform/planner). Off only to measure
   * what it buys (bench) and to compare its answers with the loaders' (tests).
   */
  queryPlanner: boolean;
  /** GraphQL subscriptions over WebSocket on the GraphQL path (platform/realtime). */
  subscriptions: Readonly<{
    enabled: boolean;
    limits: SubscriptionLimits;
    /** How far back, and how many missed events, a reconnecting subscriber's `after:` may replay. */
    resume: ResumeSettings;
  }>;
  /**
   * Prometheus metrics (platform/metrics). Off (null) unless METRICS_PORT or METRICS_TOKEN is set: nothing is
   * recorded then, so a gateway without a scraper pays nothing for them.
   */
  metrics: Readonly<{
    /** A listener of its own for `/metrics`; null: `/metrics` is served on the API port (token required). */
    port: number | null;
    host: string;
    /** Scrapes must send `Authorization: Bearer <token>`; null: no token (separate port only). */
    token: string | null;
  }> | null;
  /** Shared response cache for public reads, invalidated by the writes (platform/cache). */
  responseCache: Readonly<{
    enabled: boolean;
    /** Longest an entry lives, whatever the fields' hints allow; writes drop entries sooner. */
    maxTtlSeconds: number;
    /** Entries in each instance's in-process first tier (0: Redis only, or no cache without Redis). */
    localEntries: number;
    /**
     * Longest `Cache-Control: public, max-age` on GET persisted queries: browsers and CDNs hear of no
     * invalidation, so this bounds how stale their copies can be.
     */
    httpMaxAgeSeconds: number;
  }>;
  /** Social sign-in (platform/auth/oidc.ts): the configured OpenID Connect providers, by name. */
  oidc: Readonly<{
    providers: readonly OidcProviderSettings[];
    /** Where the browser lands after `/auth/oidc/:provider/callback`; `?error=<code>` is appended on failure. */
    successUrl: string;
  }>;
  /** OpenTelemetry spans (platform/tracing); off by default. */
  tracing: Readonly<{
    enabled: boolean;
    serviceName: string;
    /** Share of traces started here that are recorded (0..1); a caller's sampled `traceparent` decides for its own. */
    sampleRatio: number;
    /** Where spans go: OTLP over HTTP (protobuf), `<OTEL_EXPORTER_OTLP_ENDPOINT>/v1/traces`. */
    otlpTracesUrl: string;
    /** Sent with every export (a vendor's API key). */
    otlpHeaders: Readonly<Record<string, string>>;
  }>;
}>;

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((problem) => `  - ${problem}`).join("\n")}`);
    this.name = "ConfigError";
  }
}

/** Parses the environment once; throws a ConfigError naming every bad variable. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  // An empty variable means "not set", as in most shells' `FOO= cmd` usage.
  const present = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== undefined && value !== ""));
  const parsed = envSchema.safeParse(present);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`));
  }
  const e = parsed.data;
  const isProduction = e.NODE_ENV === "production";
  const embedded = e.DATABASE_URL === undefined;

  const problems: string[] = [];
  if (isProduction && !e.JWT_PRIVATE_KEY) {
    problems.push("JWT_PRIVATE_KEY: required in production (an Ed25519 key in PKCS#8 PEM form)");
  }
  if (e.QUERY_MAX_COST > e.RATE_LIMIT_BUDGET) {
    problems.push("QUERY_MAX_COST: must not exceed RATE_LIMIT_BUDGET (an operation that costs more could never run)");
  }
  // Production never runs on demo data by accident: no embedded database, no seeded accounts, unless a
  // demo deployment says so explicitly.
  if (isProduction && embedded && !e.DEMO_MODE) {
    problems.push(
      "DATABASE_URL: required in production (the embedded PGlite database is for development; DEMO_MODE=true runs a demo on it)",
    );
  }
  if (isProduction && e.DATABASE_SEED_ON_START && !e.DEMO_MODE) {
    problems.push(
      "DATABASE_SEED_ON_START: demo data is never seeded in production; set DEMO_MODE=true for a demo deployment",
    );
  }
  if (isProduction && e.CORS_ORIGINS?.includes("*")) {
    problems.push("CORS_ORIGINS: `*` is not allowed in production; list the origins");
  }
  if (e.DATABASE_REPLICA_URL && !e.DATABASE_URL) {
    problems.push("DATABASE_REPLICA_URL: a replica needs its primary in DATABASE_URL");
  }
  if (isProduction && e.REFRESH_COOKIE_INSECURE_DEV) {
    problems.push(
      "REFRESH_COOKIE_INSECURE_DEV: development only; production refresh cookies are always __Host- and Secure",
    );
  }
  if (e.METRICS_PORT !== undefined && e.METRICS_PORT === e.PORT) {
    problems.push("METRICS_PORT: must differ from PORT (unset it to serve /metrics on PORT behind METRICS_TOKEN)");
  }
  if (e.METRICS_HOST !== undefined && e.METRICS_PORT === undefined) {
    problems.push("METRICS_HOST: only used with METRICS_PORT (the metrics listener's interface)");
  }
  if (e.REDIS_CLUSTER && !e.REDIS_URL) {
    problems.push("REDIS_CLUSTER: needs the cluster's seed nodes in REDIS_URL");
  }
  if (e.REDIS_URL && e.REDIS_CLUSTER) {
    try {
      parseClusterUrl(e.REDIS_URL);
    } catch (error) {
      problems.push(`REDIS_URL: ${(error as Error).message}`);
    }
  } else if (
    e.REDIS_URL?.replace(/^rediss?:\/\/([^@/]*@)?/, "")
      .split("/")[0]
      ?.includes(",")
  ) {
    problems.push("REDIS_URL: several hosts name a Redis Cluster; set REDIS_CLUSTER=true");
  }
  if (e.STORAGE_DRIVER === "s3") {
    for (const name of ["S3_BUCKET", "S3_ACCESS_KEY_ID", "S3_SECRET_ACCESS_KEY"] as const) {
      if (!e[name]) problems.push(`${name}: required with STORAGE_DRIVER=s3`);
    }
  }
  for (const [name, provider] of Object.entries(e.OIDC_PROVIDERS ?? {})) {
    // http is for a provider on this machine in development and tests; tokens cross the network otherwise.
    if (isProduction && !provider.issuer.startsWith("https://")) {
      problems.push(`OIDC_PROVIDERS: ${name}: the issuer must be https:// in production`);
    }
    if (isProduction && !(provider.redirectBase ?? e.OIDC_REDIRECT_BASE)) {
      problems.push(`OIDC_REDIRECT_BASE: required in production with OIDC_PROVIDERS (${name} has no redirectBase)`);
    }
  }
  if (problems.length > 0) throw new ConfigError(problems);
  // Outside production listen on loopback only, so a laptop never exposes a dev server with a dev key.
  const host = e.HOST ?? (isProduction ? "0.0.0.0" : "127.0.0.1");

  return deepFreeze({
    env: e.NODE_ENV,
    isProduction,
    http: {
      host,
      port: e.PORT,
      shutdownGraceMs: e.SHUTDOWN_GRACE_MS,
      trustProxy: e.TRUST_PROXY ?? [],
      corsOrigins: e.CORS_ORIGINS ?? [],
      refreshCookieInsecure: e.REFRESH_COOKIE_INSECURE_DEV,
      bodyLimitBytes: e.REQUEST_BODY_LIMIT_BYTES,
      requestTimeoutMs: e.REQUEST_TIMEOUT_MS,
    },
    log: { level: e.LOG_LEVEL },
    database: {
      url: e.DATABASE_URL,
      pgliteDir: e.PGLITE_DIR,
      poolSize: e.DATABASE_POOL_SIZE,
      poolTimeoutMs: e.DATABASE_POOL_TIMEOUT_MS,
      statementTimeoutMs: e.DATABASE_STATEMENT_TIMEOUT_MS,
      preparedStatements: e.DATABASE_PREPARED_STATEMENTS,
      replicaUrl: e.DATABASE_REPLICA_URL,
      readYourWritesMs: e.READ_YOUR_WRITES_MS,
      // The embedded database is ours to manage; a real server is migrated by a deploy step (npm run db:migrate).
      migrateOnStart: e.DATABASE_MIGRATE_ON_START ?? embedded,
      seedOnStart: e.DATABASE_SEED_ON_START ?? embedded,
      seedScale: e.SEED_SCALE,
      seedRandomPasswords: isProduction,
    },
    redis: {
      url: e.REDIS_URL,
      cluster: e.REDIS_CLUSTER,
      keyPrefix: e.REDIS_KEY_PREFIX,
      connectTimeoutMs: e.REDIS_CONNECT_TIMEOUT_MS,
      commandTimeoutMs: e.REDIS_COMMAND_TIMEOUT_MS,
    },
    graphql: {
      // A public schema is no secret, but production does not hand attackers a map unless asked to.
      introspection: e.INTROSPECTION ?? !isProduction,
      compiledExecution: e.COMPILED_EXECUTION,
      maxDepth: e.QUERY_MAX_DEPTH,
      maxAliases: e.QUERY_MAX_ALIASES,
      maxDirectives: e.QUERY_MAX_DIRECTIVES,
      maxTokens: e.QUERY_MAX_TOKENS,
      maxCost: e.QUERY_MAX_COST,
      persistedOperations: {
        mode: e.PERSISTED_OPERATIONS,
        manifests: e.PERSISTED_OPERATIONS_MANIFESTS,
        apqTtlSeconds: e.APQ_TTL_SECONDS,
      },
    },
    rateLimit: { budget: e.RATE_LIMIT_BUDGET, restoreRate: e.RATE_LIMIT_RESTORE_RATE },
    auth: {
      issuer: e.JWT_ISSUER,
      audience: e.JWT_AUDIENCE,
      privateKeyPem: e.JWT_PRIVATE_KEY,
      verificationKeyPems: e.JWT_VERIFICATION_KEYS ?? [],
    },
    mail: {
      from: e.MAIL_FROM,
      smtpUrl: e.SMTP_URL,
      passwordResetUrl: e.PASSWORD_RESET_URL,
      emailVerificationUrl: e.EMAIL_VERIFICATION_URL,
      breaker: { failures: e.MAIL_BREAKER_FAILURES, resetMs: e.MAIL_BREAKER_RESET_MS },
      retentionHours: e.OUTBOX_RETENTION_HOURS,
    },
    jobs: {
      worker: e.JOBS_WORKER,
      concurrency: e.JOBS_CONCURRENCY,
      poolSize: e.JOBS_POOL_SIZE,
      pollIntervalSeconds: e.JOBS_POLL_INTERVAL_SECONDS,
      retryDelaySeconds: e.JOBS_RETRY_DELAY_SECONDS,
      retryDelayMaxSeconds: e.JOBS_RETRY_DELAY_MAX_SECONDS,
      monitorIntervalSeconds: e.JOBS_MONITOR_INTERVAL_SECONDS,
      timeoutSeconds: e.JOBS_TIMEOUT_SECONDS,
      shutdownTimeoutMs: e.JOBS_SHUTDOWN_TIMEOUT_MS,
    },
    idempotencyKeyTtlHours: e.IDEMPOTENCY_KEY_TTL_HOURS,
    storage:
      e.STORAGE_DRIVER === "s3"
        ? {
            driver: "s3",
            endpoint: e.S3_ENDPOINT,
            region: e.S3_REGION,
            bucket: e.S3_BUCKET ?? "",
            accessKeyId: e.S3_ACCESS_KEY_ID ?? "",
            secretAccessKey: e.S3_SECRET_ACCESS_KEY ?? "",
            forcePathStyle: e.S3_FORCE_PATH_STYLE,
            publicUrl: e.S3_PUBLIC_URL,
            gatewayBaseUrl: e.STORAGE_PUBLIC_URL ?? "",
          }
        : {
            driver: "local",
            dir: e.STORAGE_DIR,
            signingSecret: e.STORAGE_SIGNING_SECRET ?? randomBytes(32).toString("hex"),
            publicBaseUrl: e.STORAGE_PUBLIC_URL ?? "",
          },
    uploads: {
      urlTtlSeconds: e.UPLOAD_URL_TTL_SECONDS,
      maxPendingPerUser: e.UPLOAD_MAX_PENDING_PER_USER,
      orphanAfterHours: e.UPLOAD_ORPHAN_AFTER_HOURS,
    },
    queryPlanner: e.QUERY_PLANNER,
    subscriptions: {
      enabled: e.SUBSCRIPTIONS,
      limits: {
        maxConnectionsPerAddress: e.SUBSCRIPTION_MAX_CONNECTIONS_PER_ADDRESS,
        maxConnectionsPerUser: e.SUBSCRIPTION_MAX_CONNECTIONS_PER_USER,
        maxSubscriptionsPerConnection: e.SUBSCRIPTION_MAX_PER_CONNECTION,
        initTimeoutMs: e.SUBSCRIPTION_INIT_TIMEOUT_MS,
        keepAliveMs: e.SUBSCRIPTION_KEEP_ALIVE_MS,
        maxMessageBytes: e.SUBSCRIPTION_MAX_MESSAGE_BYTES,
        maxBufferedBytes: e.SUBSCRIPTION_MAX_BUFFERED_BYTES,
      },
      resume: {
        windowMs: e.SUBSCRIPTION_RESUME_WINDOW_MINUTES * 60_000,
        maxEvents: e.SUBSCRIPTION_RESUME_MAX_EVENTS,
      },
    },
    // Never on the API port without a token: the metrics name operations and show load to whoever asks.
    metrics:
      e.METRICS_PORT !== undefined || e.METRICS_TOKEN !== undefined
        ? { port: e.METRICS_PORT ?? null, host: e.METRICS_HOST ?? host, token: e.METRICS_TOKEN ?? null }
        : null,
    responseCache: {
      enabled: e.RESPONSE_CACHE,
      maxTtlSeconds: e.RESPONSE_CACHE_MAX_TTL_SECONDS,
      localEntries: e.RESPONSE_CACHE_LOCAL_ENTRIES,
      httpMaxAgeSeconds: e.RESPONSE_CACHE_HTTP_MAX_AGE_SECONDS,
    },
    oidc: {
      providers: Object.entries(e.OIDC_PROVIDERS ?? {}).map(([name, provider]) => ({
        name,
        issuer: provider.issuer,
        clientId: provider.clientId,
        clientSecret: provider.clientSecret,
        scopes: provider.scopes,
        redirectUri: `${provider.redirectBase ?? e.OIDC_REDIRECT_BASE ?? `http://localhost:${e.PORT}`}/auth/oidc/${name}/callback`,
      })),
      successUrl: e.OIDC_SUCCESS_URL,
    },
    tracing: {
      // Naming a collector is enough to turn it on; TRACING=false keeps it off all the same.
      enabled: e.TRACING ?? e.OTEL_EXPORTER_OTLP_ENDPOINT !== undefined,
      serviceName: e.OTEL_SERVICE_NAME,
      sampleRatio: e.TRACING_SAMPLE_RATIO,
      // The OTLP convention: the general endpoint gets the signal's path appended.
      otlpTracesUrl: `${(e.OTEL_EXPORTER_OTLP_ENDPOINT ?? "http://localhost:4318").replace(/\/+$/, "")}/v1/traces`,
      otlpHeaders: e.OTEL_EXPORTER_OTLP_HEADERS ?? {},
    },
  });
}

/** OTEL_EXPORTER_OTLP_HEADERS: `key=value,key2=value2`, values URL-encoded (the OpenTelemetry format); null if malformed. */
function parseOtlpHeaders(text: string): Record<string, string> | null {
  const headers: Record<string, string> = {};
  for (const pair of text.split(",")) {
    if (pair.trim() === "") continue;
    const at = pair.indexOf("=");
    const name = pair.slice(0, at).trim();
    if (at <= 0 || !/^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/.test(name)) return null;
    try {
      headers[name] = decodeURIComponent(pair.slice(at + 1).trim());
    } catch {
      return null;
    }
  }
  return headers;
}

function splitPems(text: string): string[] {
  return text.match(/-----BEGIN PUBLIC KEY-----[\s\S]+?-----END PUBLIC KEY-----/g) ?? [];
}

function isEd25519PrivateKey(pem: string): boolean {
  try {
    return createPrivateKey(pem).asymmetricKeyType === "ed25519";
  } catch {
    return false;
  }
}

function isEd25519PublicKey(pem: string): boolean {
  try {
    return createPublicKey(pem).asymmetricKeyType === "ed25519";
  } catch {
    return false;
  }
}

function deepFreeze<T extends object>(value: T): T {
  for (const child of Object.values(value)) {
    if (child && typeof child === "object") deepFreeze(child);
  }
  return Object.freeze(value);
}
