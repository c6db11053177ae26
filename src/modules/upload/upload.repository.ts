import type { PrismaClient, UploadPurpose } from "../../generated/prisma/client.js";
import type { Db } from "../../platform/db/transaction.js";

export type NewUpload = {
  ownerId: string;
  purpose: UploadPurpose;
  contentType: string;
  byteSize: number;
  checksum: string;
  expiresAt: Date;
};

export type NewImage = { contentType: string; width: number; height: number };

/** The only place the upload module talks to Prisma. */
export function uploadRepository(db: Db | PrismaClient) {
  return {
    /** Uploads the user may still PUT to. */
    countPending: (ownerId: string, now: Date) => db.upload.count({ where: { ownerId, expiresAt: { gt: now } } }),

    create: (upload: NewUpload) => db.upload.create({ data: upload }),

    /** Row-level rule: only the owner's uploads exist for them. */
    findOwned: (id: string, ownerId: string) => db.upload.findFirst({ where: { id, ownerId } }),

    /** Deleted as it is attached: one upload becomes one image, once. False when it was already gone. */
    consume: async (id: string) => (await db.upload.deleteMany({ where: { id } })).count === 1,

    /** Uploads whose URL expired before `before` (never attached: attaching deletes them). */
    findOrphans: (before: Date, take: number) =>
      db.upload.findMany({
        where: { expiresAt: { lt: before } },
        select: { id: true },
        take,
        orderBy: { expiresAt: "asc" },
      }),

    deleteUploads: (ids: readonly string[]) => db.upload.deleteMany({ where: { id: { in: [...ids] } } }),

    productExists: async (productId: string) =>
      (await db.product.count({ where: { id: productId, deletedAt: null } })) === 1,

    countImages: (productId: string) => db.productImage.count({ where: { productId } }),

    createProductImage: (productId: string, image: NewImage & { id: string; position: number; alt: string }) =>
      db.productImage.create({ data: { ...image, productId } }),

    findProductImage: (id: string) => db.productImage.findUnique({ where: { id } }),

    updateProductImage: (id: string, fields: { position?: number; alt?: string }) =>
      db.productImage.update({ where: { id }, data: fields }),

    deleteProductImage: (id: string) => db.productImage.delete({ where: { id } }),

    imagesOfProducts: (productIds: readonly string[]) =>
      db.productImage.findMany({
        where: { productId: { in: [...productIds] } },
        orderBy: [{ position: "asc" }, { createdAt: "asc" }],
      }),

    setProductImageVariants: (id: string, variants: number[]) =>
      db.productImage.updateMany({ where: { id }, data: { variants } }),

    findAvatar: (userId: string) => db.avatar.findUnique({ where: { userId } }),

    /** Replaces the user's avatar; the old row (if any) is returned so its files can go. */
    replaceAvatar: async (userId: string, image: NewImage & { id: string }) => {
      const old = await db.avatar.findUnique({ where: { userId } });
      if (old) await db.avatar.delete({ where: { id: old.id } });
      const avatar = await db.avatar.create({ data: { ...image, userId } });
      return { avatar, old };
    },

    avatarsOfUsers: (userIds: readonly string[]) => db.avatar.findMany({ where: { userId: { in: [...userIds] } } }),

    setAvatarVariants: (id: string, variants: number[]) => db.avatar.updateMany({ where: { id }, data: { variants } }),
  };
}
