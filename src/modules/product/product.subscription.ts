import { Args, ArgsType, Field, ID, ObjectType, Resolver, Root, Subscription } from "type-graphql";
import type { RequestContext } from "../../context.js";
import type { Product as ProductRow } from "../../generated/prisma/client.js";
import { encodeEventCursor } from "../../platform/realtime/index.js";
import { productUpdates } from "./product.service.js";
import { Product } from "./product.type.js";

@ArgsType()
export class ProductUpdatedArgs {
  @Field(() => ID, { description: "The product to watch." })
  id!: string;

  @Field(() => String, {
    nullable: true,
    description: "Resume: the `cursor` of the last event received; if the product changed since, it comes first.",
  })
  after?: string | null;
}

@ObjectType({ description: "A product changed: price, stock, status or rating." })
export class ProductEvent {
  @Field(() => String, { description: "Where this event stands: pass it as `after` when resubscribing." })
  cursor!: string;

  @Field(() => Product, { description: "The product as it is after the change." })
  product!: ProductRow;
}

@Resolver()
export class ProductSubscriptionResolver {
  @Subscription(() => ProductEvent, {
    description: "A product's changes while you may see it (on sale; admins: any).",
    subscribe: ({ args, context }) => productUpdates(context as RequestContext, args as ProductUpdatedArgs),
  })
  productUpdated(@Root() product: ProductRow, @Args(() => ProductUpdatedArgs) _args: ProductUpdatedArgs): ProductEvent {
    return { cursor: encodeEventCursor({ at: product.updatedAt, id: product.id }), product };
  }
}
