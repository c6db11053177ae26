import { Args, Ctx, FieldResolver, Int, Query, Resolver, Root } from "type-graphql";
import type { RequestContext } from "../../context.js";
import type { OrderItem as OrderItemRow, Order as OrderRow, User as UserRow } from "../../generated/prisma/client.js";
import { ConnectionArgs } from "../../platform/pagination/index.js";
import { Product } from "../product/index.js";
import { User } from "../user/index.js";
import { OrderLookupArgs } from "./order.args.js";
import { findOrder, lineTotalCents, orderItems, shippingAddressOf, userOrders } from "./order.service.js";
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
  @FieldResolver(() => OrderConnection, {
    nullable: true,
    description:
      "The user's orders, newest first. Visible to the user and admins; null (with a FORBIDDEN error) for others.",
  })
  orders(@Root() user: UserRow, @Args(() => ConnectionArgs) args: ConnectionArgs, @Ctx() ctx: RequestContext) {
    return userOrders(ctx, user.id, args);
  }
}
