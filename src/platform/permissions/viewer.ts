import type { Viewer } from "../auth/tokens.js";
import { unauthenticated } from "../errors/index.js";

/**
 * The signed-in caller, for resolvers whose permission rule already demanded one. Should a rule ever be
 * loosened by mistake, this fails closed (UNAUTHENTICATED) instead of running as nobody.
 */
export function requireViewer(ctx: { viewer: Viewer | null }): Viewer {
  if (!ctx.viewer) throw unauthenticated();
  return ctx.viewer;
}

/** What the ownership rules read from the request context. */
export type OwnershipContext = {
  viewer: Viewer | null;
  /** Accounts a sign-in mutation of this request authenticated (see `signedInAs`). */
  signedInAccounts: Set<string>;
};

/**
 * A sign-in mutation (password login, registration, session refresh, and any later way in such as a
 * social sign-in) proved the caller holds this account, but the request itself came without an access
 * token: `ctx.viewer` stays as it was, so nothing else in the request runs as the account. What changes
 * is ownership: the account's own fields (e-mail, role, addresses, orders) become readable in the
 * response, as they would be with the access token the payload carries. Other users stay as private as
 * before, and no role is granted: an admin signing in still reads only their own private fields here.
 */
export function signedInAs(ctx: Pick<OwnershipContext, "signedInAccounts">, userId: string): void {
  ctx.signedInAccounts.add(userId);
}

/** Whether `userId` is the caller's own account: its access token's, or one it signed in to in this request. */
export function isOwnAccount(ctx: OwnershipContext, userId: string | null): boolean {
  if (userId === null) return false;
  return ctx.viewer?.id === userId || ctx.signedInAccounts.has(userId);
}
