import type { Product } from "../../generated/prisma/client.js";
import { createLoader, inKeyOrder, type LoaderDeps, loaderPerArguments } from "../../platform/loaders/index.js";
import type { PageRequest } from "../../platform/pagination/index.js";
import { productRepository } from "./product.repository.js";

export type ProductLoaders = ReturnType<typeof createProductLoaders>;

declare module "../../context.js" {
  interface ModuleLoaders {
    product: ProductLoaders;
  }
}

export function createProductLoaders(deps: LoaderDeps) {
  const products = productRepository(deps.prisma);
  return {
    /** Any product, whatever its status: order items and reviews must still resolve archived ones. */
    byId: createLoader(deps, async (ids: readonly string[]) =>
      inKeyOrder(ids, await products.findByIds(ids), (p) => p.id),
    ),
    bySlug: createLoader(deps, async (slugs: readonly string[]) =>
      inKeyOrder(slugs, await products.findBySlugs(slugs), (p) => p.slug),
    ),
    pageByCategory: loaderPerArguments((page: PageRequest<Product>) =>
      createLoader(deps, (categoryIds: readonly string[]) => products.pagesByCategory(categoryIds, page)),
    ),
    countByCategory: createLoader(deps, (categoryIds: readonly string[]) => products.countsByCategory(categoryIds)),
  };
}
