import type { RequestContext } from "../../context.js";
import { type Product, ProductStatus } from "../../generated/prisma/client.js";
import type { Viewer } from "../../platform/auth/tokens.js";
import { badUserInput } from "../../platform/errors/index.js";
import { parseId } from "../../platform/ids.js";
import {
  type ConnectionArguments,
  type ConnectionResult,
  pageRequest,
  type SortOrder,
  toConnection,
} from "../../platform/pagination/index.js";
import { type ProductFilter, ProductSort } from "./product.args.js";
import { productRepository } from "./product.repository.js";

const sortOrders: Record<ProductSort, SortOrder<Product>> = {
  [ProductSort.NEWEST]: { key: "newest", field: "createdAt", direction: "desc" },
  [ProductSort.PRICE_ASC]: { key: "price-asc", field: "priceCents", direction: "asc" },
  [ProductSort.PRICE_DESC]: { key: "price-desc", field: "priceCents", direction: "desc" },
  [ProductSort.RATING]: { key: "rating", field: "averageRating", direction: "desc" },
};

export const newestProductsFirst = sortOrders[ProductSort.NEWEST];

const isAdmin = (viewer: Viewer | null) => viewer?.role === "ADMIN";

/** Draft, archived and deleted products exist only for admins. */
export function isProductVisible(viewer: Viewer | null, product: Product): boolean {
  return isAdmin(viewer) || (product.status === ProductStatus.ACTIVE && product.deletedAt === null);
}

export async function findProduct(ctx: RequestContext, lookup: { id?: string | null; slug?: string | null }) {
  if ((lookup.id == null) === (lookup.slug == null)) {
    throw badUserInput("Pass exactly one of `id` or `slug`.", lookup.id == null ? "id" : "slug");
  }
  const product =
    lookup.id != null
      ? await ctx.loaders.product.byId.load(parseId(lookup.id, "id"))
      : await ctx.loaders.product.bySlug.load(lookup.slug as string);
  return product && isProductVisible(ctx.viewer, product) ? product : null;
}

export async function listProducts(
  ctx: RequestContext,
  args: ConnectionArguments & { filter?: ProductFilter | null; sort?: ProductSort | null },
): Promise<ConnectionResult<Product>> {
  const filter = args.filter ?? {};
  const { minPriceCents, maxPriceCents } = filter;
  if (minPriceCents != null && maxPriceCents != null && minPriceCents > maxPriceCents) {
    throw badUserInput("`filter.minPriceCents` is above `filter.maxPriceCents`.", "filter.minPriceCents");
  }
  const search = filter.search?.trim();
  const query = {
    // Row-level rule: whatever was asked, non-admins only ever query active products (the shield
    // rule turns the request away first; this keeps counts and cursors right even if it did not).
    statuses: isAdmin(ctx.viewer) && filter.status?.length ? filter.status : [ProductStatus.ACTIVE],
    categoryId: filter.categoryId != null ? parseId(filter.categoryId, "filter.categoryId") : undefined,
    minPriceCents: minPriceCents ?? undefined,
    maxPriceCents: maxPriceCents ?? undefined,
    search: search ? search : undefined,
  };
  const page = pageRequest(args, sortOrders[args.sort ?? ProductSort.NEWEST]);
  const products = productRepository(ctx.prisma);
  const rows = await products.list(query, page);
  for (const row of rows) ctx.loaders.product.byId.prime(row.id, row);
  return toConnection(rows, page, () => products.count(query));
}

export async function categoryProducts(ctx: RequestContext, categoryId: string, args: ConnectionArguments) {
  const page = pageRequest(args, newestProductsFirst);
  const rows = await ctx.loaders.product.pageByCategory(page).load(categoryId);
  return toConnection(rows, page, () => ctx.loaders.product.countByCategory.load(categoryId));
}
