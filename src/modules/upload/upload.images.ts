// What an uploaded file must be before it becomes an image, and how it is made safe to serve. Pure
// functions over bytes: the service decides what to do with the verdicts.
import { createHash } from "node:crypto";
import { fileTypeFromBuffer } from "file-type";
import sharp from "sharp";
import { UploadPurpose } from "../../generated/prisma/client.js";

/** Raster formats browsers show everywhere. Never SVG: it is a document that can run script. */
export const imageTypes = {
  "image/jpeg": "jpg",
  "image/png": "png",
  "image/webp": "webp",
  "image/avif": "avif",
} as const;
export type ImageType = keyof typeof imageTypes;

export const isImageType = (type: string): type is ImageType => Object.hasOwn(imageTypes, type);

/** Per purpose: largest upload and the widths of the copies the background job makes (avatars: squares). */
export const purposeLimits: Record<UploadPurpose, { maxBytes: number; variants: readonly number[] }> = {
  [UploadPurpose.PRODUCT_IMAGE]: { maxBytes: 5 * 1024 * 1024, variants: [200, 400, 800, 1600] },
  [UploadPurpose.AVATAR]: { maxBytes: 5 * 1024 * 1024, variants: [64, 128, 256] },
};

/** Decoding bombs: a small file that unpacks into gigapixels is refused before it is decoded. */
const maxInputPixels = 50_000_000;

export const sha256Base64 = (bytes: Buffer) => createHash("sha256").update(bytes).digest("base64");

export type Inspection =
  | { ok: true; type: ImageType }
  | { ok: false; reason: "size" | "checksum" | "not-an-image" | "type-mismatch"; message: string };

/** Checks stored bytes against what createUpload declared; the type is read from the bytes themselves. */
export async function inspectUpload(
  bytes: Buffer,
  declared: { contentType: string; byteSize: number; checksum: string },
): Promise<Inspection> {
  if (bytes.length !== declared.byteSize) {
    return {
      ok: false,
      reason: "size",
      message: `The file is ${bytes.length} bytes, not the ${declared.byteSize} declared.`,
    };
  }
  if (sha256Base64(bytes) !== declared.checksum) {
    return { ok: false, reason: "checksum", message: "The file's SHA-256 does not match the checksum declared." };
  }
  const sniffed = await fileTypeFromBuffer(bytes);
  if (!sniffed || !isImageType(sniffed.mime)) {
    return {
      ok: false,
      reason: "not-an-image",
      message: `The file is ${sniffed ? sniffed.mime : "not a recognised image"}: only JPEG, PNG, WebP and AVIF are accepted.`,
    };
  }
  if (sniffed.mime !== declared.contentType) {
    return {
      ok: false,
      reason: "type-mismatch",
      message: `The file is ${sniffed.mime}, but ${declared.contentType} was declared.`,
    };
  }
  return { ok: true, type: sniffed.mime };
}

export type CleanImage = { bytes: Buffer; width: number; height: number };

/**
 * Re-encodes the image in its own format, turned upright by its EXIF orientation. sharp writes no
 * metadata unless asked, so EXIF (GPS among it), XMP, IPTC and comments are gone. Throws when the bytes
 * do not decode (a truncated or crafted file that only looked like an image).
 */
export async function cleanImage(bytes: Buffer, type: ImageType): Promise<CleanImage> {
  const { data, info } = await sharp(bytes, { limitInputPixels: maxInputPixels })
    .rotate()
    .toFormat(imageTypes[type] === "jpg" ? "jpeg" : imageTypes[type])
    .toBuffer({ resolveWithObject: true });
  return { bytes: data, width: info.width, height: info.height };
}

/** A resized copy `width` wide (a `width`-sided square for avatars), in the original's format. */
export async function resizedImage(bytes: Buffer, type: ImageType, width: number, square: boolean): Promise<Buffer> {
  return sharp(bytes, { limitInputPixels: maxInputPixels })
    .resize(square ? { width, height: width, fit: "cover" } : { width, withoutEnlargement: true })
    .toFormat(imageTypes[type] === "jpg" ? "jpeg" : imageTypes[type])
    .toBuffer();
}

/** The variant to serve for a requested width: the smallest made that is at least as wide, else the original. */
export function pickVariant(made: readonly number[], wanted: number | null | undefined): number | null {
  if (wanted == null) return null;
  const wideEnough = made.filter((width) => width >= wanted).sort((a, b) => a - b);
  return wideEnough[0] ?? null;
}

/** Storage keys of an image's files: `<prefix>/<id>/original.<ext>` and `<prefix>/<id>/<width>.<ext>`. */
export function imageKey(prefix: "images" | "avatars", id: string, type: string, variant: number | null): string {
  const ext = isImageType(type) ? imageTypes[type] : "bin";
  return `${prefix}/${id}/${variant === null ? "original" : variant}.${ext}`;
}
