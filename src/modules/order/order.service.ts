import type { RequestContext } from "../../context.js";
import type { Order, OrderItem } from "../../generated/prisma/client.js";
import { parseId } from "../../platform/ids.js";
import {
  type ConnectionArguments,
  pageRequest,
  type SortOrder,
  toConnection,
} from "../../platform/pagination/index.js";
import type { ShippingAddress } from "./order.type.js";

const newestFirst: SortOrder<Order> = { key: "newest", field: "createdAt", direction: "desc" };

/**
 * The order when the caller placed it or is an admin; otherwise null, exactly as for an id that does
 * not exist, so nobody can probe which order ids are real.
 */
export async function findOrder(ctx: RequestContext, id: string) {
  const order = await ctx.loaders.order.byId.load(parseId(id, "id"));
  if (!order || !ctx.viewer) return null;
  return order.userId === ctx.viewer.id || ctx.viewer.role === "ADMIN" ? order : null;
}

/** Who may list them is decided by the `User.orders` permission rule (the user or an admin). */
export async function userOrders(ctx: RequestContext, userId: string, args: ConnectionArguments) {
  const page = pageRequest(args, newestFirst);
  const rows = await ctx.loaders.order.pageByUser(page).load(userId);
  for (const row of rows) ctx.loaders.order.byId.prime(row.id, row);
  return toConnection(rows, page, () => ctx.loaders.order.countByUser.load(userId));
}

export function orderItems(ctx: RequestContext, orderId: string) {
  return ctx.loaders.order.itemsByOrderId.load(orderId);
}

export function lineTotalCents(item: Pick<OrderItem, "quantity" | "unitPriceCents">): number {
  return item.quantity * item.unitPriceCents;
}

/**
 * The address snapshot is JSON written at checkout, so its shape is checked on the way out: a
 * malformed one is a bug on our side and fails loudly (masked for the client, logged for us)
 * rather than reaching the client half-empty.
 */
export function shippingAddressOf(order: Pick<Order, "id" | "shippingAddress">): ShippingAddress {
  // Raw queries may hand the jsonb column over as text.
  const snapshot =
    typeof order.shippingAddress === "string" ? JSON.parse(order.shippingAddress) : order.shippingAddress;
  if (typeof snapshot !== "object" || snapshot === null || Array.isArray(snapshot)) {
    throw new Error(`order ${order.id}: shippingAddress is not an object`);
  }
  const fields = snapshot as Record<string, unknown>;
  const required = (name: string): string => {
    const value = fields[name];
    if (typeof value !== "string") throw new Error(`order ${order.id}: shippingAddress.${name} is not a string`);
    return value;
  };
  const optional = (name: string): string | null => {
    const value = fields[name];
    if (value == null) return null;
    if (typeof value !== "string") throw new Error(`order ${order.id}: shippingAddress.${name} is not a string`);
    return value;
  };
  return {
    recipient: required("recipient"),
    line1: required("line1"),
    line2: optional("line2"),
    city: required("city"),
    region: optional("region"),
    postalCode: required("postalCode"),
    country: required("country"),
  };
}
