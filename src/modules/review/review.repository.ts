import { Prisma, type PrismaClient, type Review } from "../../generated/prisma/client.js";
import { type PageRequest, pagesByParent } from "../../platform/pagination/index.js";

const reviewColumns = Object.values(Prisma.ReviewScalarFieldEnum);

export type ReviewParent = "productId" | "authorId";

export function reviewRepository(prisma: PrismaClient) {
  return {
    pagesBy: (parent: ReviewParent, parentIds: readonly string[], page: PageRequest<Review>) =>
      pagesByParent(prisma, parentIds, page, {
        table: "reviews",
        columns: reviewColumns,
        sortColumnType: "timestamp",
        belongsToParent: Prisma.sql`c.${Prisma.raw(`"${parent}"`)} = parent.id`,
      }),

    countsBy: async (parent: ReviewParent, parentIds: readonly string[]) => {
      const groups = await prisma.review.groupBy({
        by: [parent],
        where: { [parent]: { in: [...parentIds] } },
        _count: { _all: true },
      });
      const counts = new Map(groups.map((group) => [group[parent], group._count._all]));
      return parentIds.map((id) => counts.get(id) ?? 0);
    },
  };
}
