/** What a client must send to put an object: PUT to `url` with exactly these headers. */
export type PutTarget = Readonly<{ url: string; headers: Readonly<Record<string, string>> }>;

/** The promises a signed PUT makes: the store refuses any body that breaks one of them. */
export type PutConditions = Readonly<{
  contentType: string;
  byteSize: number;
  /** SHA-256 of the body, base64 (the form S3's `x-amz-checksum-sha256` takes, so both drivers share it). */
  checksum: string;
  expiresAt: Date;
}>;

/**
 * Where uploaded and processed files live. Keys are `/`-separated paths of lower-case letters, digits,
 * `-`, `_` and `.`; the drivers refuse anything else (no `..`, no absolute paths).
 */
export interface ObjectStorage {
  readonly driver: "local" | "s3";
  /** A URL the client PUTs the bytes to directly, valid until `conditions.expiresAt`. */
  signPut(key: string, conditions: PutConditions): Promise<PutTarget>;
  /** Where browsers fetch a stored file (served by the gateway for the local driver). */
  publicUrl(key: string): string;
  /** The object's bytes, or null when there is none. */
  read(key: string): Promise<Buffer | null>;
  /** Writes a whole object; readers see the old one or the new one, never half. */
  write(key: string, body: Buffer, contentType: string): Promise<void>;
  /** Deletes every object whose key starts with `prefix` (missing ones are no error). */
  deletePrefix(prefix: string): Promise<void>;
}

const keyPattern = /^[a-z0-9_-]+(?:\/[a-z0-9_.-]+)*$/;

export function isValidKey(key: string): boolean {
  return keyPattern.test(key) && !key.split("/").some((part) => part === "." || part === "..");
}

export function assertKey(key: string): string {
  if (!isValidKey(key)) {
    throw new Error(`invalid storage key: ${JSON.stringify(key)}`);
  }
  return key;
}
