import { Field, ID, ObjectType } from "type-graphql";
import type { Product as ProductRow, User as UserRow } from "../../generated/prisma/client.js";
import { MutationPayload } from "../../platform/validation/index.js";
import { Product } from "../product/index.js";
import { User } from "../user/index.js";
import { ProductImage, UploadTarget } from "./upload.type.js";

@ObjectType({ description: "The result of createUpload." })
export class CreateUploadPayload extends MutationPayload {
  @Field(() => UploadTarget, {
    nullable: true,
    description: "Where to PUT the file; null when `userErrors` is not empty.",
  })
  upload!: UploadTarget | null;
}

@ObjectType({ description: "The result of attaching or changing a product image." })
export class ProductImagePayload extends MutationPayload {
  @Field(() => ProductImage, { nullable: true, description: "The new image; null when `userErrors` is not empty." })
  image!: ProductImage | null;

  @Field(() => Product, {
    nullable: true,
    description: "The product with its images; null when `userErrors` is not empty.",
  })
  product!: ProductRow | null;
}

@ObjectType({ description: "The result of removing a product image." })
export class RemoveProductImagePayload extends MutationPayload {
  @Field(() => ID, { nullable: true, description: "Id of the removed image; null when `userErrors` is not empty." })
  removedImageId!: string | null;
}

@ObjectType({ description: "The result of setAvatar." })
export class SetAvatarPayload extends MutationPayload {
  @Field(() => User, {
    nullable: true,
    description: "The caller, with the new avatar; null when `userErrors` is not empty.",
  })
  user!: Omit<UserRow, "passwordHash"> | null;
}
