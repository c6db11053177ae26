import type { Prisma } from "../../generated/prisma/client.js";
import { isRecordNotFound } from "../../platform/db/errors.js";
import type { Db } from "../../platform/db/transaction.js";

export type AddressFields = Pick<
  Prisma.AddressUncheckedCreateInput,
  "label" | "recipient" | "line1" | "line2" | "city" | "region" | "postalCode" | "country"
>;

/** Every write is scoped to its owner in the `where`: an id from someone else's book matches nothing. */
export function addressRepository(db: Db) {
  return {
    /** Whoever owns them: the service decides who may see each. */
    findByIds: (ids: readonly string[]) => db.address.findMany({ where: { id: { in: [...ids] } } }),

    /** Every address of these users: default first, then oldest first (the order the book is shown in). */
    findByUserIds: (userIds: readonly string[]) =>
      db.address.findMany({
        where: { userId: { in: [...userIds] } },
        orderBy: [{ isDefault: "desc" }, { createdAt: "asc" }, { id: "asc" }],
      }),

    countOwn: (userId: string) => db.address.count({ where: { userId } }),

    findOwn: (userId: string, id: string) => db.address.findFirst({ where: { id, userId } }),

    create: (userId: string, fields: AddressFields, isDefault: boolean) =>
      db.address.create({ data: { ...fields, userId, isDefault } }),

    /** Null when the caller has no such address. */
    update: async (userId: string, id: string, fields: Partial<AddressFields>) => {
      const [row] = await db.address.updateManyAndReturn({ where: { id, userId }, data: fields });
      return row ?? null;
    },

    /** Null when the caller has no such address. */
    delete: (userId: string, id: string) =>
      db.address.delete({ where: { id, userId } }).catch((error: unknown) => {
        if (isRecordNotFound(error)) return null;
        throw error;
      }),

    clearDefault: (userId: string) =>
      db.address.updateMany({ where: { userId, isDefault: true }, data: { isDefault: false } }),

    /** Null when the caller has no such address. */
    makeDefault: async (userId: string, id: string) => {
      const [row] = await db.address.updateManyAndReturn({ where: { id, userId }, data: { isDefault: true } });
      return row ?? null;
    },

    /** The oldest remaining address, made default; null when the book is empty. */
    promoteOldest: async (userId: string) => {
      const oldest = await db.address.findFirst({ where: { userId }, orderBy: [{ createdAt: "asc" }, { id: "asc" }] });
      return oldest ? db.address.update({ where: { id: oldest.id }, data: { isDefault: true } }) : null;
    },
  };
}

export type AddressRepository = ReturnType<typeof addressRepository>;
