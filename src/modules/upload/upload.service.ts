import { v7 as uuidV7 } from "uuid";
import type { RequestContext } from "../../context.js";
import { type Upload, UploadPurpose } from "../../generated/prisma/client.js";
import { inTransaction, lockForTransaction } from "../../platform/db/transaction.js";
import { badUserInput, unauthenticated } from "../../platform/errors/index.js";
import {
  failWith,
  reject,
  settle,
  type UserError,
  UserErrorCode,
  userError,
  validateId,
  validateInput,
} from "../../platform/validation/index.js";
import { findUser } from "../user/index.js";
import {
  type CleanImage,
  cleanImage,
  type ImageType,
  imageKey,
  imageTypes,
  inspectUpload,
  isImageType,
  pickVariant,
  purposeLimits,
} from "./upload.images.js";
import type { AttachProductImageInput, CreateUploadInput, UpdateProductImageInput } from "./upload.input.js";
import { makeVariants } from "./upload.jobs.js";
import type {
  CreateUploadPayload,
  ProductImagePayload,
  RemoveProductImagePayload,
  SetAvatarPayload,
} from "./upload.payload.js";
import { uploadRepository } from "./upload.repository.js";

/** Images one product may have; the same bound as the deprecated `imageUrls`. */
export const PRODUCT_IMAGES_MAX = 10;
/** Widths (and avatar sizes) a client may ask for; what it gets is the nearest copy at least that big. */
const REQUESTED_WIDTH_MAX = 4096;

const rawKey = (uploadId: string) => `uploads/${uploadId}`;

function viewerId(ctx: RequestContext): string {
  // The shield lets only signed-in callers in; this keeps the type honest.
  if (!ctx.viewer) throw unauthenticated();
  return ctx.viewer.id;
}

export async function createUpload(ctx: RequestContext, input: CreateUploadInput): Promise<CreateUploadPayload> {
  const failed = failWith<CreateUploadPayload>({ upload: null });
  const invalid = await validateInput(input);
  if (invalid.length > 0) return failed(invalid);
  const limits = purposeLimits[input.purpose];
  const refused: UserError[] = [];
  if (!isImageType(input.contentType)) {
    refused.push(
      userError(
        ["input", "contentType"],
        UserErrorCode.INVALID_FORMAT,
        `${input.contentType.slice(0, 100)} is not accepted: send ${Object.keys(imageTypes).join(", ")} (never SVG).`,
      ),
    );
  }
  if (input.byteSize > limits.maxBytes) {
    refused.push(
      userError(["input", "byteSize"], UserErrorCode.OUT_OF_RANGE, `Files are at most ${limits.maxBytes} bytes.`),
    );
  }
  if (refused.length > 0) return failed(refused);

  const ownerId = viewerId(ctx);
  const { storage, urlTtlSeconds, maxPendingPerUser } = ctx.uploads;
  return settle(async () => {
    const upload = await inTransaction(ctx.prisma, async (tx) => {
      // One quota check at a time per user, or two concurrent calls could both see room for one more.
      await lockForTransaction(tx, `upload-quota:${ownerId}`);
      const uploads = uploadRepository(tx);
      const now = new Date();
      if ((await uploads.countPending(ownerId, now)) >= maxPendingPerUser) {
        reject(
          ["input"],
          UserErrorCode.TOO_MANY,
          `You have ${maxPendingPerUser} uploads waiting: finish or let them expire before starting more.`,
        );
      }
      return uploads.create({
        ownerId,
        purpose: input.purpose,
        contentType: input.contentType,
        byteSize: input.byteSize,
        checksum: input.checksum,
        expiresAt: new Date(now.getTime() + urlTtlSeconds * 1000),
      });
    });
    const target = await storage.signPut(rawKey(upload.id), upload);
    return {
      upload: {
        uploadId: upload.id,
        url: target.url,
        method: "PUT",
        headers: Object.entries(target.headers).map(([name, value]) => ({ name, value })),
        expiresAt: upload.expiresAt,
      },
      userErrors: [],
    };
  }, failed);
}

/**
 * The caller's upload for `purpose`, its stored bytes checked against what was declared (the type from the
 * bytes themselves) and re-encoded without metadata. Anything wrong is a Rejection naming `field`.
 */
async function verifiedUpload(
  ctx: RequestContext,
  uploadId: string,
  purpose: UploadPurpose,
  field: string[],
): Promise<{ upload: Upload; type: ImageType; image: CleanImage }> {
  // Someone else's upload does not exist for this caller: the same answer as an unknown id.
  const upload = await uploadRepository(ctx.prisma).findOwned(uploadId, viewerId(ctx));
  if (!upload) reject(field, UserErrorCode.NOT_FOUND, "There is no upload of yours with this id (or it was used).");
  if (upload.purpose !== purpose) {
    reject(field, UserErrorCode.INVALID_FORMAT, `This upload was made for ${upload.purpose}, not ${purpose}.`);
  }
  const bytes = await ctx.uploads.storage.read(rawKey(upload.id));
  if (!bytes) {
    reject(
      field,
      UserErrorCode.NOT_FOUND,
      "No file was uploaded for this id: PUT it to the URL from createUpload before the URL expires.",
    );
  }
  const verdict = await inspectUpload(bytes, upload);
  if (!verdict.ok) {
    reject(
      field,
      verdict.reason === "size" ? UserErrorCode.OUT_OF_RANGE : UserErrorCode.INVALID_FORMAT,
      verdict.message,
    );
  }
  let image: CleanImage;
  try {
    image = await cleanImage(bytes, verdict.type);
  } catch (error) {
    ctx.log.info({ err: error, uploadId: upload.id }, "upload did not decode as an image");
    reject(field, UserErrorCode.INVALID_FORMAT, "The file could not be read as an image (damaged or truncated?).");
  }
  return { upload, type: verdict.type, image };
}

export async function attachProductImage(
  ctx: RequestContext,
  input: AttachProductImageInput,
): Promise<ProductImagePayload> {
  const failed = failWith<ProductImagePayload>({ image: null, product: null });
  const invalid = await validateInput(input);
  if (invalid.length > 0) return failed(invalid);
  const { storage } = ctx.uploads;
  return settle(async () => {
    const uploads = uploadRepository(ctx.prisma);
    if (!(await uploads.productExists(input.productId))) {
      reject(["input", "productId"], UserErrorCode.NOT_FOUND, "There is no such product.");
    }
    const { upload, type, image } = await verifiedUpload(ctx, input.uploadId, UploadPurpose.PRODUCT_IMAGE, [
      "input",
      "uploadId",
    ]);
    const id = uuidV7();
    // Only the cleaned copy is ever stored where files are served from.
    await storage.write(imageKey("images", id, type, null), image.bytes, type);
    let row: Awaited<ReturnType<typeof uploads.createProductImage>>;
    try {
      row = await inTransaction(ctx.prisma, async (tx) => {
        const repository = uploadRepository(tx);
        // Concurrent attaches to one product count one at a time.
        await lockForTransaction(tx, `product-images:${input.productId}`);
        const count = await repository.countImages(input.productId);
        if (count >= PRODUCT_IMAGES_MAX) {
          reject(["input", "productId"], UserErrorCode.TOO_MANY, `A product has at most ${PRODUCT_IMAGES_MAX} images.`);
        }
        if (!(await repository.consume(upload.id))) {
          reject(["input", "uploadId"], UserErrorCode.NOT_FOUND, "This upload was just used.");
        }
        const created = await repository.createProductImage(input.productId, {
          id,
          position: input.position ?? count,
          alt: input.alt?.trim() ?? "",
          contentType: type,
          width: image.width,
          height: image.height,
        });
        await ctx.jobs.enqueue(tx, makeVariants, { kind: "product", id }, `variants:${id}`);
        return created;
      });
    } catch (error) {
      await storage.deletePrefix(`images/${id}/`);
      throw error;
    }
    await storage.deletePrefix(rawKey(upload.id));
    imagesChanged(ctx, input.productId);
    return { image: row, product: await ctx.loaders.product.byId.load(input.productId), userErrors: [] };
  }, failed);
}

/** Reorders (`position`) or re-describes (`alt`) an image; its files stay as they are. */
export async function updateProductImage(
  ctx: RequestContext,
  id: string,
  input: UpdateProductImageInput,
): Promise<ProductImagePayload> {
  const failed = failWith<ProductImagePayload>({ image: null, product: null });
  const invalid = [...validateId(id), ...(await validateInput(input))];
  if (invalid.length > 0) return failed(invalid);
  return settle(async () => {
    const uploads = uploadRepository(ctx.prisma);
    const existing = await uploads.findProductImage(id);
    if (!existing) reject(["id"], UserErrorCode.NOT_FOUND, "There is no such product image.");
    const image = await uploads.updateProductImage(id, { position: input.position, alt: input.alt?.trim() });
    imagesChanged(ctx, image.productId);
    return { image, product: await ctx.loaders.product.byId.load(image.productId), userErrors: [] };
  }, failed);
}

export async function removeProductImage(ctx: RequestContext, id: string): Promise<RemoveProductImagePayload> {
  const failed = failWith<RemoveProductImagePayload>({ removedImageId: null });
  const invalid = validateId(id);
  if (invalid.length > 0) return failed(invalid);
  return settle(async () => {
    const uploads = uploadRepository(ctx.prisma);
    const image = await uploads.findProductImage(id);
    if (!image) reject(["id"], UserErrorCode.NOT_FOUND, "There is no such product image.");
    await uploads.deleteProductImage(id);
    await ctx.uploads.storage.deletePrefix(`images/${id}/`);
    imagesChanged(ctx, image.productId);
    return { removedImageId: id, userErrors: [] };
  }, failed);
}

export async function setAvatar(ctx: RequestContext, uploadId: string): Promise<SetAvatarPayload> {
  const failed = failWith<SetAvatarPayload>({ user: null });
  const invalid = validateId(uploadId, ["uploadId"]);
  if (invalid.length > 0) return failed(invalid);
  const userId = viewerId(ctx);
  const { storage } = ctx.uploads;
  return settle(async () => {
    const { upload, type, image } = await verifiedUpload(ctx, uploadId, UploadPurpose.AVATAR, ["uploadId"]);
    const id = uuidV7();
    await storage.write(imageKey("avatars", id, type, null), image.bytes, type);
    let old: { id: string } | null;
    try {
      old = await inTransaction(ctx.prisma, async (tx) => {
        const repository = uploadRepository(tx);
        if (!(await repository.consume(upload.id))) {
          reject(["uploadId"], UserErrorCode.NOT_FOUND, "This upload was just used.");
        }
        const replaced = await repository.replaceAvatar(userId, {
          id,
          contentType: type,
          width: image.width,
          height: image.height,
        });
        await ctx.jobs.enqueue(tx, makeVariants, { kind: "avatar", id }, `variants:${id}`);
        return replaced.old;
      });
    } catch (error) {
      await storage.deletePrefix(`avatars/${id}/`);
      throw error;
    }
    await storage.deletePrefix(rawKey(upload.id));
    if (old) await storage.deletePrefix(`avatars/${old.id}/`);
    ctx.cache.changedRows("User", [userId]);
    ctx.loaders.upload.avatarByUser.clear(userId);
    return { user: await findUser(ctx, { id: userId }), userErrors: [] };
  }, failed);
}

function imagesChanged(ctx: RequestContext, productId: string) {
  ctx.cache.changedRows("Product", [productId]);
  ctx.loaders.upload.imagesByProduct.clear(productId);
}

function requestedWidth(width: number | null | undefined, argument: string): number | null {
  if (width == null) return null;
  if (!Number.isInteger(width) || width < 1 || width > REQUESTED_WIDTH_MAX) {
    throw badUserInput(`\`${argument}\` must be between 1 and ${REQUESTED_WIDTH_MAX}.`, argument);
  }
  return width;
}

export function productImageUrl(
  ctx: RequestContext,
  image: { id: string; contentType: string; variants: number[] },
  width: number | null | undefined,
): string {
  const variant = pickVariant(image.variants, requestedWidth(width, "width"));
  return ctx.uploads.storage.publicUrl(imageKey("images", image.id, image.contentType, variant));
}

export function productImages(ctx: RequestContext, productId: string) {
  return ctx.loaders.upload.imagesByProduct.load(productId);
}

export async function avatarUrl(ctx: RequestContext, userId: string, size: number | null | undefined) {
  const wanted = requestedWidth(size, "size");
  const avatar = await ctx.loaders.upload.avatarByUser.load(userId);
  if (!avatar) return null;
  return ctx.uploads.storage.publicUrl(
    imageKey("avatars", avatar.id, avatar.contentType, pickVariant(avatar.variants, wanted)),
  );
}
