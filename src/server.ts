import { randomUUID } from "node:crypto";
import { ApolloServer } from "@apollo/server";
import {
  ApolloServerPluginCacheControlDisabled,
  ApolloServerPluginLandingPageDisabled,
} from "@apollo/server/plugin/disabled";
import { ApolloServerPluginLandingPageLocalDefault } from "@apollo/server/plugin/landingPage/default";
import { fastifyApolloDrainPlugin } from "@as-integrations/fastify";
import fastifyCookie from "@fastify/cookie";
import Fastify, { type FastifyBaseLogger, type FastifyInstance, type FastifyRequest, LogController } from "fastify";
import type { Config } from "./config/index.js";
import { createLoaders, type RequestContext } from "./context.js";
import { createSessionRevocations, type SessionRevocations } from "./platform/auth/revocation.js";
import { type AccessTokens, createAccessTokens, InvalidTokenError, type Viewer } from "./platform/auth/tokens.js";
import { costLimitPlugin } from "./platform/cost/index.js";
import type { Database } from "./platform/db/database.js";
import { unauthenticated } from "./platform/errors/index.js";
import {
  applyDeadlineGuard,
  loadOperationManifests,
  PersistedOperationCache,
  presentLimitErrors,
  type QueryLimitSettings,
  queryLimitRules,
  queryParseOptions,
  registerGraphQLRoute,
  registerHttpHardening,
} from "./platform/limits/index.js";
import { createLogger, type Logger } from "./platform/logger/index.js";
import { createMailer, logTransport, type MailTransport, smtpTransport } from "./platform/mail/index.js";
import { errorReportingPlugin, maskError, type RequestTrace } from "./platform/plugins/error-masking.js";
import {
  type AppliedFieldLimits,
  applyFieldLimits,
  type FieldLimitTable,
  fieldLimits,
  identifyCaller,
  Limiter,
} from "./platform/rate-limit/index.js";
import { connectRedis, MemoryKeyValueCache, type RedisConnection, RedisKeyValueCache } from "./platform/redis/index.js";
import { buildGatewaySchema } from "./schema.js";

export type ServerDeps = {
  db: Database;
  /** Defaults to SMTP when SMTP_URL is set, else the log. Tests pass a fake. */
  mailTransport?: MailTransport;
  /** Defaults to a pino logger at the configured level. */
  logger?: Logger;
  /** Per-field rate limits; defaults to the gateway's table (platform/rate-limit/field-limits.ts). */
  fieldLimits?: FieldLimitTable;
  /**
   * Benchmark only: build without the protection stack (cost limits and budgets, field limits, query
   * limits, deadline, security headers, CORS) to measure what it costs. Never set by configuration.
   */
  withoutProtection?: boolean;
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
  /** Stops accepting, lets in-flight requests finish, then closes the database and Redis. */
  close(): Promise<void>;
};

declare module "fastify" {
  interface FastifyRequest {
    graphqlTrace: RequestTrace | null;
  }
}

/** A client-supplied request id is kept only if it cannot forge log lines or bloat them. */
const acceptableRequestId = /^[A-Za-z0-9._:-]{1,128}$/;

/** Builds the whole gateway, ready to `listen` (main.ts) or to `inject` requests into (tests). */
export async function buildServer(config: Config, deps: ServerDeps): Promise<Gateway> {
  const logger = deps.logger ?? createLogger(config.log.level);
  const { db } = deps;
  const tokens = await createAccessTokens(config.auth, logger);
  const mailTransport =
    deps.mailTransport ??
    (config.mail.smtpUrl ? smtpTransport(config.mail.smtpUrl) : logTransport(logger, !config.isProduction));
  const protect = deps.withoutProtection !== true;
  // Before connecting anything: a missing or tampered manifest stops start-up here.
  const persisted = config.graphql.persistedOperations;
  const manifests = await loadOperationManifests(persisted.manifests, { required: persisted.mode === "trusted" });
  if (manifests.loaded.length > 0) {
    logger.info({ manifests: manifests.loaded, operations: manifests.manifest.size }, "persisted operation manifests");
  }
  const redis = config.redis.url ? connectRedis({ ...config.redis, url: config.redis.url }, logger) : null;
  const limiter = new Limiter(redis, logger);
  // Start with Redis if it answers within the connect timeout; otherwise start anyway (limits fall back
  // or fail closed) and let the connection catch up.
  if (redis && !(await redis.connected(config.redis.connectTimeoutMs))) {
    logger.warn("starting without redis: budgets count per instance and fail-closed limits refuse until it is up");
  }
  const revocations = createSessionRevocations(redis, logger);
  if (redis?.isReady() && !(await revocations.synced(config.redis.connectTimeoutMs))) {
    logger.warn("starting before the revoked-session set was loaded from redis; it loads in the background");
  }
  const auth = {
    tokens,
    revocations,
    mailer: createMailer(db.prisma, mailTransport, config.mail.from, logger),
    passwordResetUrl: config.mail.passwordResetUrl,
  };

  const app = Fastify({
    loggerInstance: logger as FastifyBaseLogger,
    // X-Forwarded-For is believed only from these addresses; anyone else could forge it to dodge limits.
    trustProxy: config.http.trustProxy.length > 0 ? [...config.http.trustProxy] : false,
    bodyLimit: config.http.bodyLimitBytes,
    // Time to receive a whole request: a client trickling its body (slowloris) is cut off.
    requestTimeout: 30_000,
    // One line per request, written in onResponse below, instead of Fastify's two.
    logController: new LogController({ disableRequestLogging: true, requestIdLogLabel: "requestId" }),
    requestIdHeader: false,
    genReqId: (request) => {
      const incoming = request.headers["x-request-id"];
      return typeof incoming === "string" && acceptableRequestId.test(incoming) ? incoming : randomUUID();
    },
  });
  app.decorateRequest("graphqlTrace", null);

  app.addHook("onSend", async (request, reply) => {
    reply.header("x-request-id", request.id);
  });
  app.addHook("onResponse", async (request, reply) => {
    const trace = request.graphqlTrace;
    request.log.info(
      {
        method: request.method,
        url: request.url.split("?")[0],
        statusCode: reply.statusCode,
        durationMs: Math.round(reply.elapsedTime * 10) / 10,
        ...(trace ? { operationName: trace.operationName, errorCodes: trace.errorCodes } : {}),
      },
      "request completed",
    );
  });

  app.get("/health", async () => ({ status: "ok" }));
  app.get("/ready", async (_request, reply) => {
    const database = await db.prisma.$queryRaw`SELECT 1`.then(
      () => "up" as const,
      (error: unknown) => {
        logger.warn({ err: error }, "readiness check: database unreachable");
        return "down" as const;
      },
    );
    // Redis is reported but does not decide readiness: without it the gateway still serves (limits fall
    // back to this process, or fail closed), and pulling every instance out of the load balancer at
    // once would turn a Redis outage into a full one.
    const checks = redis ? { database, redis: await redis.health() } : { database };
    const ready = database === "up";
    return reply.code(ready ? 200 : 503).send({ status: ready ? "ready" : "not ready", checks });
  });

  const limitSettings: QueryLimitSettings = {
    maxDepth: config.graphql.maxDepth,
    maxAliases: config.graphql.maxAliases,
    maxDirectives: config.graphql.maxDirectives,
    maxTokens: config.graphql.maxTokens,
    hideThresholds: config.isProduction,
  };
  const schema = await buildGatewaySchema();
  const appliedFieldLimits = protect
    ? applyFieldLimits(schema, deps.fieldLimits ?? fieldLimits, limiter)
    : { applied: [], missing: [] };
  if (appliedFieldLimits.missing.length > 0) {
    logger.info({ missing: appliedFieldLimits.missing }, "field rate limits waiting for fields not in the schema");
  }
  // Last, so it wraps outermost: past the deadline a field fails before its limit or rule is checked.
  if (protect) applyDeadlineGuard(schema);

  const registrations =
    persisted.mode !== "auto"
      ? null
      : redis
        ? new RedisKeyValueCache(redis, "apq", persisted.apqTtlSeconds)
        : new MemoryKeyValueCache(10_000, persisted.apqTtlSeconds);

  const apollo = new ApolloServer<RequestContext>({
    schema,
    introspection: config.graphql.introspection,
    // No "Did you mean …?" in production: suggestions map the schema for anyone probing it.
    hideSchemaDetailsFromClientErrors: config.isProduction,
    includeStacktraceInErrorResponses: false,
    csrfPrevention: true,
    allowBatchedHttpRequests: false,
    persistedQueries:
      persisted.mode === "off"
        ? false
        : { cache: new PersistedOperationCache(manifests.manifest, registrations), ttl: persisted.apqTtlSeconds },
    ...(protect
      ? {
          validationRules: queryLimitRules(limitSettings),
          parseOptions: queryParseOptions(limitSettings),
          // Apollo's guard against fragment fan-out (a small document that expands to millions of fields).
          maxRecursiveSelections: true,
        }
      : {}),
    formatError: (formatted, error) => presentLimitErrors(maskError(formatted, error), error, limitSettings),
    plugins: [
      fastifyApolloDrainPlugin(app),
      // Cache hints are not used; the plugin alone costs about half the throughput (stack-facts).
      ApolloServerPluginCacheControlDisabled(),
      config.isProduction
        ? ApolloServerPluginLandingPageDisabled()
        : ApolloServerPluginLandingPageLocalDefault({ embed: true, includeCookies: false }),
      errorReportingPlugin(),
      ...(protect
        ? [
            costLimitPlugin({
              limiter,
              maxCost: config.graphql.maxCost,
              budget: { capacity: config.rateLimit.budget, restorePerSecond: config.rateLimit.restoreRate },
            }),
          ]
        : []),
    ],
  });
  await apollo.start();

  const authenticate = async (request: FastifyRequest): Promise<Viewer | null> => {
    const header = request.headers.authorization;
    if (header === undefined) return null;
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    if (!match?.[1]) {
      throw unauthenticated("The Authorization header must be `Bearer <access token>`.", { http: { status: 401 } });
    }
    try {
      const viewer = await tokens.verify(match[1]);
      // Signed-out, password-changed and deleted accounts' sessions: refused at once, on every instance.
      if (revocations.isRevoked(viewer.sessionId)) throw new InvalidTokenError("session revoked");
      return viewer;
    } catch (error) {
      if (!(error instanceof InvalidTokenError)) throw error;
      request.log.info({ reason: error.reason }, "rejected access token");
      // A bad token fails the whole request with 401 (not a silent downgrade to anonymous), so clients
      // notice and refresh instead of rendering a signed-out page.
      throw unauthenticated("The access token is invalid or expired. Refresh the session or sign in again.", {
        http: { status: 401, headers: new Map([["www-authenticate", 'Bearer error="invalid_token"']]) },
      });
    }
  };

  if (protect) {
    await registerHttpHardening(app, { production: config.isProduction, corsOrigins: config.http.corsOrigins });
  }
  await app.register(fastifyCookie);
  await registerGraphQLRoute(app, apollo, {
    bodyLimitBytes: config.http.bodyLimitBytes,
    deadlineMs: protect ? config.http.requestTimeoutMs : 2_147_483_647,
    trustedOperations: persisted.mode === "trusted" ? manifests.manifest : null,
    context: async (request, reply) => {
      const viewer = await authenticate(request);
      const trace: RequestTrace = { operationName: null, errorCodes: [] };
      request.graphqlTrace = trace;
      return {
        requestId: request.id,
        viewer,
        prisma: db.prisma,
        log: request.log,
        trace,
        loaders: createLoaders({ prisma: db.prisma, viewer, batch: config.dataloaderBatch }),
        auth,
        http: {
          ip: request.ip,
          userAgent: request.headers["user-agent"] ?? null,
          getCookie: (name) => request.cookies[name],
          setCookie: (name, value, expires) => {
            reply.setCookie(name, value, { httpOnly: true, secure: true, sameSite: "strict", path: "/", expires });
          },
          clearCookie: (name) => {
            reply.clearCookie(name, { httpOnly: true, secure: true, sameSite: "strict", path: "/" });
          },
        },
        limits: {
          caller: identifyCaller(viewer, request.ip),
          deadline: request.graphqlDeadline,
          cost: null,
          refusal: null,
        },
      };
    },
  });

  return {
    app,
    tokens,
    revocations,
    redis,
    limiter,
    fieldLimits: appliedFieldLimits,
    async close() {
      try {
        await app.close(); // the drain plugin stops Apollo after in-flight requests finish
      } finally {
        await revocations.close();
        await redis?.close();
        await db.close();
      }
    },
  };
}
