import { type Order, type OrderItem, type OrderStatus, Prisma } from "../../generated/prisma/client.js";
import type { Db } from "../../platform/db/transaction.js";
import { type PageRequest, pagesByParent } from "../../platform/pagination/index.js";
import { changedAfter, type EventPosition } from "../../platform/realtime/index.js";
import type { ShippingAddress } from "./order.type.js";

const orderColumns = Object.values(Prisma.OrderScalarFieldEnum);

export const idempotencyKeyConstraint = {
  index: "orders_userId_idempotencyKey_key",
  columns: ["userId", "idempotencyKey"],
} as const;

export type NewOrder = {
  userId: string;
  idempotencyKey: string;
  totalCents: number;
  currency: string;
  shippingAddress: ShippingAddress;
  items: { productId: string; quantity: number; unitPriceCents: number }[];
};

/** Items in the order they were added, as `findItemsByOrderIds` returns them. */
const itemOrder = [{ createdAt: "asc" }, { id: "asc" }] satisfies Prisma.OrderItemOrderByWithRelationInput[];

export function orderRepository(prisma: Db) {
  return {
    findByIds: (ids: readonly string[]) => prisma.order.findMany({ where: { id: { in: [...ids] } } }),

    /** Orders changed after `from`, oldest change first: what a resuming `orderUpdated` missed. */
    changedAfter: (from: EventPosition, scope: { userId: string | null; id: string | null }, limit: number) =>
      prisma.order.findMany({
        where: {
          ...changedAfter<Prisma.OrderWhereInput>("updatedAt", from),
          ...(scope.userId ? { userId: scope.userId } : {}),
          ...(scope.id ? { id: scope.id } : {}),
        },
        orderBy: [{ updatedAt: "asc" }, { id: "asc" }],
        take: limit,
      }),

    findItemsByIds: (ids: readonly string[]) => prisma.orderItem.findMany({ where: { id: { in: [...ids] } } }),

    /** Items of these orders in the order they were added. */
    findItemsByOrderIds: (orderIds: readonly string[]) =>
      prisma.orderItem.findMany({
        where: { orderId: { in: [...orderIds] } },
        orderBy: itemOrder,
      }),

    pagesByUser: (userIds: readonly string[], page: PageRequest<Order>) =>
      pagesByParent(prisma, userIds, page, {
        table: "orders",
        columns: orderColumns,
        sortColumnType: "timestamp",
        belongsToParent: Prisma.sql`c."userId" = parent.id`,
      }),

    countsByUser: async (userIds: readonly string[]) => {
      const groups = await prisma.order.groupBy({
        by: ["userId"],
        where: { userId: { in: [...userIds] } },
        _count: { _all: true },
      });
      const counts = new Map(groups.map((group) => [group.userId, group._count._all]));
      return userIds.map((id) => counts.get(id) ?? 0);
    },

    /** An order and the caller's scope: `userId` limits it to that customer's orders. */
    find: (id: string, userId?: string) => prisma.order.findFirst({ where: { id, userId } }),

    findItems: (orderId: string) => prisma.orderItem.findMany({ where: { orderId }, orderBy: itemOrder }),

    findByIdempotencyKey: (userId: string, idempotencyKey: string) =>
      prisma.order.findUnique({
        where: { userId_idempotencyKey: { userId, idempotencyKey } },
        include: { items: { orderBy: itemOrder } },
      }),

    /** The address as the order keeps it; null unless it is this user's. */
    findAddressSnapshot: (userId: string, addressId: string): Promise<ShippingAddress | null> =>
      prisma.address.findFirst({
        where: { id: addressId, userId },
        select: {
          recipient: true,
          line1: true,
          line2: true,
          city: true,
          region: true,
          postalCode: true,
          country: true,
        },
      }),

    create: async (order: NewOrder): Promise<{ order: Order; items: OrderItem[] }> => {
      const { items, ...row } = await prisma.order.create({
        data: {
          userId: order.userId,
          idempotencyKey: order.idempotencyKey,
          totalCents: order.totalCents,
          currency: order.currency,
          shippingAddress: { ...order.shippingAddress } satisfies Prisma.InputJsonObject,
          items: { create: order.items },
        },
        include: { items: { orderBy: itemOrder } },
      });
      return { order: row, items };
    },

    /** Where an order's e-mails go. */
    findCustomer: (userId: string) =>
      prisma.user.findUniqueOrThrow({ where: { id: userId }, select: { email: true, name: true } }),

    /** Keys of orders placed before `before` stop answering retries: the same key then places a new order. */
    expireIdempotencyKeys: async (before: Date) =>
      (
        await prisma.order.updateMany({
          where: { idempotencyKey: { not: null }, createdAt: { lt: before } },
          data: { idempotencyKey: null },
        })
      ).count,

    /**
     * Moves the order to `to` only if its status is one of `from` (and it is `userId`'s, when given), in one
     * statement. Two concurrent requests cannot both make the same move: the second waits for the first's
     * row lock, then finds the status changed and matches nothing. Null when nothing matched.
     */
    transition: async (id: string, from: readonly OrderStatus[], to: OrderStatus, userId?: string) => {
      const [row] = await prisma.order.updateManyAndReturn({
        where: { id, userId, status: { in: [...from] } },
        data: { status: to },
      });
      return row ?? null;
    },
  };
}

export type OrderRepository = ReturnType<typeof orderRepository>;
