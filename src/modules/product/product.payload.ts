import { Field, ID, ObjectType } from "type-graphql";
import type { Product as ProductRow } from "../../generated/prisma/client.js";
import { UserError } from "../../platform/validation/index.js";
import { Product } from "./product.type.js";

@ObjectType({ description: "The result of creating, changing or archiving a product." })
export class ProductPayload {
  @Field(() => Product, {
    nullable: true,
    description: "The product as it is now; null when `userErrors` is not empty.",
  })
  product!: ProductRow | null;

  @Field(() => [UserError], { description: "Problems with the input; when non-empty, nothing was changed." })
  userErrors!: UserError[];
}

@ObjectType({ description: "The result of deleting a product." })
export class DeleteProductPayload {
  @Field(() => ID, { nullable: true, description: "Id of the deleted product; null when `userErrors` is not empty." })
  deletedProductId!: string | null;

  @Field(() => [UserError], { description: "Problems with the input; when non-empty, nothing was changed." })
  userErrors!: UserError[];
}
