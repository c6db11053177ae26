import { Prisma, type Review } from "../../generated/prisma/client.js";
import type { Db } from "../../platform/db/transaction.js";
import { type PageRequest, pagesByParent } from "../../platform/pagination/index.js";
import { changedAfter, type EventPosition } from "../../platform/realtime/index.js";

const reviewColumns = Object.values(Prisma.ReviewScalarFieldEnum);

export type ReviewParent = "productId" | "authorId";

export const onePerAuthorConstraint = {
  index: "reviews_productId_authorId_key",
  columns: ["productId", "authorId"],
} as const;

/** Which reviews a caller may change: their own, or (for moderators) any. */
export type ReviewScope = { id: string; authorId?: string };

export function reviewRepository(db: Db) {
  return {
    findByIds: (ids: readonly string[]) => db.review.findMany({ where: { id: { in: [...ids] } } }),

    /** The product's reviews written after `from`, oldest first: what a resuming `reviewAdded` missed. */
    addedAfter: (productId: string, from: EventPosition, limit: number) =>
      db.review.findMany({
        where: { productId, ...changedAfter<Prisma.ReviewWhereInput>("createdAt", from) },
        orderBy: [{ createdAt: "asc" }, { id: "asc" }],
        take: limit,
      }),

    pagesBy: (parent: ReviewParent, parentIds: readonly string[], page: PageRequest<Review>) =>
      pagesByParent(db, parentIds, page, {
        table: "reviews",
        columns: reviewColumns,
        sortColumnType: "timestamp",
        belongsToParent: Prisma.sql`c.${Prisma.raw(`"${parent}"`)} = parent.id`,
      }),

    countsBy: async (parent: ReviewParent, parentIds: readonly string[]) => {
      const groups = await db.review.groupBy({
        by: [parent],
        where: { [parent]: { in: [...parentIds] } },
        _count: { _all: true },
      });
      const counts = new Map(groups.map((group) => [group[parent], group._count._all]));
      return parentIds.map((id) => counts.get(id) ?? 0);
    },

    find: (scope: ReviewScope) => db.review.findFirst({ where: scope }),

    create: (data: { productId: string; authorId: string; rating: number; body: string }) => db.review.create({ data }),

    /** Null when the review is gone or out of scope; the scope is the `where`, so others' rows are never touched. */
    update: async (scope: ReviewScope, data: { rating?: number; body?: string }) => {
      const [row] = await db.review.updateManyAndReturn({ where: scope, data });
      return row ?? null;
    },

    delete: async (scope: ReviewScope) => (await db.review.deleteMany({ where: scope })).count > 0,
  };
}
