import { Args, ArgsType, Directive, Field, ID, ObjectType, Resolver, Root, Subscription } from "type-graphql";
import type { RequestContext } from "../../context.js";
import type { Order as OrderRow } from "../../generated/prisma/client.js";
import { cacheHint } from "../../platform/cache/index.js";
import { encodeEventCursor } from "../../platform/realtime/index.js";
import { orderUpdates } from "./order.service.js";
import { Order } from "./order.type.js";

@ArgsType()
export class OrderUpdatedArgs {
  @Field(() => ID, { nullable: true, description: "Only this order (yours; admins: any)." })
  id?: string | null;

  @Field(() => String, {
    nullable: true,
    description:
      "Resume: the `cursor` of the last event received. Orders changed since then come first (each once, in its current state), within the resumption window.",
  })
  after?: string | null;
}

@ObjectType({ description: "An order changed (placed, paid, shipped, delivered, cancelled)." })
export class OrderEvent {
  @Field(() => String, { description: "Where this event stands: pass it as `after` when resubscribing." })
  cursor!: string;

  @Field(() => Order, { description: "The order as it is after the change." })
  order!: OrderRow;
}

@Resolver()
export class OrderSubscriptionResolver {
  @Directive(cacheHint.private)
  @Subscription(() => OrderEvent, {
    description:
      "Your orders as they change (admins: every order, or the one named by `id`). Needs sign-in (the access token in `connection_init`).",
    subscribe: ({ args, context }) => orderUpdates(context as RequestContext, args as OrderUpdatedArgs),
  })
  orderUpdated(@Root() order: OrderRow, @Args(() => OrderUpdatedArgs) _args: OrderUpdatedArgs): OrderEvent {
    return { cursor: encodeEventCursor({ at: order.updatedAt, id: order.id }), order };
  }
}
