import type { JobContext } from "../../context.js";
import { UploadPurpose } from "../../generated/prisma/client.js";
import { defineJob } from "../../platform/jobs/index.js";
import { imageKey, isImageType, purposeLimits, resizedImage } from "./upload.images.js";
import { uploadRepository } from "./upload.repository.js";

/** Orphans deleted per batch: one statement's worth, repeated until none is left. */
const ORPHAN_BATCH = 500;

/**
 * Resized copies of an attached image, made off the request: resizing a 5 MB picture into four sizes takes
 * longer than a mutation should. Until it has run, `url(width:)` serves the (already cleaned) original.
 */
export const makeVariants = defineJob<{ kind: "product" | "avatar"; id: string }, JobContext>({
  name: "upload.make-variants",
  policy: { attempts: 3 },
  async run({ kind, id }, { prisma, storage, log }) {
    const uploads = uploadRepository(prisma);
    const row =
      kind === "product"
        ? await prisma.productImage.findUnique({ where: { id } })
        : await prisma.avatar.findUnique({ where: { id } });
    // Removed (or replaced) before its turn came: nothing to make.
    if (!row || !isImageType(row.contentType)) return;
    const prefix = kind === "product" ? "images" : "avatars";
    const original = await storage.read(imageKey(prefix, id, row.contentType, null));
    if (!original) return;
    const square = kind === "avatar";
    const widths = purposeLimits[square ? UploadPurpose.AVATAR : UploadPurpose.PRODUCT_IMAGE].variants.filter(
      // A copy as wide as the original or wider would only be the original again.
      (width) => square || width < row.width,
    );
    for (const width of widths) {
      const bytes = await resizedImage(original, row.contentType, width, square);
      await storage.write(imageKey(prefix, id, row.contentType, width), bytes, row.contentType);
    }
    await (kind === "product" ? uploads.setProductImageVariants(id, widths) : uploads.setAvatarVariants(id, widths));
    log.info({ kind, id, widths }, "image variants made");
  },
});

/** Uploads never attached (abandoned, or refused when attached): their rows and bytes go. */
export const deleteOrphanedUploads = defineJob<object, JobContext>({
  name: "upload.delete-orphans",
  policy: { attempts: 3 },
  schedule: "47 * * * *",
  async run(_data, { prisma, storage, config, log }) {
    const uploads = uploadRepository(prisma);
    const before = new Date(Date.now() - config.uploads.orphanAfterHours * 3_600_000);
    let deleted = 0;
    for (;;) {
      const orphans = await uploads.findOrphans(before, ORPHAN_BATCH);
      if (orphans.length === 0) break;
      // Bytes first: a row without bytes is harmless, bytes without a row would never be found again.
      for (const { id } of orphans) await storage.deletePrefix(`uploads/${id}`);
      deleted += (await uploads.deleteUploads(orphans.map((orphan) => orphan.id))).count;
    }
    log.info({ deleted }, "orphaned uploads deleted");
  },
});

export const uploadJobs = [makeVariants, deleteOrphanedUploads];
