import { createLoader, groupedInKeyOrder, inKeyOrder, type LoaderDeps } from "../../platform/loaders/index.js";
import { categoryRepository } from "./category.repository.js";

export type CategoryLoaders = ReturnType<typeof createCategoryLoaders>;

declare module "../../context.js" {
  interface ModuleLoaders {
    category: CategoryLoaders;
  }
}

export function createCategoryLoaders(deps: LoaderDeps) {
  const categories = categoryRepository(deps.prisma);
  return {
    byId: createLoader(async (ids: readonly string[]) => inKeyOrder(ids, await categories.findByIds(ids), (c) => c.id)),
    bySlug: createLoader(async (slugs: readonly string[]) =>
      inKeyOrder(slugs, await categories.findBySlugs(slugs), (c) => c.slug),
    ),
    childrenByParentId: createLoader(async (parentIds: readonly string[]) =>
      groupedInKeyOrder(parentIds, await categories.findChildren(parentIds), (c) => c.parentId as string),
    ),
  };
}
