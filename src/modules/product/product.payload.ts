import { Field, ID, ObjectType } from "type-graphql";
import type { Product as ProductRow } from "../../generated/prisma/client.js";
import { MutationPayload } from "../../platform/validation/index.js";
import { Product } from "./product.type.js";

@ObjectType({ description: "The result of creating, changing or archiving a product." })
export class ProductPayload extends MutationPayload {
  @Field(() => Product, {
    nullable: true,
    description: "The product as it is now; null when `userErrors` is not empty.",
  })
  product!: ProductRow | null;
}

@ObjectType({ description: "The result of deleting a product." })
export class DeleteProductPayload extends MutationPayload {
  @Field(() => ID, { nullable: true, description: "Id of the deleted product; null when `userErrors` is not empty." })
  deletedProductId!: string | null;
}
