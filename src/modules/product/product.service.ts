import type { GraphQLResolveInfo } from "graphql";
import type { RequestContext } from "../../context.js";
import { type Product, ProductStatus } from "../../generated/prisma/client.js";
import type { Viewer } from "../../platform/auth/tokens.js";
import { catalogMaxAge, listTag } from "../../platform/cache/index.js";
import { isForeignKeyViolation, isRecordNotFound, isUniqueViolation } from "../../platform/db/errors.js";
import { badUserInput, ClientError } from "../../platform/errors/index.js";
import { loadByIdOr, lookupKey, parseId } from "../../platform/ids.js";
import {
  type ConnectionArguments,
  type ConnectionResult,
  pageRequest,
  type SortOrder,
  toConnection,
} from "../../platform/pagination/index.js";
import { resumableEvents } from "../../platform/realtime/index.js";
import { fullTextSearch } from "../../platform/search/index.js";
import { failWith, reject, settle, UserErrorCode, validateId, validateInput } from "../../platform/validation/index.js";
import { type ProductFilter, ProductSort } from "./product.args.js";
import type { CreateProductInput, UpdateProductInput } from "./product.input.js";
import type { DeleteProductPayload, ProductPayload } from "./product.payload.js";
import { isOnSale, type ProductFields, productRepository, productSlugConstraint } from "./product.repository.js";

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
  return isAdmin(viewer) || isOnSale(product);
}

/**
 * One product by id or slug, if the caller may see it. With the resolver's `info`, the product and what is
 * selected below it come in one statement (the planner), visibility checked inside it.
 */
export async function findProduct(
  ctx: RequestContext,
  lookup: { id?: string | null; slug?: string | null },
  info?: GraphQLResolveInfo,
) {
  const planned = info && ctx.planner?.objects<Product>(info, "p");
  if (planned) {
    return productRepository(ctx.prisma).findPlanned(lookupKey(lookup, "slug"), isAdmin(ctx.viewer), planned, ctx);
  }
  const product = await loadByIdOr(lookup, "slug", ctx.loaders.product.byId, ctx.loaders.product.bySlug);
  return product && isProductVisible(ctx.viewer, product) ? product : null;
}

/**
 * A page of the catalog. With the resolver's `info`, the page and everything selected below it that the
 * planner knows (category, review pages, their authors) come in one statement.
 */
export async function listProducts(
  ctx: RequestContext,
  args: ConnectionArguments & { filter?: ProductFilter | null; sort?: ProductSort | null },
  info?: GraphQLResolveInfo,
): Promise<ConnectionResult<Product>> {
  const filter = args.filter ?? {};
  const { minPriceCents, maxPriceCents } = filter;
  if (minPriceCents != null && maxPriceCents != null && minPriceCents > maxPriceCents) {
    throw badUserInput("`filter.minPriceCents` is above `filter.maxPriceCents`.", "filter.minPriceCents");
  }
  const search = fullTextSearch(filter.search, "filter.search");
  const query = {
    // Row-level rule: whatever was asked, non-admins only ever query active products (the shield
    // rule turns the request away first; this keeps counts and cursors right even if it did not).
    statuses: isAdmin(ctx.viewer) && filter.status?.length ? filter.status : [ProductStatus.ACTIVE],
    categoryId: filter.categoryId != null ? parseId(filter.categoryId, "filter.categoryId") : undefined,
    minPriceCents: minPriceCents ?? undefined,
    maxPriceCents: maxPriceCents ?? undefined,
    search,
  };
  const page = pageRequest(args, sortOrders[args.sort ?? ProductSort.NEWEST]);
  const products = productRepository(ctx.prisma);
  // Every page of a listing needs the same count: kept aside, dropped by any product write.
  const count = () =>
    ctx.cache.aside(
      `products:count:${JSON.stringify(query)}`,
      { tags: [listTag("Product")], ttlSeconds: catalogMaxAge },
      () => products.count(query),
    );
  const planned = info && ctx.planner?.connectionNodes<Product>(info, "p", page);
  if (planned) return toConnection(await products.listPlanned(query, page, planned, ctx), page, count);
  const rows = await products.list(query, page);
  for (const row of rows) ctx.loaders.product.byId.prime(row.id, row);
  return toConnection(rows, page, count);
}

export async function categoryProducts(ctx: RequestContext, categoryId: string, args: ConnectionArguments) {
  const page = pageRequest(args, newestProductsFirst);
  const rows = await ctx.loaders.product.pageByCategory(page).load(categoryId);
  return toConnection(rows, page, () => ctx.loaders.product.countByCategory.load(categoryId));
}

const failed = failWith<ProductPayload>({ product: null });

function noSuchProduct(): never {
  reject(["id"], UserErrorCode.NOT_FOUND, "There is no product with this id.");
}

/**
 * The database's own constraints decide races (two admins taking one slug, a category deleted meanwhile);
 * their violations become the UserErrors a check beforehand would have given.
 */
function asUserError(error: unknown): never {
  if (isUniqueViolation(error, productSlugConstraint)) {
    reject(["input", "slug"], UserErrorCode.TAKEN, "Another product already uses this slug.");
  }
  // categoryId is the only foreign key a product write sets.
  if (isForeignKeyViolation(error)) {
    reject(["input", "categoryId"], UserErrorCode.NOT_FOUND, "There is no category with this id.");
  }
  if (isRecordNotFound(error)) noSuchProduct();
  throw error;
}

/**
 * The changed row replaces any cached copy; category lists and counts may now hold it or not. Also for
 * other modules' writes that return the product row (a review recounting its rating). Called after the
 * write committed: the response cache drops what held the product before the response leaves.
 */
export function rememberProduct(ctx: RequestContext, product: Product) {
  ctx.cache.changed("Product", [product.id]);
  ctx.events.publish(productUpdatedTopic(product.id), product);
  const { product: loaders } = ctx.loaders;
  loaders.byId.clear(product.id).prime(product.id, product);
  loaders.bySlug.clearAll().prime(product.slug, product);
  loaders.pageByCategory.clearAll();
  loaders.countByCategory.clearAll();
}

/**
 * For other modules' writes that change product rows behind the product module's back (stock taken by an
 * order, put back by a cancellation), after they committed: the next read in this request goes to the
 * database, and subscribers hear of the new stock.
 */
export function forgetProducts(ctx: RequestContext, products: readonly Product[]) {
  const changed = products.map((product) => product.id);
  // Only stock changes this way, and no list filters or sorts on it.
  ctx.cache.changedRows("Product", changed);
  for (const product of products) ctx.events.publish(productUpdatedTopic(product.id), product);
  const { product: loaders } = ctx.loaders;
  for (const id of changed) loaders.byId.clear(id);
  loaders.bySlug.clearAll();
  loaders.pageByCategory.clearAll();
}

/** One topic per product: an instance listens (one Redis subscription) only to products someone watches. */
const productUpdatedTopic = (id: string) => `product.updated:${id}`;

/**
 * `productUpdated(id)`: the product's changes (price, stock, status, rating) while the caller may see it
 * (on sale, or any for admins); resuming replays its current state if it changed after the cursor.
 */
export async function productUpdates(ctx: RequestContext, args: { id: string; after?: string | null }) {
  const id = parseId(args.id, "id");
  const visible = (product: Product) => isProductVisible(ctx.viewer, product);
  const current = await ctx.loaders.product.byId.load(id);
  if (!current || !visible(current)) {
    throw new ClientError("NOT_FOUND", "There is no product with this id.", { field: "id" });
  }
  return resumableEvents<Product>({
    live: ctx.events.subscribe(productUpdatedTopic(id)),
    after: args.after,
    settings: ctx.events.resume,
    replay: async (from) => (await productRepository(ctx.prisma).changedAfter(id, from)).filter(visible),
    key: (product) => product.id,
    position: (product) => ({ at: product.updatedAt, id: product.id }),
    accept: visible,
  });
}

async function writeProduct(ctx: RequestContext, write: () => Promise<Product>): Promise<ProductPayload> {
  return settle(async () => {
    const product = await write().catch(asUserError);
    rememberProduct(ctx, product);
    return { product, userErrors: [] };
  }, failed);
}

export async function createProduct(ctx: RequestContext, input: CreateProductInput): Promise<ProductPayload> {
  const invalid = await validateInput(input);
  if (invalid.length > 0) return failed(invalid);
  const fields: ProductFields = {
    name: input.name.trim(),
    slug: input.slug,
    description: input.description ?? "",
    priceCents: input.priceCents,
    currency: input.currency?.toUpperCase() ?? "USD",
    stock: input.stock ?? 0,
    status: input.status ?? ProductStatus.DRAFT,
    categoryId: input.categoryId,
    imageUrls: input.imageUrls ?? [],
  };
  return writeProduct(ctx, () => productRepository(ctx.prisma).create(fields));
}

export async function updateProduct(
  ctx: RequestContext,
  id: string,
  input: UpdateProductInput,
): Promise<ProductPayload> {
  const invalid = [...validateId(id), ...(await validateInput(input))];
  if (invalid.length > 0) return failed(invalid);
  // Field by field rather than spreading the input, so nothing reaches the row that was not meant to.
  // Prisma leaves columns whose value is undefined (left out) as they are.
  const fields: Partial<ProductFields> = {
    name: input.name?.trim(),
    slug: input.slug,
    description: input.description,
    priceCents: input.priceCents,
    currency: input.currency?.toUpperCase(),
    stock: input.stock,
    status: input.status,
    categoryId: input.categoryId,
    imageUrls: input.imageUrls,
  };
  return writeProduct(ctx, () => productRepository(ctx.prisma).update(id, fields));
}

/** Takes the product off sale; it stays resolvable from orders and reviews. */
export async function archiveProduct(ctx: RequestContext, id: string): Promise<ProductPayload> {
  const invalid = validateId(id);
  if (invalid.length > 0) return failed(invalid);
  return writeProduct(ctx, () => productRepository(ctx.prisma).update(id, { status: ProductStatus.ARCHIVED }));
}

/**
 * A soft delete: past orders and reviews still point at the row, and `Product` queries hide it from
 * everyone but admins. Its slug stays taken.
 */
export async function deleteProduct(ctx: RequestContext, id: string): Promise<DeleteProductPayload> {
  const failedDelete = failWith<DeleteProductPayload>({ deletedProductId: null });
  const invalid = validateId(id);
  if (invalid.length > 0) return failedDelete(invalid);
  return settle(async () => {
    const product = await productRepository(ctx.prisma).softDelete(id).catch(asUserError);
    rememberProduct(ctx, product);
    return { deletedProductId: product.id, userErrors: [] };
  }, failedDelete);
}
