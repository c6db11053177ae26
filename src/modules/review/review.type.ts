import { Directive, Field, ID, Int, ObjectType } from "type-graphql";
import type { Review as ReviewRow } from "../../generated/prisma/client.js";
import { cacheHint, catalogMaxAge } from "../../platform/cache/index.js";
import { Node } from "../../platform/node.js";
import { connectionType } from "../../platform/pagination/index.js";

@Directive(cacheHint.publicFor(catalogMaxAge))
@ObjectType({
  description: "A customer's rating and opinion of a product; one per customer and product.",
  implements: Node,
})
export class Review implements Omit<ReviewRow, "productId" | "authorId"> {
  @Field(() => ID, { description: "Stable unique id." })
  id!: string;

  @Field(() => Int, { description: "Rating from 1 (worst) to 5 (best)." })
  rating!: number;

  @Field(() => String, { description: "The review text." })
  body!: string;

  @Field(() => Date, { description: "When the review was written." })
  createdAt!: Date;

  @Field(() => Date, { description: "When the review was last edited." })
  updatedAt!: Date;
}

export const ReviewConnection = connectionType(Review, "Review", "review");
