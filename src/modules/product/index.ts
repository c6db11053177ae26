import { defineModule } from "../module.js";
import { createProductLoaders } from "./product.loaders.js";
import { productPlans } from "./product.plan.js";
import { CategoryProductsResolver, ProductResolver } from "./product.resolver.js";
import { productPermissions } from "./product.rules.js";
import { ProductSubscriptionResolver } from "./product.subscription.js";

export const productModule = defineModule({
  name: "product",
  resolvers: [ProductSubscriptionResolver, ProductResolver, CategoryProductsResolver],
  permissions: productPermissions,
  plans: productPlans,
  loaders: createProductLoaders,
});

export { isOnSale, productInventory } from "./product.repository.js";
export { findProduct, forgetProducts, rememberProduct } from "./product.service.js";
export { Product } from "./product.type.js";
