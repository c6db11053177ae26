import type { RequestContext } from "../../context.js";
import { type Order, type OrderItem, OrderStatus, type Product } from "../../generated/prisma/client.js";
import type { Viewer } from "../../platform/auth/tokens.js";
import { isUniqueViolation } from "../../platform/db/errors.js";
import { inTransaction, lockForTransaction } from "../../platform/db/transaction.js";
import { ClientError, conflict } from "../../platform/errors/index.js";
import { parseId } from "../../platform/ids.js";
import {
  type ConnectionArguments,
  pageRequest,
  type SortOrder,
  toConnection,
} from "../../platform/pagination/index.js";
import { requireViewer } from "../../platform/permissions/viewer.js";
import { resumableEvents } from "../../platform/realtime/index.js";
import {
  failWith,
  reject,
  rejectAll,
  settle,
  type UserError,
  UserErrorCode,
  userError,
  validateId,
  validateInput,
} from "../../platform/validation/index.js";
import { forgetProducts, isOnSale, productInventory } from "../product/index.js";
import type { PlaceOrderInput } from "./order.input.js";
import { orderConfirmationContent, orderConfirmationMail, orderStatusContent, orderStatusMail } from "./order.mail.js";
import type { OrderPayload } from "./order.payload.js";
import { idempotencyKeyConstraint, orderRepository } from "./order.repository.js";
import type { ShippingAddress } from "./order.type.js";

/** Every order change, published after its transaction committed (subscribers filter what is theirs). */
export const ORDER_UPDATED = "order.updated";

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

/** One order item by id: visible exactly when its order is (the row carries no owner of its own). */
export async function findOrderItem(ctx: RequestContext, id: string) {
  const item = await ctx.loaders.order.itemById.load(parseId(id, "id"));
  if (!item) return null;
  return (await findOrder(ctx, item.orderId)) ? item : null;
}

/**
 * `orderUpdated`: the caller's orders as they change (admins: all, or one by id), resuming after a
 * cursor when given. Another customer's order id is refused like one that does not exist.
 */
export async function orderUpdates(ctx: RequestContext, args: { id?: string | null; after?: string | null }) {
  const viewer = requireViewer(ctx);
  const admin = viewer.role === "ADMIN";
  const only = args.id ? parseId(args.id, "id") : null;
  if (only && !(await findOrder(ctx, only))) {
    throw new ClientError("NOT_FOUND", "There is no order of yours with this id.", { field: "id" });
  }
  const owner = admin ? null : viewer.id;
  return resumableEvents<Order>({
    live: ctx.events.subscribe(ORDER_UPDATED),
    after: args.after,
    settings: ctx.events.resume,
    replay: (from, limit) => orderRepository(ctx.prisma).changedAfter(from, { userId: owner, id: only }, limit),
    key: (order) => order.id,
    position: (order) => ({ at: order.updatedAt, id: order.id }),
    accept: (order) => (owner === null || order.userId === owner) && (only === null || order.id === only),
  });
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

/**
 * The order life cycle: for each status, the statuses an order may reach it from. Cancelling (from
 * PENDING or PAID) puts the stock back; nothing returns to PENDING, and DELIVERED and CANCELLED are final.
 */
export const orderTransitions: Readonly<Record<OrderStatus, readonly OrderStatus[]>> = {
  [OrderStatus.PENDING]: [],
  [OrderStatus.PAID]: [OrderStatus.PENDING],
  [OrderStatus.SHIPPED]: [OrderStatus.PAID],
  [OrderStatus.DELIVERED]: [OrderStatus.SHIPPED],
  [OrderStatus.CANCELLED]: [OrderStatus.PENDING, OrderStatus.PAID],
};

/** Customers may cancel only before payment; later it is a matter for support (an admin). */
const customerCancellableFrom: readonly OrderStatus[] = [OrderStatus.PENDING];

/** Order totals are a PostgreSQL integer. */
const MAX_TOTAL_CENTS = 2_147_483_647;

const failed = failWith<OrderPayload>({ order: null });

type Line = { index: number; productId: string; quantity: number };

/** Row locks on products are always taken in id order, by checkouts and cancellations alike, so they cannot deadlock. */
const byProductId = <Item extends { productId: string }>(a: Item, b: Item) =>
  a.productId < b.productId ? -1 : a.productId > b.productId ? 1 : 0;

/** The order and its items replace cached copies; the customer's order list and count are stale. */
/** After the order's transaction committed: the request's loaders, the cache and subscribers learn of it. */
function remember(ctx: RequestContext, order: Order, items: OrderItem[], stockChanged: readonly Product[]) {
  ctx.events.publish(ORDER_UPDATED, order);
  const { order: loaders } = ctx.loaders;
  loaders.byId.clear(order.id).prime(order.id, order);
  loaders.itemsByOrderId.clear(order.id).prime(order.id, items);
  loaders.pageByUser.clearAll();
  loaders.countByUser.clear(order.userId);
  forgetProducts(ctx, stockChanged);
}

/** A retry must be the same checkout; a key reused for another basket is a client bug, not a replay. */
function assertSameLines(existing: readonly OrderItem[], lines: readonly Line[]) {
  const key = (items: readonly { productId: string; quantity: number }[]) =>
    [...items]
      .sort(byProductId)
      .map((item) => `${item.productId}×${item.quantity}`)
      .join(",");
  if (key(existing) !== key(lines)) {
    throw conflict(
      "This idempotencyKey already placed an order with different items. Use a new key for a new order.",
      "input.idempotencyKey",
    );
  }
}

/**
 * Places the order in one transaction: stock is taken with conditional updates (never below zero, never
 * oversold), prices and currency are read from the rows reserved, the address is copied, and the total
 * is computed here. Any refusal rolls everything back.
 *
 * Retrying with the same idempotency key returns the first order. Concurrent twins queue on an advisory
 * lock for (user, key), so the second sees the first's committed order; the unique (userId,
 * idempotencyKey) index stays the guarantee, and its violation is answered with the winner too.
 */
export async function placeOrder(ctx: RequestContext, viewer: Viewer, input: PlaceOrderInput): Promise<OrderPayload> {
  const invalid = await validateInput(input);
  if (invalid.length > 0) return failed(invalid);
  const lines: Line[] = input.items.map((item, index) => ({
    index,
    productId: item.productId.toLowerCase(),
    quantity: item.quantity,
  }));
  const key = input.idempotencyKey;

  const place = () =>
    inTransaction(ctx.prisma, async (tx) => {
      const orders = orderRepository(tx);
      const products = productInventory(tx);
      await lockForTransaction(tx, `place-order:${viewer.id}:${key}`);
      const earlier = await orders.findByIdempotencyKey(viewer.id, key);
      if (earlier) {
        const { items, ...order } = earlier;
        assertSameLines(items, lines);
        return { order, items, products: [] };
      }

      const address = await orders.findAddressSnapshot(viewer.id, input.addressId);
      if (!address)
        reject(["input", "addressId"], UserErrorCode.NOT_FOUND, "There is no address of yours with this id.");

      const problems: { index: number; error: UserError }[] = [];
      const priced: (Line & { unitPriceCents: number; currency: string })[] = [];
      const reservedProducts: Product[] = [];
      for (const line of [...lines].sort(byProductId)) {
        const reserved = await products.reserveStock(line.productId, line.quantity);
        if (reserved) {
          reservedProducts.push(reserved);
          priced.push({ ...line, unitPriceCents: reserved.priceCents, currency: reserved.currency });
          continue;
        }
        // Carry on through the other lines, so the customer learns about every one at once.
        const product = await products.availability(line.productId);
        const at = ["input", "items", String(line.index)];
        const error =
          !product || !isOnSale(product)
            ? userError([...at, "productId"], UserErrorCode.NOT_FOUND, "There is no product on sale with this id.")
            : userError(
                [...at, "quantity"],
                UserErrorCode.OUT_OF_STOCK,
                product.stock === 0 ? "This product is out of stock." : `Only ${product.stock} left in stock.`,
              );
        problems.push({ index: line.index, error });
      }
      if (problems.length > 0) rejectAll(problems.sort((a, b) => a.index - b.index).map((problem) => problem.error));

      const currencies = new Set(priced.map((line) => line.currency));
      if (currencies.size > 1) {
        reject(
          ["input", "items"],
          UserErrorCode.CONFLICT,
          "These products are priced in different currencies: order them separately.",
        );
      }
      const totalCents = priced.reduce((sum, line) => sum + line.quantity * line.unitPriceCents, 0);
      if (totalCents > MAX_TOTAL_CENTS) {
        reject(
          ["input", "items"],
          UserErrorCode.OUT_OF_RANGE,
          "The order total is too large: split it into several orders.",
        );
      }

      const placed = await orders.create({
        userId: viewer.id,
        idempotencyKey: key,
        totalCents,
        currency: priced[0]?.currency ?? "USD",
        shippingAddress: address,
        items: priced
          .sort((a, b) => a.index - b.index)
          .map(({ productId, quantity, unitPriceCents }) => ({ productId, quantity, unitPriceCents })),
      });
      const customer = await orders.findCustomer(viewer.id);
      await ctx.mail.send(
        tx,
        orderConfirmationMail,
        customer.email,
        orderConfirmationContent(customer.name, placed.order, placed.items),
      );
      return { ...placed, products: reservedProducts };
    });

  return settle(async () => {
    const { order, items, products } = await place().catch(async (error: unknown) => {
      if (!isUniqueViolation(error, idempotencyKeyConstraint)) throw error;
      // A twin committed first after all: this transaction rolled back, and the retry finds its order.
      return place();
    });
    remember(ctx, order, items, products);
    return { order, userErrors: [] };
  }, failed);
}

/** Sets the status if the order is in one of `from`, putting the stock back when it becomes CANCELLED. */
async function transition(
  ctx: RequestContext,
  id: string,
  from: readonly OrderStatus[],
  to: OrderStatus,
  scope: { userId?: string; field: string[] },
) {
  return settle(async () => {
    const { order, items, released } = await inTransaction(ctx.prisma, async (tx) => {
      const orders = orderRepository(tx);
      const products = productInventory(tx);
      const order = await orders.transition(id, from, to, scope.userId);
      if (!order) {
        const current = await orders.find(id, scope.userId);
        if (!current) reject(["id"], UserErrorCode.NOT_FOUND, "There is no order of yours with this id.");
        reject(
          scope.field,
          UserErrorCode.INVALID_TRANSITION,
          from.length > 0
            ? `The order is ${current.status}; only a ${from.join(" or ")} order can become ${to}.`
            : `No order can become ${to} again.`,
        );
      }
      const items = await orders.findItems(order.id);
      // The status change above matched for exactly one request, so the stock comes back exactly once.
      const released: Product[] = [];
      if (to === OrderStatus.CANCELLED) {
        for (const item of [...items].sort(byProductId)) {
          const product = await products.releaseStock(item.productId, item.quantity);
          if (product) released.push(product);
        }
      }
      const customer = await orders.findCustomer(order.userId);
      await ctx.mail.send(tx, orderStatusMail, customer.email, orderStatusContent(customer.name, order));
      return { order, items, released };
    });
    remember(ctx, order, items, released);
    return { order, userErrors: [] };
  }, failed);
}

/** Customers cancel their own PENDING orders; admins any order still PENDING or PAID. */
export async function cancelOrder(ctx: RequestContext, viewer: Viewer, id: string): Promise<OrderPayload> {
  const invalid = validateId(id);
  if (invalid.length > 0) return failed(invalid);
  const admin = viewer.role === "ADMIN";
  const from = admin ? orderTransitions.CANCELLED : customerCancellableFrom;
  return transition(ctx, id, from, OrderStatus.CANCELLED, { userId: admin ? undefined : viewer.id, field: ["id"] });
}

/** ADMIN: move an order along its life cycle (`orderTransitions`). */
export async function updateOrderStatus(ctx: RequestContext, id: string, status: OrderStatus): Promise<OrderPayload> {
  const invalid = validateId(id);
  if (invalid.length > 0) return failed(invalid);
  return transition(ctx, id, orderTransitions[status], status, { field: ["status"] });
}
