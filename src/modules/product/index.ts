export { createProductLoaders } from "./product.loaders.js";
export { ProductResolver } from "./product.resolver.js";
export { productPermissions } from "./product.rules.js";
export { categoryProducts, forgetProducts, isProductVisible } from "./product.service.js";
export { Product, ProductConnection } from "./product.type.js";
