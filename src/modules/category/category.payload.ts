import { Field, ID, ObjectType } from "type-graphql";
import type { Category as CategoryRow } from "../../generated/prisma/client.js";
import { MutationPayload } from "../../platform/validation/index.js";
import { Category } from "./category.type.js";

@ObjectType({ description: "The result of creating or changing a category." })
export class CategoryPayload extends MutationPayload {
  @Field(() => Category, {
    nullable: true,
    description: "The category as it is now; null when `userErrors` is not empty.",
  })
  category!: CategoryRow | null;
}

@ObjectType({ description: "The result of deleting a category." })
export class DeleteCategoryPayload extends MutationPayload {
  @Field(() => ID, { nullable: true, description: "Id of the deleted category; null when `userErrors` is not empty." })
  deletedCategoryId!: string | null;
}
