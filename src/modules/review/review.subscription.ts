import { Args, ArgsType, Field, ID, ObjectType, Resolver, Root, Subscription } from "type-graphql";
import type { RequestContext } from "../../context.js";
import type { Review as ReviewRow } from "../../generated/prisma/client.js";
import { encodeEventCursor } from "../../platform/realtime/index.js";
import { reviewsAdded } from "./review.service.js";
import { Review } from "./review.type.js";

@ArgsType()
export class ReviewAddedArgs {
  @Field(() => ID, { description: "The product whose new reviews to receive." })
  productId!: string;

  @Field(() => String, {
    nullable: true,
    description: "Resume: the `cursor` of the last event received; reviews written since come first.",
  })
  after?: string | null;
}

@ObjectType({ description: "A review was written." })
export class ReviewEvent {
  @Field(() => String, { description: "Where this event stands: pass it as `after` when resubscribing." })
  cursor!: string;

  @Field(() => Review, { description: "The new review." })
  review!: ReviewRow;
}

@Resolver()
export class ReviewSubscriptionResolver {
  @Subscription(() => ReviewEvent, {
    description: "New reviews of a product on sale.",
    subscribe: ({ args, context }) => reviewsAdded(context as RequestContext, args as ReviewAddedArgs),
  })
  reviewAdded(@Root() review: ReviewRow, @Args(() => ReviewAddedArgs) _args: ReviewAddedArgs): ReviewEvent {
    return { cursor: encodeEventCursor({ at: review.createdAt, id: review.id }), review };
  }
}
