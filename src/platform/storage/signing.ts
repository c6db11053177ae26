import { createHmac, timingSafeEqual } from "node:crypto";
import type { PutConditions } from "./storage.js";

/**
 * HMAC-SHA256 over everything a signed PUT promises (key, type, size, checksum, expiry), so changing
 * any query parameter of the URL invalidates it. base64url, as it sits in a URL.
 */
export function putSignature(secret: string, key: string, conditions: PutConditions): string {
  const expires = Math.floor(conditions.expiresAt.getTime() / 1000);
  return createHmac("sha256", secret)
    .update(["PUT", key, conditions.contentType, conditions.byteSize, conditions.checksum, expires].join("\n"))
    .digest("base64url");
}

export function signatureMatches(expected: string, given: string): boolean {
  const a = Buffer.from(expected);
  const b = Buffer.from(given);
  return a.length === b.length && timingSafeEqual(a, b);
}
