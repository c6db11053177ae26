import type { Prisma, PrismaClient, User } from "../../generated/prisma/client.js";
import { keysetOrderBy, keysetWhere, type PageRequest } from "../../platform/pagination/index.js";

/** An account as the read API sees it: never the password hash (the account module reads that itself). */
export type UserProfile = Omit<User, "passwordHash">;

const secrets = { passwordHash: true } as const;

export function userRepository(prisma: PrismaClient) {
  return {
    findByIds: (ids: readonly string[]) => prisma.user.findMany({ where: { id: { in: [...ids] } }, omit: secrets }),
    findByUsernames: (usernames: readonly string[]) =>
      prisma.user.findMany({ where: { username: { in: [...usernames] } }, omit: secrets }),
    list: (where: Prisma.UserWhereInput, page: PageRequest<UserProfile>) =>
      prisma.user.findMany({
        where: { AND: [where, keysetWhere(page)] },
        orderBy: keysetOrderBy(page),
        take: page.take,
        omit: secrets,
      }),
    count: (where: Prisma.UserWhereInput) => prisma.user.count({ where }),
  };
}
