export { createCategoryLoaders } from "./category.loaders.js";
export { CategoryResolver } from "./category.resolver.js";
export { categoryPermissions } from "./category.rules.js";
export { Category } from "./category.type.js";
