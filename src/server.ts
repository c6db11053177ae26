import type { SpanExporter } from "@opentelemetry/sdk-trace";
import type { FastifyInstance } from "fastify";
import type { Config } from "./config/index.js";
import { defaultMailTransport, startJobs } from "./jobs.js";
import { registerOidcRoutes } from "./modules/account/index.js";
import { registerRequestPipeline } from "./pipeline.js";
import { OidcProviders } from "./platform/auth/oidc.js";
import { createSessionRevocations, type SessionRevocations } from "./platform/auth/revocation.js";
import { type AccessTokens, createAccessTokens } from "./platform/auth/tokens.js";
import { TaggedCache } from "./platform/cache/index.js";
import type { Database } from "./platform/db/database.js";
import { createHttpApp, registerHealthRoutes } from "./platform/http/app.js";
import { registerDrain } from "./platform/http/drain.js";
import type { JobQueue } from "./platform/jobs/index.js";
import { loadOperationManifests } from "./platform/limits/index.js";
import { createLogger, type Logger } from "./platform/logger/index.js";
import type { MailTransport, Outbox } from "./platform/mail/index.js";
import { exposeMetrics, type Metrics, operationNamesOf } from "./platform/metrics/index.js";
import { type AppliedFieldLimits, type FieldLimitTable, fieldLimits, Limiter } from "./platform/rate-limit/index.js";
import { createEventBus, type EventBus, type SubscriptionServer } from "./platform/realtime/index.js";
import { connectRedis, type RedisConnection } from "./platform/redis/index.js";
import { createStorage, registerStorageRoutes } from "./platform/storage/index.js";
import { startTracing, traceRedisCommands } from "./platform/tracing/index.js";

export type ServerDeps = {
  db: Database;
  /** Defaults to SMTP when SMTP_URL is set, else the log. Tests pass a fake or their own SMTP server. */
  mailTransport?: MailTransport;
  /** Defaults to a pino logger at the configured level. */
  logger?: Logger;
  /** Per-field rate limits; defaults to the gateway's table (platform/rate-limit/field-limits.ts). */
  fieldLimits?: FieldLimitTable;
  /** Benchmark only: replaces the e-mail outbox (e.g. with one that records nothing) to measure what enqueueing costs. */
  mailOutbox?: Outbox;
  /**
   * Benchmark only: build without the protection stages (cost limits and budgets, field limits, query
   * limits, deadline, security headers, CORS) to measure what they cost. Never set by configuration.
   */
  withoutProtection?: boolean;
  /**
   * With tracing on (TRACING), where spans go: defaults to OTLP (OTEL_EXPORTER_OTLP_ENDPOINT), in batches.
   * Tests pass an InMemorySpanExporter, which then gets each span as it ends.
   */
  spanExporter?: SpanExporter;
};

export type Gateway = {
  app: FastifyInstance;
  tokens: AccessTokens;
  /** Sessions whose access tokens are refused (logout and friends), shared through Redis when configured. */
  revocations: SessionRevocations;
  /** The shared Redis, when REDIS_URL is set. */
  redis: RedisConnection | null;
  /** Budgets and field limits (Redis, or this process when Redis is absent or away). */
  limiter: Limiter;
  /** Which field limits found their field in the schema, and which wait for it. */
  fieldLimits: AppliedFieldLimits;
  /** The background job queue (with this process's workers unless JOBS_WORKER=false). */
  jobs: JobQueue;
  /** WebSocket connections and subscriptions (null when SUBSCRIPTIONS is off). */
  subscriptions: SubscriptionServer | null;
  /** Real-time events: what services publish, shared with every instance through Redis when configured. */
  events: EventBus;
  /**
   * This gateway's Prometheus registry, for features that add series of their own (`metrics.gauge`...);
   * null when metrics are off (no METRICS_PORT or METRICS_TOKEN).
   */
  metrics: Metrics | null;
  /** The metrics' own listener when METRICS_PORT is set (main.ts listens on it); otherwise null. */
  metricsApp: FastifyInstance | null;
  /**
   * Stops accepting, lets in-flight requests finish, then closes the database and Redis. With `drainMs`,
   * requests still unanswered after that long get 503 SERVICE_UNAVAILABLE instead of a reset connection.
   */
  close(options?: { drainMs?: number }): Promise<void>;
};

/** Builds the whole gateway, ready to `listen` (main.ts) or to `inject` requests into (tests). */
export async function buildServer(config: Config, deps: ServerDeps): Promise<Gateway> {
  const logger = deps.logger ?? createLogger(config.log.level);
  const { db } = deps;

  // Before connecting anything: a missing or tampered manifest stops start-up here.
  const persisted = config.graphql.persistedOperations;
  const manifests = await loadOperationManifests(persisted.manifests, { required: persisted.mode === "trusted" });
  if (manifests.loaded.length > 0) {
    logger.info({ manifests: manifests.loaded, operations: manifests.manifest.size }, "persisted operation manifests");
  }

  const tracing = config.tracing.enabled ? startTracing(config.tracing, logger, { exporter: deps.spanExporter }) : null;
  if (tracing) {
    logger.info(
      {
        traces: deps.spanExporter ? "in process" : config.tracing.otlpTracesUrl,
        sampleRatio: config.tracing.sampleRatio,
      },
      "tracing on",
    );
  }
  const tokens = await createAccessTokens(config.auth, logger);
  const oidc = new OidcProviders(config.oidc.providers);
  const storage = createStorage(config.storage);
  const jobs = await startJobs(db, config, deps.mailTransport ?? defaultMailTransport(config, logger), logger, storage);
  const redis = config.redis.url ? connectRedis({ ...config.redis, url: config.redis.url }, logger) : null;
  if (redis && tracing) traceRedisCommands(redis.client);
  const limiter = new Limiter(redis, logger);
  // Start with Redis if it answers within the connect timeout; otherwise start anyway (limits fall back
  // or fail closed) and let the connection catch up.
  if (redis && !(await redis.connected(config.redis.connectTimeoutMs))) {
    logger.warn("starting without redis: budgets count per instance and fail-closed limits refuse until it is up");
  }
  const revocations = createSessionRevocations(redis, logger);
  const cache = config.responseCache.enabled
    ? new TaggedCache(redis, logger, { localEntries: config.responseCache.localEntries })
    : null;
  const events = createEventBus(redis, logger);
  if (redis?.isReady() && !(await revocations.synced(config.redis.connectTimeoutMs))) {
    logger.warn("starting before the revoked-session set was loaded from redis; it loads in the background");
  }

  const app = createHttpApp(
    { trustProxy: config.http.trustProxy, bodyLimitBytes: config.http.bodyLimitBytes, tracing },
    logger,
  );
  const drain = registerDrain(app);
  const { metrics, metricsApp } = config.metrics
    ? exposeMetrics(app, config.metrics, {
        knownOperations: operationNamesOf(manifests.manifest.values()),
        probes: {
          databasePool: db.poolStats,
          redisReady: redis ? () => redis.isReady() : undefined,
          jobQueue: () => jobs.queue.stats(),
        },
        log: logger,
      })
    : { metrics: null, metricsApp: null };
  registerHealthRoutes(
    app,
    { database: () => db.prisma.$queryRaw`SELECT 1`, ...(redis ? { redis: () => redis.health() } : {}) },
    logger,
  );
  // The local driver's signed PUT and file routes (README, "Images and uploads").
  registerStorageRoutes(app, storage);
  const pipeline = await registerRequestPipeline(
    app,
    config,
    {
      db,
      redis,
      limiter,
      manifest: manifests.manifest,
      cache,
      tracing,
      auth: {
        tokens,
        revocations,
        passwordResetUrl: config.mail.passwordResetUrl,
        emailVerificationUrl: config.mail.emailVerificationUrl,
        oidc,
      },
      mail: deps.mailOutbox ?? jobs.outbox,
      jobs: jobs.queue,
      uploads: { storage, ...config.uploads },
      events,
      log: logger,
      metrics,
    },
    { protection: deps.withoutProtection !== true, fieldLimits: deps.fieldLimits ?? fieldLimits },
  );
  // Browser social sign-in; after the pipeline, which registered the cookie plugin these use.
  registerOidcRoutes(app, {
    providers: oidc,
    deps: {
      prisma: db.prisma,
      mail: deps.mailOutbox ?? jobs.outbox,
      emailVerificationUrl: config.mail.emailVerificationUrl,
      log: logger,
    },
    successUrl: config.oidc.successUrl,
    insecureCookies: config.http.refreshCookieInsecure,
    limiter,
  });
  const { subscriptions } = pipeline;
  if (metrics && subscriptions) {
    metrics.gauge({
      name: "gateway_websocket_connections",
      help: "Open WebSocket (subscription) connections on this instance.",
      collect() {
        this.set(subscriptions.connections);
      },
    });
    metrics.gauge({
      name: "gateway_subscriptions",
      help: "Active GraphQL subscriptions on this instance.",
      collect() {
        this.set(subscriptions.subscriptions);
      },
    });
  }
  if (pipeline.fieldLimits.missing.length > 0) {
    logger.info({ missing: pipeline.fieldLimits.missing }, "field rate limits waiting for fields not in the schema");
  }

  return {
    app,
    tokens,
    revocations,
    redis,
    limiter,
    fieldLimits: pipeline.fieldLimits,
    jobs: jobs.queue,
    subscriptions: pipeline.subscriptions,
    events,
    metrics,
    metricsApp,
    async close(options = {}) {
      try {
        const closing = drain.close(options.drainMs);
        // WebSockets last (1001): events of the mutations still in flight reach their subscribers.
        await Promise.race([drain.idle(), closing]);
        pipeline.subscriptions?.close();
        await closing;
        // Only now: in-flight operations needed Apollo running.
        await pipeline.stop();
      } finally {
        // Scrapes go on while the drain runs: the last ones show how the shutdown went.
        await metricsApp?.close();
        // Running jobs finish (or are failed for a retry) before the database they use closes.
        await jobs.queue.stop();
        await revocations.close();
        await events.close();
        await cache?.close();
        await redis?.close();
        await db.close();
        // Last: the spans of everything above are exported before the process goes.
        await tracing?.shutdown();
      }
    },
  };
}
