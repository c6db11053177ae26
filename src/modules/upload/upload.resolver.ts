import { Arg, Ctx, FieldResolver, ID, Int, Mutation, Resolver, Root } from "type-graphql";
import type { RequestContext } from "../../context.js";
import type {
  ProductImage as ProductImageRow,
  Product as ProductRow,
  User as UserRow,
} from "../../generated/prisma/client.js";
import { Product } from "../product/index.js";
import { User } from "../user/index.js";
import { AttachProductImageInput, CreateUploadInput, UpdateProductImageInput } from "./upload.input.js";
import {
  CreateUploadPayload,
  ProductImagePayload,
  RemoveProductImagePayload,
  SetAvatarPayload,
} from "./upload.payload.js";
import {
  attachProductImage,
  avatarUrl,
  createUpload,
  productImages,
  productImageUrl,
  removeProductImage,
  setAvatar,
  updateProductImage,
} from "./upload.service.js";
import { ProductImage } from "./upload.type.js";

@Resolver()
export class UploadResolver {
  @Mutation(() => CreateUploadPayload, {
    description:
      "Start an upload: returns a short-lived signed URL to PUT the file to, straight to storage. Signed-in callers only.",
  })
  createUpload(
    @Arg("input", () => CreateUploadInput, { description: "The file about to be sent." }) input: CreateUploadInput,
    @Ctx() ctx: RequestContext,
  ) {
    return createUpload(ctx, input);
  }

  @Mutation(() => ProductImagePayload, {
    description: "Add an uploaded picture to a product once its bytes are checked and cleaned. ADMIN only.",
  })
  attachProductImage(
    @Arg("input", () => AttachProductImageInput, { description: "The product and the upload." })
    input: AttachProductImageInput,
    @Ctx() ctx: RequestContext,
  ) {
    return attachProductImage(ctx, input);
  }

  @Mutation(() => ProductImagePayload, {
    description: "Reorder a product's picture (`position`) or change its `alt` text. ADMIN only.",
  })
  updateProductImage(
    @Arg("id", () => ID, { description: "The image (ProductImage.id)." }) id: string,
    @Arg("input", () => UpdateProductImageInput, { description: "The changes." }) input: UpdateProductImageInput,
    @Ctx() ctx: RequestContext,
  ) {
    return updateProductImage(ctx, id, input);
  }

  @Mutation(() => RemoveProductImagePayload, { description: "Remove a product's picture and its files. ADMIN only." })
  removeProductImage(
    @Arg("id", () => ID, { description: "The image (ProductImage.id)." }) id: string,
    @Ctx() ctx: RequestContext,
  ) {
    return removeProductImage(ctx, id);
  }

  @Mutation(() => SetAvatarPayload, { description: "Make an uploaded picture (purpose AVATAR) the caller's avatar." })
  setAvatar(
    @Arg("uploadId", () => ID, { description: "From createUpload, after the PUT succeeded." }) uploadId: string,
    @Ctx() ctx: RequestContext,
  ) {
    return setAvatar(ctx, uploadId);
  }
}

@Resolver(() => ProductImage)
export class ProductImageResolver {
  @FieldResolver(() => String, {
    description:
      "Where to fetch the picture: the smallest resized copy at least `width` pixels wide, else the full-size one.",
  })
  url(
    @Root() image: ProductImageRow,
    @Arg("width", () => Int, { nullable: true, description: "The width it will be shown at, 1 to 4096." })
    width: number | null,
    @Ctx() ctx: RequestContext,
  ) {
    return productImageUrl(ctx, image, width);
  }
}

@Resolver(() => Product)
export class ProductImagesResolver {
  @FieldResolver(() => [ProductImage], { description: "Pictures, by `position`; the first is the main one." })
  images(@Root() product: ProductRow, @Ctx() ctx: RequestContext) {
    return productImages(ctx, product.id);
  }
}

@Resolver(() => User)
export class UserAvatarResolver {
  @FieldResolver(() => String, {
    nullable: true,
    description: "The user's picture, the smallest square copy at least `size` pixels; null when there is none.",
  })
  avatarUrl(
    @Root() user: UserRow,
    @Arg("size", () => Int, { nullable: true, description: "The size it will be shown at, 1 to 4096." })
    size: number | null,
    @Ctx() ctx: RequestContext,
  ) {
    return avatarUrl(ctx, user.id, size);
  }
}
