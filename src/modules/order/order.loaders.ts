import type { Order } from "../../generated/prisma/client.js";
import {
  createLoader,
  groupedInKeyOrder,
  inKeyOrder,
  type LoaderDeps,
  loaderPerArguments,
} from "../../platform/loaders/index.js";
import type { PageRequest } from "../../platform/pagination/index.js";
import { orderRepository } from "./order.repository.js";

export type OrderLoaders = ReturnType<typeof createOrderLoaders>;

declare module "../../context.js" {
  interface ModuleLoaders {
    order: OrderLoaders;
  }
}

export function createOrderLoaders(deps: LoaderDeps) {
  const orders = orderRepository(deps.prisma);
  return {
    /** Any order: whether the caller may see it is the service's decision. */
    byId: createLoader(async (ids: readonly string[]) => inKeyOrder(ids, await orders.findByIds(ids), (o) => o.id)),
    /** Any order's item: `findOrderItem` (order.service.ts) checks its order may be seen. */
    itemById: createLoader(async (ids: readonly string[]) =>
      inKeyOrder(ids, await orders.findItemsByIds(ids), (item) => item.id),
    ),
    itemsByOrderId: createLoader(async (orderIds: readonly string[]) =>
      groupedInKeyOrder(orderIds, await orders.findItemsByOrderIds(orderIds), (item) => item.orderId),
    ),
    pageByUser: loaderPerArguments((page: PageRequest<Order>) =>
      createLoader((userIds: readonly string[]) => orders.pagesByUser(userIds, page)),
    ),
    countByUser: createLoader((userIds: readonly string[]) => orders.countsByUser(userIds)),
  };
}
