import type { PrismaClient } from "../../generated/prisma/client.js";

export function addressRepository(prisma: PrismaClient) {
  return {
    /** Every address of these users: default first, then oldest first (the order the book is shown in). */
    findByUserIds: (userIds: readonly string[]) =>
      prisma.address.findMany({
        where: { userId: { in: [...userIds] } },
        orderBy: [{ isDefault: "desc" }, { createdAt: "asc" }, { id: "asc" }],
      }),
  };
}

export type AddressRepository = ReturnType<typeof addressRepository>;
