import { IsInt, Max, MaxLength, Min } from "class-validator";
import { Field, ID, InputType, Int } from "type-graphql";
import { IsId, IsNotBlank, IsOmittable } from "../../platform/validation/index.js";

export const REVIEW_BODY_MAX = 5000;

// No author field: the author is always the caller. No rating aggregates either: the product's average
// follows from the reviews.

@InputType({ description: "Your review of a product: one per product." })
export class CreateReviewInput {
  @Field(() => ID, { description: "The product reviewed (an active one)." })
  @IsId()
  productId!: string;

  @Field(() => Int, { description: "Rating from 1 (worst) to 5 (best)." })
  @IsInt()
  @Min(1)
  @Max(5)
  rating!: number;

  @Field(() => String, { description: `The review text, 1 to ${REVIEW_BODY_MAX} characters.` })
  @IsNotBlank()
  @MaxLength(REVIEW_BODY_MAX)
  body!: string;
}

@InputType({ description: "Changes to your review; fields left out keep their value." })
export class UpdateReviewInput {
  @Field(() => Int, { nullable: true, description: "New rating from 1 to 5." })
  @IsOmittable()
  @IsInt()
  @Min(1)
  @Max(5)
  rating?: number;

  @Field(() => String, { nullable: true, description: `New text, 1 to ${REVIEW_BODY_MAX} characters.` })
  @IsOmittable()
  @IsNotBlank()
  @MaxLength(REVIEW_BODY_MAX)
  body?: string;
}
