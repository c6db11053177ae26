import type { GraphQLResolveInfo } from "graphql";
import { allow, rule as shieldRule } from "graphql-shield";
import { forbidden, unauthenticated } from "../errors/index.js";
import { isOwnAccount, type OwnershipContext } from "./viewer.js";

export { allow, and, chain, deny, not, or } from "graphql-shield";

/** All that the rules read of a request: who is calling, and which accounts it signed in to just now. */
export type ViewerContext = OwnershipContext;

type RuleOptions = { cache?: "contextual" | "strict" | "no_cache" };
type RuleFunction<Parent, Args> = (
  parent: Parent,
  args: Args,
  ctx: ViewerContext,
  info: GraphQLResolveInfo,
) => boolean | Error | Promise<boolean | Error>;

/** graphql-shield's `rule`, typed with our context. */
export function rule(options: RuleOptions = {}) {
  // biome-ignore lint/suspicious/noExplicitAny: each rule narrows its own parent and args.
  return <Parent = any, Args = any>(fn: RuleFunction<Parent, Args>) =>
    shieldRule(options)((parent, args, ctx, info) => fn(parent, args, ctx as ViewerContext, info));
}

const publicRules = new WeakSet<object>();

/**
 * Marks a rule whose answer is the same for every caller but admins (it reads only the arguments, and the
 * admin role): like `allow`, the fields it guards may be shared by the response cache, which never serves
 * or stores admins' reads (platform/cache).
 */
export function publicRule<Rule extends object>(rule: Rule): Rule {
  publicRules.add(rule);
  return rule;
}

/** `allow`, or a rule marked with `publicRule`. */
export function isPublicRule(rule: unknown): boolean {
  return rule === allow || (typeof rule === "object" && rule !== null && publicRules.has(rule));
}

/** The error for a denial: anonymous callers are told to sign in, signed-in ones that they may not. */
export function denied(ctx: ViewerContext, message?: string): Error {
  return ctx.viewer ? forbidden(message) : unauthenticated(message);
}

// Per-request caching ("contextual") is safe for rules that depend only on the caller.
export const isAuthenticated = rule({ cache: "contextual" })((_parent, _args, ctx) => ctx.viewer !== null);

export const isAdmin = rule({ cache: "contextual" })((_parent, _args, ctx) => ctx.viewer?.role === "ADMIN");

/**
 * The parent object is the caller's own user row (also right after signing in to it; see `signedInAs`).
 * Depends on the parent, so never cached.
 */
export const isSelf = rule({ cache: "no_cache" })((parent: { id: string }, _args, ctx) => isOwnAccount(ctx, parent.id));

/** The parent object belongs to the caller, by the given owner column. */
export function isOwner<Parent>(ownerOf: (parent: Parent) => string | null) {
  return rule({ cache: "no_cache" })((parent: Parent, _args, ctx) => isOwnAccount(ctx, ownerOf(parent)));
}
