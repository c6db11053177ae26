// Per-field limits for abuse-prone fields (sign-in, password reset, e-mail verification, sign-up, sessions,
// orders, reviews), on top of the cost budget. Each call of a field counts, so 15 aliased `login`s in one document are 15 attempts.
//
// Counting goes through graphql-rate-limit's limiter (`getGraphQLRateLimiter`), with a store of our own.
// That limiter reads the store, decides, then writes (get → compare → set): with its shipped RedisStore,
// or any store whose get and set are separate commands, two concurrent calls can both read "4 of 5" and
// both get in. So our store makes the read *be* the write: `getForIdentity` runs one Lua script that
// prunes the window, counts, and records the call if it fits, all atomically; `setForIdentity` has
// nothing left to do. A test shows the shipped store over-admitting and this one not.
//
// What graphql-rate-limit still does here: it keys each count by the caller and the identity arguments
// (the e-mail a sign-in targets), parses the window, and makes the admit-or-refuse decision from the
// window the store returns. It is in the stack our users chose; the store is made per call only so the
// verdict's retry time comes back to this call alone (the library's API returns just a message).
import { createHash } from "node:crypto";
import { type GraphQLResolveInfo, type GraphQLSchema, isObjectType } from "graphql";
import type { IMiddlewareFunction, IMiddlewareTypeMap } from "graphql-middleware";
import { getGraphQLRateLimiter, type Store } from "graphql-rate-limit";
import { ClientError } from "../errors/index.js";
import { type LimitsContext, noteRefusal } from "../limits/request-limits.js";
import { type Limiter, LimitStoreUnavailableError } from "./limiter.js";
import type { WindowResult } from "./stores.js";

/** What one rule counts by. */
export type LimitKey =
  /** The client address (IPv6 by /64), signed in or not. */
  | "ip"
  /** The signed-in user, else the client address. */
  | "caller"
  /** An argument's value, whoever sends it (e.g. the e-mail address a sign-in targets). */
  | Readonly<{ arg: string; normalize?: (value: string) => string }>;

export type FieldLimitRule = Readonly<{ per: LimitKey; max: number; windowSeconds: number }>;

export type FieldLimit = Readonly<{
  rules: readonly FieldLimitRule[];
  /** Refuse calls while the shared store is away, rather than count per instance. */
  failClosed: boolean;
  /** Why the field is limited (documentation; shown in the README's table). */
  why: string;
}>;

/** Keyed by `"Type.field"`; entries for fields that do not exist (yet) are skipped and reported. */
export type FieldLimitTable = Readonly<Record<string, FieldLimit>>;

const email = { arg: "input.email", normalize: (value: string) => value.trim().toLowerCase() } as const;
const minutes = (n: number) => n * 60;

/**
 * The limits. Per-address limits stop one client; per-target limits stop a botnet aiming at one
 * account or one mailbox. Security-critical ones (credentials, reset tokens) fail closed.
 */
export const fieldLimits: FieldLimitTable = {
  "Mutation.login": {
    why: "password guessing",
    failClosed: true,
    rules: [
      { per: "ip", max: 30, windowSeconds: minutes(10) },
      { per: email, max: 10, windowSeconds: minutes(15) },
    ],
  },
  "Mutation.loginWithIdToken": {
    why: "sign-in floods: each call may fetch the provider's keys and can create an account",
    failClosed: true,
    rules: [{ per: "ip", max: 30, windowSeconds: minutes(10) }],
  },
  "Mutation.linkIdentity": {
    why: "identity-linking floods with a stolen access token (each call may fetch the provider's keys)",
    failClosed: false,
    rules: [{ per: "caller", max: 10, windowSeconds: minutes(15) }],
  },
  "Mutation.unlinkIdentity": {
    why: "identity-id probing",
    failClosed: false,
    rules: [{ per: "caller", max: 30, windowSeconds: minutes(10) }],
  },
  "Mutation.requestPasswordReset": {
    why: "mail bombing and account enumeration",
    failClosed: true,
    rules: [
      { per: "ip", max: 10, windowSeconds: minutes(60) },
      { per: email, max: 3, windowSeconds: minutes(60) },
    ],
  },
  "Mutation.resetPassword": {
    why: "reset-token guessing",
    failClosed: true,
    rules: [{ per: "ip", max: 10, windowSeconds: minutes(15) }],
  },
  "Mutation.changePassword": {
    why: "guessing the current password with a stolen access token",
    failClosed: true,
    rules: [{ per: "caller", max: 10, windowSeconds: minutes(15) }],
  },
  "Mutation.deleteMe": {
    why: "guessing the password with a stolen access token",
    failClosed: true,
    rules: [{ per: "caller", max: 10, windowSeconds: minutes(15) }],
  },
  "Mutation.verifyEmail": {
    why: "verification-token guessing",
    failClosed: true,
    rules: [{ per: "ip", max: 10, windowSeconds: minutes(15) }],
  },
  "Mutation.updateMe": {
    why: "mail bombing: each e-mail change mails the new address and the old one",
    failClosed: false,
    rules: [{ per: "caller", max: 10, windowSeconds: minutes(60) }],
  },
  "Mutation.revokeSession": {
    why: "session-id probing and revocation floods (each revocation is published to every instance)",
    failClosed: false,
    rules: [{ per: "caller", max: 30, windowSeconds: minutes(10) }],
  },
  "Mutation.register": {
    why: "mass account creation",
    failClosed: false,
    rules: [{ per: "ip", max: 10, windowSeconds: minutes(60) }],
  },
  "Mutation.refreshSession": {
    why: "refresh-token guessing and token-minting floods",
    failClosed: false,
    rules: [{ per: "ip", max: 120, windowSeconds: minutes(10) }],
  },
  "Mutation.placeOrder": {
    why: "order floods (stock reservation, card testing)",
    failClosed: false,
    rules: [{ per: "caller", max: 10, windowSeconds: minutes(1) }],
  },
  "Mutation.createReview": {
    why: "review spam",
    failClosed: false,
    rules: [{ per: "caller", max: 10, windowSeconds: minutes(60) }],
  },
  "Mutation.createUpload": {
    why: "storage filling: each call signs a URL that takes up to 5 MB of disk",
    failClosed: false,
    rules: [{ per: "caller", max: 30, windowSeconds: minutes(60) }],
  },
};

export type AppliedFieldLimits = Readonly<{ applied: string[]; missing: string[] }>;

/** A refused call: `limit` (429), or `store_unavailable` (a fail-closed limit without its store, 503). */
export type FieldLimitRefusal = (coordinate: string, reason: "limit" | "store_unavailable") => void;

/**
 * A field stage counting each limited field's calls (put outside the permission layer, so refused calls
 * count too). Fields not in the schema are returned as `missing`, and limited from the first build they
 * exist in.
 */
export function fieldLimitGuard(
  schema: GraphQLSchema,
  table: FieldLimitTable,
  limiter: Limiter,
  /** Told of every refused call (metrics), by field coordinate. */
  onRefusal?: FieldLimitRefusal,
): AppliedFieldLimits & { middleware: IMiddlewareTypeMap } {
  const applied: string[] = [];
  const missing: string[] = [];
  const middleware: Record<string, Record<string, IMiddlewareFunction<unknown, LimitsContext>>> = {};
  for (const [coordinate, limit] of Object.entries(table)) {
    const [typeName = "", fieldName = ""] = coordinate.split(".");
    const type = schema.getType(typeName);
    const field = isObjectType(type) ? type.getFields()[fieldName] : undefined;
    if (!field) {
      missing.push(coordinate);
      continue;
    }
    middleware[typeName] ??= {};
    middleware[typeName][fieldName] = async (resolve, parent, args, ctx, info) => {
      for (const [index, rule] of limit.rules.entries()) {
        await enforce(limiter, coordinate, index, rule, limit, args, ctx, info, onRefusal);
      }
      return resolve(parent, args, ctx, info);
    };
    applied.push(coordinate);
  }
  return { applied, missing, middleware };
}

async function enforce(
  limiter: Limiter,
  coordinate: string,
  index: number,
  rule: FieldLimitRule,
  limit: FieldLimit,
  args: Record<string, unknown>,
  ctx: LimitsContext,
  info: GraphQLResolveInfo,
  onRefusal: FieldLimitRefusal | undefined,
): Promise<void> {
  const { contextIdentity, target } = identify(rule.per, args, ctx);
  const windowMs = rule.windowSeconds * 1000;
  let verdict: WindowResult | undefined;
  // A store per call, so this call's verdict (and its retry time) comes back to us alone.
  const store: Store = {
    async getForIdentity(identity) {
      const key = `field:${coordinate}:${index}:${identity.contextIdentity}:${identity.fieldIdentity}`;
      verdict = await limiter.hitWindow(key, rule.max, windowMs, limit);
      return verdict.timestamps;
    },
    setForIdentity() {
      // Already recorded, atomically, by getForIdentity.
    },
  };
  const rateLimiter = getGraphQLRateLimiter({ identifyContext: () => contextIdentity, store });
  let refused: string | undefined;
  try {
    refused = await rateLimiter(
      { parent: undefined, args: target === undefined ? {} : { target }, context: ctx, info },
      { max: rule.max, window: `${rule.windowSeconds}s`, identityArgs: target === undefined ? [] : ["target"] },
    );
  } catch (error) {
    if (!(error instanceof LimitStoreUnavailableError)) throw error;
    // Not logged per call: the Limiter logs the outage, and the request line lists SERVICE_UNAVAILABLE.
    const retryAfter = 5;
    noteRefusal(ctx.limits, 503, retryAfter);
    onRefusal?.(coordinate, "store_unavailable");
    throw new ClientError(
      "SERVICE_UNAVAILABLE",
      `\`${info.fieldName}\` is briefly unavailable. Retry after ${retryAfter} s.`,
      { retryAfter },
    );
  }
  if (refused === undefined) return;
  const retryAfter = Math.max(1, Math.ceil((verdict?.retryAfterMs ?? windowMs) / 1000));
  noteRefusal(ctx.limits, 429, retryAfter);
  onRefusal?.(coordinate, "limit");
  throw new ClientError("RATE_LIMITED", `Too many \`${info.fieldName}\` calls. Retry after ${retryAfter} s.`, {
    retryAfter,
  });
}

function identify(
  per: LimitKey,
  args: Record<string, unknown>,
  ctx: LimitsContext,
): { contextIdentity: string; target?: string } {
  if (per === "ip") return { contextIdentity: ctx.limits.caller.ipKey };
  if (per === "caller") return { contextIdentity: ctx.limits.caller.key };
  const raw = per.arg.split(".").reduce<unknown>((value, name) => (value as Record<string, unknown>)?.[name], args);
  const value = typeof raw === "string" ? (per.normalize?.(raw) ?? raw) : "";
  // Hashed: keys must not carry e-mail addresses into Redis (or its dumps).
  return { contextIdentity: "any", target: createHash("sha256").update(value).digest("base64url").slice(0, 22) };
}
