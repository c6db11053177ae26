import type { RequestContext } from "../../context.js";

/** Who may read the book is decided by the field's permission rule (the owner or an admin). */
export function userAddresses(ctx: RequestContext, userId: string) {
  return ctx.loaders.address.byUserId.load(userId);
}
