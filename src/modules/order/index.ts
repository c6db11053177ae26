import { OrderItemResolver, OrderResolver, UserOrdersResolver } from "./order.resolver.js";

export { createOrderLoaders } from "./order.loaders.js";
export { OrderItemResolver, OrderResolver, UserOrdersResolver } from "./order.resolver.js";
export { orderPermissions } from "./order.rules.js";
export { findOrder, userOrders } from "./order.service.js";
export { Order, OrderConnection, OrderItem, ShippingAddress } from "./order.type.js";

export const orderResolvers = [OrderResolver, OrderItemResolver, UserOrdersResolver] as const;
