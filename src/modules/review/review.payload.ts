import { Field, ID, ObjectType } from "type-graphql";
import type { Product as ProductRow, Review as ReviewRow } from "../../generated/prisma/client.js";
import { MutationPayload } from "../../platform/validation/index.js";
import { Product } from "../product/index.js";
import { Review } from "./review.type.js";

@ObjectType({ description: "The result of writing or editing a review." })
export class ReviewPayload extends MutationPayload {
  @Field(() => Review, {
    nullable: true,
    description:
      "The review as it is now (its `product` shows the updated rating); null when `userErrors` is not empty.",
  })
  review!: ReviewRow | null;
}

@ObjectType({ description: "The result of deleting a review." })
export class DeleteReviewPayload extends MutationPayload {
  @Field(() => ID, { nullable: true, description: "Id of the deleted review; null when `userErrors` is not empty." })
  deletedReviewId!: string | null;

  @Field(() => Product, {
    nullable: true,
    description: "The product the review was about, with its updated rating; null when `userErrors` is not empty.",
  })
  product!: ProductRow | null;
}
