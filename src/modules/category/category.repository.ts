import type { PrismaClient } from "../../generated/prisma/client.js";

export function categoryRepository(prisma: PrismaClient) {
  return {
    findByIds: (ids: readonly string[]) => prisma.category.findMany({ where: { id: { in: [...ids] } } }),
    findBySlugs: (slugs: readonly string[]) => prisma.category.findMany({ where: { slug: { in: [...slugs] } } }),
    findChildren: (parentIds: readonly string[]) =>
      prisma.category.findMany({
        where: { parentId: { in: [...parentIds] } },
        orderBy: [{ name: "asc" }, { id: "asc" }],
      }),
    findRoots: () => prisma.category.findMany({ where: { parentId: null }, orderBy: [{ name: "asc" }, { id: "asc" }] }),
  };
}
