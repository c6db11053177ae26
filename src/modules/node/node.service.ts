import type { RequestContext } from "../../context.js";
import { badUserInput } from "../../platform/errors/index.js";
import { parseId } from "../../platform/ids.js";
import { asNode } from "../../platform/node.js";
import { findAddress } from "../address/index.js";
import { findCategory } from "../category/index.js";
import { findOrder, findOrderItem } from "../order/index.js";
import { findPost } from "../post/index.js";
import { findProduct } from "../product/index.js";
import { findReview } from "../review/index.js";
import { findUser } from "../user/index.js";
import type { NodeTypeName } from "./node.repository.js";

/** As many ids as one page of a connection may hold. */
export const MAX_NODE_IDS = 100;

/**
 * Each type's own lookup, the one its root field (or, without one, the field that lists it) uses: it
 * loads through the type's loader and answers null for what the caller may not see. So `node` can
 * never show more than the type's own fields do, and a private record looks like a missing one.
 */
const finders: Record<NodeTypeName, (ctx: RequestContext, id: string) => Promise<object | null>> = {
  User: (ctx, id) => findUser(ctx, { id }),
  Address: findAddress,
  Category: (ctx, id) => findCategory(ctx, { id }),
  Product: (ctx, id) => findProduct(ctx, { id }),
  Review: findReview,
  Order: findOrder,
  OrderItem: findOrderItem,
  Post: (ctx, id) => findPost(ctx, { id }),
};

async function load(ctx: RequestContext, id: string) {
  const typeName = await ctx.loaders.node.typeById.load(id);
  if (!typeName) return null;
  const row = await finders[typeName](ctx, id);
  return row && asNode(typeName, row);
}

/** A malformed id is refused (BAD_USER_INPUT) like every other id argument; an unknown one is null. */
export function findNode(ctx: RequestContext, id: string) {
  return load(ctx, parseId(id, "id"));
}

export function findNodes(ctx: RequestContext, ids: readonly string[]) {
  if (ids.length > MAX_NODE_IDS) throw badUserInput(`\`ids\` takes at most ${MAX_NODE_IDS} ids.`, "ids");
  const parsed = ids.map((id) => parseId(id, "ids"));
  // All lookups start before any is awaited, so each step batches across the whole list.
  return Promise.all(parsed.map((id) => load(ctx, id)));
}
