import type { FastifyBaseLogger } from "fastify";
import type { PrismaClient } from "./generated/prisma/client.js";
import { createAddressLoaders } from "./modules/address/index.js";
import { createCategoryLoaders } from "./modules/category/index.js";
import { createOrderLoaders } from "./modules/order/index.js";
import { createPostLoaders } from "./modules/post/index.js";
import { createProductLoaders } from "./modules/product/index.js";
import { createReviewLoaders } from "./modules/review/index.js";
import { createUserLoaders } from "./modules/user/index.js";
import type { SessionRevocations } from "./platform/auth/revocation.js";
import type { AccessTokens, Viewer } from "./platform/auth/tokens.js";
import type { RequestLimits } from "./platform/limits/request-limits.js";
import type { LoaderDeps } from "./platform/loaders/index.js";
import type { Mailer } from "./platform/mail/index.js";
import type { RequestTrace } from "./platform/plugins/error-masking.js";

/** Every module's loaders, made fresh for each request so no cached row outlives it or crosses callers. */
export function createLoaders(deps: LoaderDeps) {
  return {
    address: createAddressLoaders(deps),
    category: createCategoryLoaders(deps),
    order: createOrderLoaders(deps),
    post: createPostLoaders(deps),
    product: createProductLoaders(deps),
    review: createReviewLoaders(deps),
    user: createUserLoaders(deps),
  };
}

export type Loaders = ReturnType<typeof createLoaders>;

/** The HTTP side of a request, as far as resolvers need it. */
export type HttpExchange = {
  /** Client address (X-Forwarded-For is honoured only from trusted proxies). */
  ip: string;
  userAgent: string | null;
  getCookie(name: string): string | undefined;
  /** Always HttpOnly, Secure, SameSite=Strict, Path=/. */
  setCookie(name: string, value: string, expires: Date): void;
  clearCookie(name: string): void;
};

/** What resolvers see. Built once per GraphQL request by the server. */
export type RequestContext = {
  requestId: string;
  viewer: Viewer | null;
  loaders: Loaders;
  /** For the services' root queries (one statement each); relations go through `loaders`. */
  prisma: PrismaClient;
  log: FastifyBaseLogger;
  http: HttpExchange;
  /** Account machinery shared by the whole server. */
  auth: { tokens: AccessTokens; revocations: SessionRevocations; mailer: Mailer; passwordResetUrl: string };
  /** Filled in during execution for the request's log line. */
  trace: RequestTrace;
  /** Cost, budget, refusals and deadline of this request (platform/cost, platform/rate-limit). */
  limits: RequestLimits;
};
