import { defineModule } from "../module.js";
import { orderJobs } from "./order.jobs.js";
import { createOrderLoaders } from "./order.loaders.js";
import { OrderItemResolver, OrderResolver, UserOrdersResolver } from "./order.resolver.js";
import { orderPermissions } from "./order.rules.js";
import { OrderSubscriptionResolver } from "./order.subscription.js";

export const orderModule = defineModule({
  name: "order",
  resolvers: [OrderSubscriptionResolver, OrderResolver, OrderItemResolver, UserOrdersResolver],
  permissions: orderPermissions,
  loaders: createOrderLoaders,
  jobs: orderJobs,
});

export { findOrder, findOrderItem } from "./order.service.js";
