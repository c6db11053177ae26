import { createHash, randomBytes } from "node:crypto";

/**
 * Refresh and password-reset tokens: 256 random bits, given to the client once and stored only as a
 * SHA-256 digest. A fast hash is enough here (unlike passwords) because the secret cannot be guessed;
 * it only keeps a database leak from handing out usable tokens.
 */
export function newOpaqueToken(): { token: string; hash: string } {
  const token = randomBytes(32).toString("base64url");
  return { token, hash: hashOpaqueToken(token) };
}

export function hashOpaqueToken(token: string): string {
  return createHash("sha256").update(token).digest("base64url");
}
