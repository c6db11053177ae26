import { type Category, Prisma } from "../../generated/prisma/client.js";
import type { Db } from "../../platform/db/transaction.js";
import { type PlannedRows, readPlanned } from "../../platform/planner/index.js";

export const categorySlugConstraint = { index: "categories_slug_key", columns: ["slug"] } as const;

export type CategoryFields = Pick<Prisma.CategoryUncheckedCreateInput, "name" | "slug" | "description">;

export function categoryRepository(db: Db) {
  return {
    findByIds: (ids: readonly string[]) => db.category.findMany({ where: { id: { in: [...ids] } } }),
    findBySlugs: (slugs: readonly string[]) => db.category.findMany({ where: { slug: { in: [...slugs] } } }),
    findChildren: (parentIds: readonly string[]) =>
      db.category.findMany({
        where: { parentId: { in: [...parentIds] } },
        orderBy: [{ name: "asc" }, { id: "asc" }],
      }),
    findRoots: () => db.category.findMany({ where: { parentId: null }, orderBy: [{ name: "asc" }, { id: "asc" }] }),

    findById: (id: string) => db.category.findUnique({ where: { id } }),

    /** One category by id or slug with the planner's projection. */
    findPlanned: async <Context>(
      key: { name: "id" | "slug"; value: string },
      planned: PlannedRows<Category, Context>,
      context: Context,
    ) => {
      const match = key.name === "id" ? Prisma.sql`c.id = ${key.value}::uuid` : Prisma.sql`c.slug = ${key.value}`;
      const [found] = await readPlanned(db, planned, "categories c", Prisma.sql`WHERE ${match}`, context);
      return found ?? null;
    },

    /**
     * The path ends in the row's own id, which PostgreSQL only knows after the insert (Prisma makes the
     * UUIDv7), so it is filled in by a second statement; callers run both in one transaction.
     */
    create: async (fields: CategoryFields, parent: { id: string; path: string } | null) => {
      const row = await db.category.create({ data: { ...fields, parentId: parent?.id ?? null, path: "" } });
      const path = parent ? `${parent.path}/${row.id}` : row.id;
      return db.category.update({ where: { id: row.id }, data: { path } });
    },

    update: (id: string, data: Partial<CategoryFields> & { parentId?: string | null; path?: string }) =>
      db.category.update({ where: { id }, data }),

    /**
     * Re-roots a whole subtree in one statement: every path under `from` (the moved category's own
     * included) gets `to` as its new prefix. Ids hold no LIKE wildcards, so the pattern is exact.
     */
    movePaths: (from: string, to: string) =>
      db.$executeRaw`
        UPDATE categories SET path = ${to} || substr(path, ${from.length + 1})
        WHERE path = ${from} OR path LIKE ${from} || '/%'`,

    hasChildren: async (id: string) => (await db.category.count({ where: { parentId: id } })) > 0,

    /** Products filed directly under it, deleted ones included: they keep the foreign key alive for order history. */
    countProducts: (id: string) => db.product.count({ where: { categoryId: id } }),

    delete: (id: string) => db.category.delete({ where: { id } }),
  };
}
