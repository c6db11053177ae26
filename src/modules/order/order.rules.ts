import type { Order } from "../../generated/prisma/client.js";
import { allow, isAdmin, isAuthenticated, isOwner, or } from "../../platform/permissions/rules.js";
import { payloadPermissions } from "../../platform/validation/index.js";
import { isSelfOrAdmin } from "../user/index.js";

const isOrderOwnerOrAdmin = or(
  isOwner((order: Order) => order.userId),
  isAdmin,
);

export const orderPermissions = {
  // Signed-in callers only; the service then answers null for orders that are not theirs.
  Query: { order: isAuthenticated },
  // Customers act on their own orders only (the owner is in the repository `where`); admins on any.
  Mutation: { placeOrder: isAuthenticated, cancelOrder: isAuthenticated, updateOrderStatus: isAdmin },
  // The order inside is checked field by field by the Order rules below (its customer or an admin).
  OrderPayload: payloadPermissions("order"),
  User: { orders: isSelfOrAdmin },
  // The stream holds only the subscriber's own orders (admins: any); the Order rules still run per event.
  Subscription: { orderUpdated: isAuthenticated },
  OrderEvent: { cursor: allow, order: allow },
  Order: {
    id: isOrderOwnerOrAdmin,
    status: isOrderOwnerOrAdmin,
    totalCents: isOrderOwnerOrAdmin,
    currency: isOrderOwnerOrAdmin,
    shippingAddress: isOrderOwnerOrAdmin,
    createdAt: isOrderOwnerOrAdmin,
    updatedAt: isOrderOwnerOrAdmin,
    user: isOrderOwnerOrAdmin,
    items: isOrderOwnerOrAdmin,
  },
  // Items and the address snapshot are only reachable through `Order.items` and
  // `Order.shippingAddress`, which already passed the owner-or-admin rule above, and their rows carry
  // no owner to check again. A new field returning either type must be ruled like an Order field, or
  // check the order itself as `node` does (`findOrderItem` answers null unless the order may be seen).
  OrderItem: {
    id: allow,
    quantity: allow,
    unitPriceCents: allow,
    lineTotalCents: allow,
    product: allow,
  },
  ShippingAddress: {
    recipient: allow,
    line1: allow,
    line2: allow,
    city: allow,
    region: allow,
    postalCode: allow,
    country: allow,
  },
};
