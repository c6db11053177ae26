import type { Review } from "../../generated/prisma/client.js";
import { createLoader, inKeyOrder, type LoaderDeps, loaderPerArguments } from "../../platform/loaders/index.js";
import type { PageRequest } from "../../platform/pagination/index.js";
import { reviewRepository } from "./review.repository.js";

export type ReviewLoaders = ReturnType<typeof createReviewLoaders>;

declare module "../../context.js" {
  interface ModuleLoaders {
    review: ReviewLoaders;
  }
}

export function createReviewLoaders(deps: LoaderDeps) {
  const reviews = reviewRepository(deps.prisma);
  return {
    byId: createLoader(async (ids: readonly string[]) => inKeyOrder(ids, await reviews.findByIds(ids), (r) => r.id)),
    pageByProduct: loaderPerArguments((page: PageRequest<Review>) =>
      createLoader((productIds: readonly string[]) => reviews.pagesBy("productId", productIds, page)),
    ),
    countByProduct: createLoader((productIds: readonly string[]) => reviews.countsBy("productId", productIds)),
    pageByAuthor: loaderPerArguments((page: PageRequest<Review>) =>
      createLoader((authorIds: readonly string[]) => reviews.pagesBy("authorId", authorIds, page)),
    ),
    countByAuthor: createLoader((authorIds: readonly string[]) => reviews.countsBy("authorId", authorIds)),
  };
}
