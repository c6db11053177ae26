import { type Order, Prisma, type PrismaClient } from "../../generated/prisma/client.js";
import { type PageRequest, pagesByParent } from "../../platform/pagination/index.js";

const orderColumns = Object.values(Prisma.OrderScalarFieldEnum);

export function orderRepository(prisma: PrismaClient) {
  return {
    findByIds: (ids: readonly string[]) => prisma.order.findMany({ where: { id: { in: [...ids] } } }),

    /** Items of these orders in the order they were added. */
    findItemsByOrderIds: (orderIds: readonly string[]) =>
      prisma.orderItem.findMany({
        where: { orderId: { in: [...orderIds] } },
        orderBy: [{ createdAt: "asc" }, { id: "asc" }],
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
  };
}

export type OrderRepository = ReturnType<typeof orderRepository>;
