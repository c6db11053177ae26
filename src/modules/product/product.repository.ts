import { Prisma, type Product, ProductStatus } from "../../generated/prisma/client.js";
import type { Db } from "../../platform/db/transaction.js";
import {
  columnList,
  keysetSql,
  limitSql,
  type PageRequest,
  pagesByParent,
  type SqlColumnType,
  sortSql,
} from "../../platform/pagination/index.js";
import { type PlannedRows, readPlanned } from "../../platform/planner/index.js";
import { changedAfter, type EventPosition } from "../../platform/realtime/index.js";

export type ProductListQuery = Readonly<{
  statuses: readonly ProductStatus[];
  categoryId?: string;
  minPriceCents?: number;
  maxPriceCents?: number;
  search?: string;
}>;

/** Every scalar column (the generated tsvector is not one), so raw rows have the Product shape. */
const productColumns = Object.values(Prisma.ProductScalarFieldEnum);
/** The whole row (as Prisma reads it) from an UPDATE … RETURNING: the stock writes publish it to subscribers. */
const returnedColumns = Prisma.raw(productColumns.map((column) => `"${column}"`).join(", "));

export const productSortColumnTypes: Partial<Record<keyof Product, SqlColumnType>> = {
  createdAt: "timestamp",
  priceCents: "int",
  averageRating: "float",
};

/** On sale: active and not deleted. What customers may see, review and buy; the SQL twin of `isOnSale`. */
export const onSaleSql = (alias: string) =>
  Prisma.sql`${Prisma.raw(alias)}."deletedAt" IS NULL AND ${Prisma.raw(alias)}.status = 'ACTIVE'`;

/** On sale: active and not deleted. What customers may see, review and buy. */
export function isOnSale(product: { status: ProductStatus; deletedAt: Date | null }): boolean {
  return product.status === ProductStatus.ACTIVE && product.deletedAt === null;
}

/** `categoryColumn` names a category or any of its descendants (materialised path, no recursion). */
export const inCategoryTree = (categoryColumn: Prisma.Sql, categoryId: Prisma.Sql) => Prisma.sql`
  ${categoryColumn} IN (
    SELECT d.id FROM categories root JOIN categories d ON d.path = root.path OR d.path LIKE root.path || '/%'
    WHERE root.id = ${categoryId})`;

function listConditions(query: ProductListQuery): Prisma.Sql {
  const conditions = [
    Prisma.sql`p."deletedAt" IS NULL`,
    // Equality (not `= ANY(array)`) for the usual single status, so PostgreSQL walks the
    // (status, sort column, id) index and stops after one page instead of sorting every active product.
    // Written into the statement, not parameters (enum values of our own): see `limitSql` on re-planning.
    Prisma.raw(
      `p.status IN (${query.statuses.map((status) => `'${ProductStatus[status]}'::"ProductStatus"`).join(", ")})`,
    ),
  ];
  if (query.categoryId !== undefined) {
    conditions.push(inCategoryTree(Prisma.raw('p."categoryId"'), Prisma.sql`${query.categoryId}::uuid`));
  }
  if (query.minPriceCents !== undefined) conditions.push(Prisma.sql`p."priceCents" >= ${query.minPriceCents}`);
  if (query.maxPriceCents !== undefined) conditions.push(Prisma.sql`p."priceCents" <= ${query.maxPriceCents}`);
  if (query.search !== undefined) {
    conditions.push(Prisma.sql`p."searchVector" @@ websearch_to_tsquery('english'::regconfig, ${query.search})`);
  }
  return Prisma.join(conditions, " AND ");
}

/** The WHERE, ORDER BY and LIMIT of one page of a product list. */
const listPage = (query: ProductListQuery, page: PageRequest<Product>) => Prisma.sql`
  WHERE ${listConditions(query)} ${keysetSql(page, "p", productSortColumnTypes[page.field] ?? "text")}
  ORDER BY ${sortSql(page, "p")}
  ${limitSql(page.take)}`;

export const productSlugConstraint = { index: "products_slug_key", columns: ["slug"] } as const;

/** The columns an admin may write; the rest are derived (rating), managed (timestamps) or set by their own mutation. */
export type ProductFields = Pick<
  Prisma.ProductUncheckedCreateInput,
  "name" | "slug" | "description" | "priceCents" | "currency" | "stock" | "status" | "categoryId" | "imageUrls"
>;

/** Deleted products are gone for writes too: nothing but order history refers to them any more. */
const notDeleted = { deletedAt: null };

export function productRepository(prisma: Db) {
  return {
    findByIds: (ids: readonly string[]) => prisma.product.findMany({ where: { id: { in: [...ids] } } }),

    /** The product if it changed after `from`: what a resuming `productUpdated` missed (its current state). */
    changedAfter: (id: string, from: EventPosition) =>
      prisma.product.findMany({ where: { id, ...changedAfter<Prisma.ProductWhereInput>("updatedAt", from) } }),

    findBySlugs: (slugs: readonly string[]) => prisma.product.findMany({ where: { slug: { in: [...slugs] } } }),

    /** Filters and full-text search in one statement; Prisma's query API cannot express `@@` on a tsvector. */
    list: (query: ProductListQuery, page: PageRequest<Product>) =>
      prisma.$queryRaw<Product[]>`SELECT ${columnList("p", productColumns)} FROM products p ${listPage(query, page)}`,

    /** `list` with the planner's projection: each row comes with the relations selected below it. */
    listPlanned: <Context>(
      query: ProductListQuery,
      page: PageRequest<Product>,
      planned: PlannedRows<Product, Context>,
      context: Context,
    ) => readPlanned(prisma, planned, "products p", listPage(query, page), context),

    /** One product by id or slug with the planner's projection; null when missing or (unless `hidden`) off sale. */
    findPlanned: async <Context>(
      key: { name: "id" | "slug"; value: string },
      hidden: boolean,
      planned: PlannedRows<Product, Context>,
      context: Context,
    ) => {
      const match = key.name === "id" ? Prisma.sql`p.id = ${key.value}::uuid` : Prisma.sql`p.slug = ${key.value}`;
      const visible = hidden ? Prisma.empty : Prisma.sql`AND ${onSaleSql("p")}`;
      const [found] = await readPlanned(prisma, planned, "products p", Prisma.sql`WHERE ${match} ${visible}`, context);
      return found ?? null;
    },

    count: async (query: ProductListQuery) => {
      const [row] = await prisma.$queryRaw<{ count: number }[]>`
        SELECT count(*)::int AS count FROM products p WHERE ${listConditions(query)}`;
      return row?.count ?? 0;
    },

    /** A page of each category's visible products, sub-categories included. */
    pagesByCategory: (categoryIds: readonly string[], page: PageRequest<Product>) =>
      pagesByParent(prisma, categoryIds, page, {
        table: "products",
        columns: productColumns,
        sortColumnType: productSortColumnTypes[page.field] ?? "text",
        belongsToParent: inCategoryTree(Prisma.raw('c."categoryId"'), Prisma.raw("parent.id")),
        where: Prisma.sql`AND ${onSaleSql("c")}`,
      }),

    countsByCategory: async (categoryIds: readonly string[]) => {
      const rows = await prisma.$queryRaw<{ id: string; count: number }[]>`
        SELECT root.id, count(p.id)::int AS count
        FROM categories root
        JOIN categories d ON d.path = root.path OR d.path LIKE root.path || '/%'
        LEFT JOIN products p ON p."categoryId" = d.id AND ${onSaleSql("p")}
        WHERE root.id = ANY(${categoryIds as string[]}::uuid[])
        GROUP BY root.id`;
      const counts = new Map(rows.map((row) => [row.id, row.count]));
      return categoryIds.map((id) => counts.get(id) ?? 0);
    },

    create: (fields: ProductFields) => prisma.product.create({ data: fields }),

    /** Throws P2025 (see isRecordNotFound) when there is no such undeleted product. */
    update: (id: string, fields: Partial<ProductFields>) =>
      prisma.product.update({ where: { id, ...notDeleted }, data: fields }),

    softDelete: (id: string) =>
      prisma.product.update({ where: { id, ...notDeleted }, data: { deletedAt: new Date() } }),
  };
}

export type ProductRepository = ReturnType<typeof productRepository>;

/**
 * The product-row writes that other modules' transactions make: stock taken and put back by orders, the
 * rating recounted by reviews. Run inside the caller's transaction (`db` is its transaction client).
 */
export function productInventory(db: Db) {
  return {
    /**
     * Takes `quantity` units if the product is on sale and has them, in one conditional statement: the
     * check and the decrement cannot be separated by a concurrent checkout, because PostgreSQL re-checks
     * `stock >= quantity` on the row's latest version after waiting for its lock. Null when refused.
     * The price comes back with it, so the order is priced from the same row it reserved.
     */
    reserveStock: async (productId: string, quantity: number) => {
      const [row] = await db.$queryRaw<Product[]>`
        UPDATE products SET stock = stock - ${quantity}::int, "updatedAt" = now()
        WHERE id = ${productId}::uuid AND ${onSaleSql("products")} AND stock >= ${quantity}::int
        RETURNING ${returnedColumns}`;
      return row ?? null;
    },

    /** Why a reservation was refused: missing, not on sale, or too few in stock. */
    availability: async (productId: string) => {
      const [row] = await db.$queryRaw<{ status: ProductStatus; deletedAt: Date | null; stock: number }[]>`
        SELECT status, "deletedAt", stock FROM products WHERE id = ${productId}::uuid`;
      return row ?? null;
    },

    /** Puts units back, whatever the product's status now: they are on the shelf again either way. */
    releaseStock: async (productId: string, quantity: number) => {
      const [row] = await db.$queryRaw<Product[]>`
        UPDATE products SET stock = stock + ${quantity}::int, "updatedAt" = now()
        WHERE id = ${productId}::uuid RETURNING ${returnedColumns}`;
      return row ?? null;
    },

    /**
     * Locks the product row until the transaction ends. Every review write on a product takes this lock
     * first, so they run one at a time per product and each recount sees the others' committed rows.
     * (Recounting without it, two reviews written at once would each count only itself.)
     */
    lock: async (productId: string) => {
      const [row] = await db.$queryRaw<{ id: string; status: ProductStatus; deletedAt: Date | null }[]>`
        SELECT id, status, "deletedAt" FROM products WHERE id = ${productId}::uuid FOR UPDATE`;
      return row ?? null;
    },

    /**
     * The product's denormalised `averageRating` and `reviewCount`, recomputed from its reviews (not nudged
     * by the one change) so they cannot drift. Call with the product locked (`lock`).
     */
    refreshRating: async (productId: string) => {
      const stats = await db.review.aggregate({ where: { productId }, _avg: { rating: true }, _count: { _all: true } });
      return db.product.update({
        where: { id: productId },
        data: { averageRating: stats._avg.rating ?? 0, reviewCount: stats._count._all },
      });
    },
  };
}
