import { createLoader, groupedInKeyOrder, inKeyOrder, type LoaderDeps } from "../../platform/loaders/index.js";
import { uploadRepository } from "./upload.repository.js";

export type UploadLoaders = ReturnType<typeof createUploadLoaders>;

declare module "../../context.js" {
  interface ModuleLoaders {
    upload: UploadLoaders;
  }
}

export function createUploadLoaders(deps: LoaderDeps) {
  const uploads = uploadRepository(deps.prisma);
  return {
    imagesByProduct: createLoader(async (productIds: readonly string[]) =>
      groupedInKeyOrder(productIds, await uploads.imagesOfProducts(productIds), (image) => image.productId),
    ),
    avatarByUser: createLoader(async (userIds: readonly string[]) =>
      inKeyOrder(userIds, await uploads.avatarsOfUsers(userIds), (avatar) => avatar.userId),
    ),
  };
}
