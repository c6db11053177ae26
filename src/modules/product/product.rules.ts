import { ProductStatus } from "../../generated/prisma/client.js";
import { allow, denied, isAdmin, publicRule, rule } from "../../platform/permissions/rules.js";
import { payloadPermissions } from "../../platform/validation/index.js";
import type { ProductsArgs } from "./product.args.js";

/**
 * Anyone may list active products; only admins may ask for draft or archived ones. Public (the same for
 * every caller but admins): the response cache may share catalog pages. Shield does not memoize it
 * ("no_cache"): the check is cheaper than shield's hash of the arguments that a "strict" cache key needs (object-hash, per request).
 */
const mayListRequestedStatuses = publicRule(
  rule({ cache: "no_cache" })((_parent, args: ProductsArgs, ctx) => {
    const activeOnly = (args.filter?.status ?? []).every((status) => status === ProductStatus.ACTIVE);
    return (
      activeOnly || ctx.viewer?.role === "ADMIN" || denied(ctx, "Only admins can list DRAFT or ARCHIVED products.")
    );
  }),
);

export const productPermissions = {
  Query: {
    product: allow,
    products: mayListRequestedStatuses,
  },
  Mutation: { createProduct: isAdmin, updateProduct: isAdmin, archiveProduct: isAdmin, deleteProduct: isAdmin },
  // Visibility (on sale, or admin) is checked when subscribing and for every event (product.service.ts).
  Subscription: { productUpdated: allow },
  ProductEvent: { cursor: allow, product: allow },
  Product: {
    id: allow,
    name: allow,
    slug: allow,
    description: allow,
    priceCents: allow,
    currency: allow,
    stock: allow,
    status: allow,
    imageUrls: allow,
    averageRating: allow,
    reviewCount: allow,
    createdAt: allow,
    updatedAt: allow,
    category: allow,
  },
  // Category.products is the product module's: it returns products.
  Category: { products: allow },
  // Only the admin mutations above return these; the product in them is an admin's to see whatever its status.
  ProductPayload: payloadPermissions("product"),
  DeleteProductPayload: payloadPermissions("deletedProductId"),
};
