import { defineModule } from "../module.js";
import { createCategoryLoaders } from "./category.loaders.js";
import { categoryPlans } from "./category.plan.js";
import { CategoryResolver } from "./category.resolver.js";
import { categoryPermissions } from "./category.rules.js";

export const categoryModule = defineModule({
  name: "category",
  resolvers: [CategoryResolver],
  permissions: categoryPermissions,
  plans: categoryPlans,
  loaders: createCategoryLoaders,
});

export { CATEGORY_TREE_CHANGED, findCategory } from "./category.service.js";
export { Category } from "./category.type.js";
