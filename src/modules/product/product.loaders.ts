import type { Product } from "../../generated/prisma/client.js";
import { createLoader, inKeyOrder, type LoaderDeps, loaderPerArguments } from "../../platform/loaders/index.js";
import type { PageRequest } from "../../platform/pagination/index.js";
import { CATEGORY_TREE_CHANGED } from "../category/index.js";
import { productRepository } from "./product.repository.js";

export type ProductLoaders = ReturnType<typeof createProductLoaders>;

declare module "../../context.js" {
  interface ModuleLoaders {
    product: ProductLoaders;
  }
}

export function createProductLoaders(deps: LoaderDeps) {
  const products = productRepository(deps.prisma);
  const loaders = {
    /** Any product, whatever its status: order items and reviews must still resolve archived ones. */
    byId: createLoader(async (ids: readonly string[]) => inKeyOrder(ids, await products.findByIds(ids), (p) => p.id)),
    bySlug: createLoader(async (slugs: readonly string[]) =>
      inKeyOrder(slugs, await products.findBySlugs(slugs), (p) => p.slug),
    ),
    pageByCategory: loaderPerArguments((page: PageRequest<Product>) =>
      createLoader((categoryIds: readonly string[]) => products.pagesByCategory(categoryIds, page)),
    ),
    countByCategory: createLoader((categoryIds: readonly string[]) => products.countsByCategory(categoryIds)),
  };
  // Which products a category's list holds depends on where categories sit in the tree.
  deps.changes.on(CATEGORY_TREE_CHANGED, () => {
    loaders.pageByCategory.clearAll();
    loaders.countByCategory.clearAll();
  });
  return loaders;
}
