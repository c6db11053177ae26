// Every stage a GraphQL request passes, in the order it meets them. A new stage is one entry here, in its
// place; the stages themselves live in src/platform and know nothing of the app.
//
//   0. Tracing          a span per request, parse/validate/execute spans     platform/tracing (when on;
//                        (SQL and Redis spans hang under them)              http span: platform/http)
//   1. HTTP hardening    security headers, CORS allow-list                  platform/limits/http-hardening
//   2. The route         body limit, trusted documents, execution deadline  platform/limits/graphql-route
//   3. Authentication    bearer token (not revoked) -> viewer -> context    platform/auth/authenticate
//   4. The document      persisted operations (APQ, published manifests)    platform/limits/persisted-operations
//   5. Parse, validate   tokens, depth, aliases, directives, fan-out;       platform/limits/query-limits,
//                        text the database cannot store                     platform/limits/text-input-guard
//   6. Response cache    public reads answered from the cache (cheaper)     platform/cache
//      Cost and budget   priced before any resolver, refused with no SQL    platform/cost
//   7. Each field        deadline -> field rate limits -> shield            below (shield spares `allow` fields)
//   8. Errors            masking, codes, request id on every error          platform/errors
//   9. Invalidation      what the request wrote is dropped from the cache   platform/cache
//                        on every instance before its response leaves
//  10. Metrics           the finished request's series (server.ts, when on) platform/metrics
//
// Subscriptions (GET upgraded to WebSocket on the same path) meet 3 (the token in connection_init), 5 and
// the cost of 6 when they start, and 7 and 8 for every event                 platform/realtime
import { ApolloServer } from "@apollo/server";
import {
  ApolloServerPluginCacheControlDisabled,
  ApolloServerPluginLandingPageDisabled,
} from "@apollo/server/plugin/disabled";
import { ApolloServerPluginLandingPageLocalDefault } from "@apollo/server/plugin/landingPage/default";
import fastifyCookie from "@fastify/cookie";
import type { FastifyInstance } from "fastify";
import type { GraphQLSchema } from "graphql";
import { applyMiddleware } from "graphql-middleware";
import type { Config } from "./config/index.js";
import type { RequestContext } from "./context.js";
import { createModuleLoaders, queryPlanner } from "./modules/index.js";
import { authenticate } from "./platform/auth/authenticate.js";
import {
  RequestCache,
  recordCacheTags,
  responseCachePlugin,
  SharedSelections,
  sharedFields,
  type TaggedCache,
} from "./platform/cache/index.js";
import { admitOperation, type CostPluginOptions, costLimitPlugin } from "./platform/cost/index.js";
import type { Database } from "./platform/db/database.js";
import { RecentWrites, readRoutingPlugin } from "./platform/db/read-routing.js";
import { errorReportingPlugin, formatError, presentErrors } from "./platform/errors/presentation.js";
import { compiledExecution } from "./platform/execution/index.js";
import {
  deadlineGuard,
  type OperationManifest,
  PersistedOperationCache,
  type QueryLimitSettings,
  queryLimitRules,
  queryParseOptions,
  registerGraphQLRoute,
  registerHttpHardening,
  textInputGuardPlugin,
} from "./platform/limits/index.js";
import { ChangeNotices } from "./platform/loaders/index.js";
import type { Logger } from "./platform/logger/index.js";
import type { Metrics } from "./platform/metrics/index.js";
import { answerPlannedRelations } from "./platform/planner/index.js";
import {
  type AppliedFieldLimits,
  type FieldLimitTable,
  fieldLimitGuard,
  identifyCaller,
  type Limiter,
} from "./platform/rate-limit/index.js";
import {
  type EventBus,
  type Events,
  registerSubscriptionServer,
  type SubscriptionServer,
} from "./platform/realtime/index.js";
import { MemoryKeyValueCache, type RedisConnection, RedisKeyValueCache } from "./platform/redis/index.js";
import { type Tracing, tracingPlugin } from "./platform/tracing/index.js";
import { buildTypeSchema, hasPublicRule, withPermissions } from "./schema.js";

/** What the pipeline's stages use, made once per server by buildServer. */
export type PipelineServices = Readonly<{
  db: Database;
  redis: RedisConnection | null;
  limiter: Limiter;
  auth: RequestContext["auth"];
  mail: RequestContext["mail"];
  jobs: RequestContext["jobs"];
  uploads: RequestContext["uploads"];
  /** Published operation manifests (trusted documents); loaded before anything connects. */
  manifest: OperationManifest;
  /** The response cache's store; null when RESPONSE_CACHE is off. */
  cache: TaggedCache | null;
  /** Spans (platform/tracing); null when tracing is off. */
  tracing: Tracing | null;
  /** Real-time events (Redis pub/sub when configured). */
  events: EventBus;
  log: Logger;
  /** Where stages report what they refused or found; null when metrics are off (nothing is recorded). */
  metrics: Metrics | null;
}>;

export type PipelineOptions = Readonly<{
  /**
   * Stages 1, 5, 6 and the deadline and field limits of 7 (everything that protects the server rather
   * than decides access). Only the benchmark turns this off, to measure what protection costs.
   */
  protection: boolean;
  /** Per-field rate limits (platform/rate-limit/field-limits.ts). */
  fieldLimits: FieldLimitTable;
}>;

/** Registers the GraphQL endpoint and everything in front of it; returns which field limits took effect. */
export async function registerRequestPipeline(
  app: FastifyInstance,
  config: Config,
  services: PipelineServices,
  options: PipelineOptions,
): Promise<{
  fieldLimits: AppliedFieldLimits;
  /** The WebSocket side; null when SUBSCRIPTIONS is off. */
  subscriptions: SubscriptionServer | null;
  stop: () => Promise<void>;
}> {
  const protection = options.protection ? protectionStages(config, services, options.fieldLimits) : null;
  const persisted = config.graphql.persistedOperations;
  const { metrics } = services;

  // 1. HTTP hardening
  if (protection) await registerHttpHardening(app, protection.http);
  await app.register(fastifyCookie);
  // Browsers that do not count http://localhost as secure (Safari; any browser on a LAN address) drop a
  // `Secure` cookie sent over http, and a `__Host-` name demands `Secure`. REFRESH_COOKIE_INSECURE_DEV (never
  // in production: config refuses it) drops both, so the browser sign-in flow works on a plain-http dev server.
  const insecureCookie = config.http.refreshCookieInsecure;
  const cookieName = (name: string) => (insecureCookie ? name.replace(/^__Host-/, "") : name);
  const cookieOptions = { httpOnly: true, secure: !insecureCookie, sameSite: "strict", path: "/" } as const;

  const typeSchema = await buildTypeSchema();
  // Relation fields the planner read answer from their parent row; the rest through their loaders.
  if (config.queryPlanner) answerPlannedRelations(typeSchema, queryPlanner);
  // 7. Each field, outermost first: past the deadline a field fails before its limit or rule is checked,
  // and a limited field counts calls the shield then refuses.
  const fieldLimits = protection?.fieldLimits(typeSchema) ?? { applied: [], missing: [], middleware: {} };
  // Both read which fields have resolvers of their own, so before the shield wraps them.
  const outerStages = protection ? [deadlineGuard(typeSchema), fieldLimits.middleware] : [];
  const shielded = withPermissions(typeSchema);
  const schema = outerStages.length > 0 ? applyMiddleware(shielded, ...outerStages) : shielded;
  const cacheStore = services.cache;
  if (cacheStore) recordCacheTags(schema);
  // 6. The response cache: before the cost plugin, which prices what it answers lower. Apollo's own
  // cache-control plugin is off either way: its per-field hook would wrap every resolver of the schema
  // (stack facts); the response cache reads the hints from the document instead (operationCachePolicy).
  const cachePlugins = [
    ApolloServerPluginCacheControlDisabled(),
    ...(cacheStore
      ? [
          responseCachePlugin({
            store: cacheStore,
            selections: new SharedSelections(typeSchema, sharedFields(typeSchema, hasPublicRule)),
            maxTtlSeconds: config.responseCache.maxTtlSeconds,
            httpMaxAgeSeconds: config.responseCache.httpMaxAgeSeconds,
            onLookup: metrics ? (hit) => metrics.cacheLookup(hit) : undefined,
          }),
        ]
      : []),
  ];

  const apollo = new ApolloServer<RequestContext>({
    ...(config.graphql.compiledExecution ? { gateway: compiledExecution(schema) } : { schema }),
    introspection: config.graphql.introspection,
    // No "Did you mean …?" in production: suggestions map the schema for anyone probing it.
    hideSchemaDetailsFromClientErrors: config.isProduction,
    includeStacktraceInErrorResponses: false,
    csrfPrevention: true,
    allowBatchedHttpRequests: false,
    // main.ts handles the signals: Apollo's own handler would stop it (and cut connections) mid-drain.
    stopOnTerminationSignals: false,
    // 4. The document
    persistedQueries:
      persisted.mode === "off"
        ? false
        : {
            cache: new PersistedOperationCache(services.manifest, apqRegistrations(config, services.redis)),
            ttl: persisted.apqTtlSeconds,
          },
    // 5. Parse and validation limits
    ...(protection?.document ?? {}),
    // 8. Errors
    formatError: formatError(config.isProduction),
    plugins: [
      // 0. First, so its spans enclose what the other plugins do in each phase.
      ...(services.tracing ? [tracingPlugin()] : []),
      // Before any resolver reads: which database a query reads from.
      ...(services.db.replica
        ? [readRoutingPlugin(new RecentWrites(services.redis, config.database.readYourWritesMs, services.log))]
        : []),
      ...cachePlugins,
      config.isProduction
        ? ApolloServerPluginLandingPageDisabled()
        : ApolloServerPluginLandingPageLocalDefault({ embed: true, includeCookies: false }),
      errorReportingPlugin(),
      // 5. Not part of the protection stages: text the database cannot store is the client's error, always.
      textInputGuardPlugin(),
      // 6. Cost and budget
      ...(protection?.plugins ?? []),
    ],
  });
  await apollo.start();

  const { publish, subscribe } = services.events;
  const events: Events = { publish, subscribe, resume: config.subscriptions.resume };
  const deadlineMs = protection ? config.http.requestTimeoutMs : 2_147_483_647;
  const lazyParts = lazyContextParts(services.db);
  /** A request's context; `http` and the deadline differ between HTTP requests and subscription events. */
  const createContext = (
    base: Pick<RequestContext, "requestId" | "traceId" | "viewer" | "log" | "http">,
    deadline: number,
  ): RequestContext =>
    Object.assign(Object.create(lazyParts) as RequestContext, {
      ...base,
      signedInAccounts: new Set<string>(),
      readFrom: "primary",
      planner: config.queryPlanner ? queryPlanner : null,
      trace: { operationName: null, operationType: null, errorCodes: [] },
      changes: new ChangeNotices(),
      cache: new RequestCache(cacheStore),
      auth: services.auth,
      mail: services.mail,
      jobs: services.jobs,
      uploads: services.uploads,
      events,
      limits: {
        caller: identifyCaller(base.viewer, base.http.ip),
        deadline,
        cost: null,
        refusal: null,
        cachedAnswer: null,
      },
    } satisfies Omit<RequestContext, "prisma" | "loaders">);

  // 3 and 5-8 for subscriptions, on the GraphQL path's GET (upgraded to WebSocket).
  const subscriptions = config.subscriptions.enabled
    ? await registerSubscriptionServer<RequestContext>(app, {
        schema,
        limits: config.subscriptions.limits,
        verifyToken: (token) => services.auth.tokens.verify(token),
        isRevoked: (sessionId) => services.auth.revocations.isRevoked(sessionId),
        documentLimits: protection ? protection.document : null,
        admit: async (context, document, operation, variables) =>
          protection ? protection.admitSubscription(context.limits, schema, document, operation, variables) : null,
        createContext: (connection, requestId) =>
          createContext(
            {
              requestId,
              // Subscription events are not traced (yet): they belong to no HTTP request's trace.
              traceId: null,
              viewer: connection.viewer,
              log: connection.log as RequestContext["log"],
              http: {
                ip: connection.ip,
                userAgent: connection.userAgent,
                // Cookies ride on HTTP only: nothing over WebSocket signs in or out.
                getCookie: () => undefined,
                setCookie: () => {},
                clearCookie: () => {},
              },
            },
            Date.now() + deadlineMs,
          ),
        presentErrors: (errors, requestId, log) => presentErrors(errors, requestId, log, config.isProduction),
        log: services.log,
      })
    : null;

  // 2. The route, and 3. authentication as the context is built
  await registerGraphQLRoute(app, apollo, {
    bodyLimitBytes: config.http.bodyLimitBytes,
    deadlineMs,
    trustedOperations: persisted.mode === "trusted" ? services.manifest : null,
    persistedQueries: persisted.mode !== "off",
    // Past the deadline, the request's statements still running in PostgreSQL are cancelled.
    cancellable: protection ? services.db.cancellable : undefined,
    ...(subscriptions ? { wsHandler: subscriptions.handler } : {}),
    onLoaderBatch: metrics?.loaderBatch,
    context: async (request, reply): Promise<RequestContext> => {
      const viewer = await authenticate(request, services.auth.tokens, services.auth.revocations);
      const context = createContext(
        {
          requestId: request.id,
          traceId: request.traceSpans?.traceId ?? null,
          viewer,
          log: request.log,
          http: {
            ip: request.ip,
            userAgent: request.headers["user-agent"] ?? null,
            getCookie: (name) => request.cookies[cookieName(name)],
            setCookie: (name, value, expires) => {
              reply.setCookie(cookieName(name), value, { ...cookieOptions, expires });
            },
            clearCookie: (name) => {
              reply.clearCookie(cookieName(name), cookieOptions);
            },
          },
        },
        request.graphqlDeadline,
      );
      request.graphqlTrace = context.trace;
      return context;
    },
  });
  return {
    fieldLimits: { applied: fieldLimits.applied, missing: fieldLimits.missing },
    subscriptions,
    stop: () => apollo.stop(),
  };
}

/** The protecting stages, configured once. */
function protectionStages(config: Config, services: PipelineServices, fieldLimitTable: FieldLimitTable) {
  const { metrics } = services;
  const limitSettings: QueryLimitSettings = {
    maxDepth: config.graphql.maxDepth,
    maxAliases: config.graphql.maxAliases,
    maxDirectives: config.graphql.maxDirectives,
    maxTokens: config.graphql.maxTokens,
    hideThresholds: config.isProduction,
  };
  const costOptions: CostPluginOptions = {
    limiter: services.limiter,
    maxCost: config.graphql.maxCost,
    budget: { capacity: config.rateLimit.budget, restorePerSecond: config.rateLimit.restoreRate },
    onRefusal: metrics ? (reason) => metrics.budgetRefused(reason) : undefined,
  };
  return {
    http: { production: config.isProduction, corsOrigins: config.http.corsOrigins },
    document: {
      validationRules: queryLimitRules(limitSettings),
      parseOptions: queryParseOptions(limitSettings),
      // Apollo's guard against fragment fan-out (a small document that expands to millions of fields).
      maxRecursiveSelections: true,
    },
    plugins: [costLimitPlugin(costOptions)],
    fieldLimits: (schema: GraphQLSchema) =>
      fieldLimitGuard(
        schema,
        fieldLimitTable,
        services.limiter,
        metrics ? (field, reason) => metrics.fieldLimitRefused(field, reason) : undefined,
      ),
    /** A subscription's document is priced like an HTTP operation's, and charged once, when it starts. */
    admitSubscription: admitOperation(costOptions),
  };
}

/** Where APQ registrations live: Redis, shared by instances, or this process. */
function apqRegistrations(config: Config, redis: RedisConnection | null) {
  const { mode, apqTtlSeconds } = config.graphql.persistedOperations;
  if (mode !== "auto") return null;
  return redis ? new RedisKeyValueCache(redis, "apq", apqTtlSeconds) : new MemoryKeyValueCache(10_000, apqTtlSeconds);
}

/**
 * The parts of a request's context decided late, as getters on its prototype: Apollo shallow-copies the
 * context's own properties before executing (which would run own getters right away), and the copy keeps
 * the prototype. `prisma` follows `readFrom` (set once the operation is known: platform/db/read-routing.ts);
 * the loaders are built on first use, over that client: many requests (`{ __typename }`, a cached answer,
 * a subscription event that selects no relation) load nothing.
 */
function lazyContextParts(db: Database) {
  type Lazy = RequestContext & { builtLoaders?: RequestContext["loaders"] };
  return {
    get prisma() {
      return (this as Lazy).readFrom === "replica" && db.replica ? db.replica : db.prisma;
    },
    get loaders() {
      const context = this as Lazy;
      context.builtLoaders ??= createModuleLoaders({
        prisma: context.prisma,
        viewer: context.viewer,
        changes: context.changes,
      });
      return context.builtLoaders;
    },
  };
}
