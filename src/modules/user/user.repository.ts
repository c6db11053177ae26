import type { Prisma, PrismaClient, User } from "../../generated/prisma/client.js";
import { keysetOrderBy, keysetWhere, type PageRequest } from "../../platform/pagination/index.js";

export function userRepository(prisma: PrismaClient) {
  return {
    findByIds: (ids: readonly string[]) => prisma.user.findMany({ where: { id: { in: [...ids] } } }),
    findByUsernames: (usernames: readonly string[]) =>
      prisma.user.findMany({ where: { username: { in: [...usernames] } } }),
    list: (where: Prisma.UserWhereInput, page: PageRequest<User>) =>
      prisma.user.findMany({
        where: { AND: [where, keysetWhere(page)] },
        orderBy: keysetOrderBy(page),
        take: page.take,
      }),
    count: (where: Prisma.UserWhereInput) => prisma.user.count({ where }),
  };
}
