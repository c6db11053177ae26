import type { FastifyBaseLogger } from "fastify";
import type { Config } from "./config/index.js";
import type { PrismaClient } from "./generated/prisma/client.js";
import type { OidcProviders } from "./platform/auth/oidc.js";
import type { SessionRevocations } from "./platform/auth/revocation.js";
import type { AccessTokens, Viewer } from "./platform/auth/tokens.js";
import type { RequestCache } from "./platform/cache/index.js";
import type { ReadTarget } from "./platform/db/read-routing.js";
import type { RequestTrace } from "./platform/errors/presentation.js";
import type { JobQueue } from "./platform/jobs/index.js";
import type { RequestLimits } from "./platform/limits/request-limits.js";
import type { ChangeNotices } from "./platform/loaders/index.js";
import type { Logger } from "./platform/logger/index.js";
import type { MailDelivery, Outbox } from "./platform/mail/index.js";
import type { QueryPlanner } from "./platform/planner/index.js";
import type { Events } from "./platform/realtime/index.js";
import type { ObjectStorage } from "./platform/storage/index.js";

/**
 * Every module's per-request loaders, by module name. Each module adds its own entry from its
 * `<domain>.loaders.ts` (declaration merging), so this file never imports a module and the modules can
 * import `RequestContext` without an import cycle. Built by `createModuleLoaders` (modules/index.ts).
 */
// biome-ignore lint/suspicious/noEmptyInterface: filled in by the modules.
export interface ModuleLoaders {}

/** The HTTP side of a request, as far as resolvers need it. */
export type HttpExchange = {
  /** Client address (X-Forwarded-For is honoured only from trusted proxies). */
  ip: string;
  userAgent: string | null;
  getCookie(name: string): string | undefined;
  /** Always HttpOnly, SameSite=Strict, Path=/; Secure (and `__Host-` kept) unless REFRESH_COOKIE_INSECURE_DEV. */
  setCookie(name: string, value: string, expires: Date): void;
  clearCookie(name: string): void;
};

/** What resolvers see. Built once per GraphQL request by the server. */
export type RequestContext = {
  requestId: string;
  /** The request's OpenTelemetry trace id, for error extensions; null when tracing is off (platform/tracing). */
  traceId: string | null;
  viewer: Viewer | null;
  /**
   * Accounts a sign-in mutation of this request authenticated: their own fields are readable in the
   * response although `viewer` is unchanged (platform/permissions/viewer.ts, `signedInAs`).
   */
  signedInAccounts: Set<string>;
  loaders: ModuleLoaders;
  /** Writes announce what they changed here; loaders of modules that depend on the writer listen. */
  changes: ChangeNotices;
  /**
   * The response cache's view of this request: services announce what their writes changed here
   * (`changed`), after their transaction committed; `aside` caches a hot value (platform/cache).
   */
  cache: RequestCache;
  /** Plans root reads: the selected tree below a root field in the root's own statement (platform/planner); null when QUERY_PLANNER is off. */
  planner: QueryPlanner<RequestContext> | null;
  /**
   * For the services' root queries (one statement each); relations go through `loaders`. The replica's
   * client when `readFrom` is "replica" (platform/db/read-routing.ts), else the primary's.
   */
  readonly prisma: PrismaClient;
  /** Where this request's reads go: a query of a caller who has not just written may read the replica. */
  readFrom: ReadTarget;
  log: FastifyBaseLogger;
  http: HttpExchange;
  /** Account machinery shared by the whole server. */
  auth: {
    tokens: AccessTokens;
    revocations: SessionRevocations;
    passwordResetUrl: string;
    emailVerificationUrl: string;
    /** The configured OpenID Connect providers (social sign-in). */
    oidc: OidcProviders;
  };
  /** E-mails: written with their delivery job in the caller's transaction (platform/mail). */
  mail: Outbox;
  /** The job queue, for admins' view of failed jobs. */
  jobs: JobQueue;
  /** Real-time events: services publish after their transaction committed; subscriptions listen. */
  events: Events;
  /** Uploaded files and images (platform/storage), with the upload limits from config. */
  uploads: Readonly<{ storage: ObjectStorage } & Config["uploads"]>;
  /** Filled in during execution for the request's log line. */
  trace: RequestTrace;
  /** Cost, budget, refusals and deadline of this request (platform/cost, platform/rate-limit). */
  limits: RequestLimits;
};

/** What background jobs get (platform/jobs): the process's shared services, no request. */
export type JobContext = Readonly<{
  prisma: PrismaClient;
  log: Logger;
  mail: MailDelivery;
  config: Config;
  storage: ObjectStorage;
}>;
