import { Arg, Args, Ctx, Directive, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from "type-graphql";
import type { RequestContext } from "../../context.js";
import {
  type OrderItem as OrderItemRow,
  type Order as OrderRow,
  OrderStatus,
  type User as UserRow,
} from "../../generated/prisma/client.js";
import { cacheHint } from "../../platform/cache/index.js";
import { ConnectionArgs } from "../../platform/pagination/index.js";
import { requireViewer } from "../../platform/permissions/viewer.js";
import { Product } from "../product/index.js";
import { User } from "../user/index.js";
import { OrderLookupArgs } from "./order.args.js";
import { PlaceOrderInput } from "./order.input.js";
import { OrderPayload } from "./order.payload.js";
import {
  cancelOrder,
  findOrder,
  lineTotalCents,
  orderItems,
  placeOrder,
  shippingAddressOf,
  updateOrderStatus,
  userOrders,
} from "./order.service.js";
import { Order, OrderConnection, OrderItem, ShippingAddress } from "./order.type.js";

@Resolver(() => Order)
export class OrderResolver {
  @Query(() => Order, {
    nullable: true,
    description: "One of your orders (any order for admins); null when there is none you may see. Needs sign-in.",
  })
  order(@Args(() => OrderLookupArgs) args: OrderLookupArgs, @Ctx() ctx: RequestContext) {
    return findOrder(ctx, args.id);
  }

  @FieldResolver(() => ShippingAddress, {
    description: "Where the order was sent, as it was when the order was placed.",
  })
  shippingAddress(@Root() order: OrderRow) {
    return shippingAddressOf(order);
  }

  @FieldResolver(() => User, { description: "The customer who placed the order." })
  user(@Root() order: OrderRow, @Ctx() ctx: RequestContext) {
    return ctx.loaders.user.byId.load(order.userId);
  }

  @FieldResolver(() => [OrderItem], { description: "What was bought, in the order it was added." })
  items(@Root() order: OrderRow, @Ctx() ctx: RequestContext) {
    return orderItems(ctx, order.id);
  }

  @Mutation(() => OrderPayload, {
    description:
      "Check out: reserve the stock, price the items from the catalog, copy the address and create a PENDING order, all or nothing. Safe to retry with the same `idempotencyKey`. Needs sign-in.",
  })
  placeOrder(
    @Arg("input", () => PlaceOrderInput, { description: "The checkout." }) input: PlaceOrderInput,
    @Ctx() ctx: RequestContext,
  ) {
    return placeOrder(ctx, requireViewer(ctx), input);
  }

  @Mutation(() => OrderPayload, {
    description:
      "Cancel an order and put its stock back: your own while PENDING; admins any order still PENDING or PAID. Needs sign-in.",
  })
  cancelOrder(@Arg("id", () => ID, { description: "The order to cancel." }) id: string, @Ctx() ctx: RequestContext) {
    return cancelOrder(ctx, requireViewer(ctx), id);
  }

  @Mutation(() => OrderPayload, {
    description:
      "Move an order along PENDING → PAID → SHIPPED → DELIVERED, or cancel it from PENDING or PAID (stock is put back). ADMIN only.",
  })
  updateOrderStatus(
    @Arg("id", () => ID, { description: "The order." }) id: string,
    @Arg("status", () => OrderStatus, { description: "The status it moves to." }) status: OrderStatus,
    @Ctx() ctx: RequestContext,
  ) {
    return updateOrderStatus(ctx, id, status);
  }
}

@Resolver(() => OrderItem)
export class OrderItemResolver {
  @FieldResolver(() => Int, { description: "`quantity` × `unitPriceCents`, in cents." })
  lineTotalCents(@Root() item: OrderItemRow) {
    return lineTotalCents(item);
  }

  @FieldResolver(() => Product, {
    description: "The product bought, whatever its status today (archived products still show in order history).",
  })
  product(@Root() item: OrderItemRow, @Ctx() ctx: RequestContext) {
    return ctx.loaders.product.byId.load(item.productId);
  }
}

/** `User.orders` lives here so the user module need not know about orders. */
@Resolver(() => User)
export class UserOrdersResolver {
  @Directive(cacheHint.private)
  @FieldResolver(() => OrderConnection, {
    nullable: true,
    description:
      "The user's orders, newest first. Visible to the user and admins; null (with a FORBIDDEN error) for others.",
  })
  orders(@Root() user: UserRow, @Args(() => ConnectionArgs) args: ConnectionArgs, @Ctx() ctx: RequestContext) {
    return userOrders(ctx, user.id, args);
  }
}
