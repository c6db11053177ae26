import { randomUUID } from "node:crypto";
import { mkdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { putSignature } from "./signing.js";
import { assertKey, type ObjectStorage, type PutConditions, type PutTarget } from "./storage.js";

export type LocalStorageSettings = Readonly<{
  /** Directory the files live in (created on first write). */
  dir: string;
  /** Secret the PUT URLs are signed with. */
  signingSecret: string;
  /** Origin the gateway is reached at (e.g. https://api.example.com); empty: URLs are paths on the API's origin. */
  publicBaseUrl: string;
}>;

/** Path prefixes of the gateway's own storage routes (platform/storage/routes.ts). */
export const uploadPath = "/storage/";
export const filesPath = "/files/";

/**
 * The embedded default: files on the gateway's disk, PUT to and served by the gateway itself. Fine for one
 * instance (or several sharing a volume); use the S3 driver when instances do not share a disk.
 */
export class LocalStorage implements ObjectStorage {
  readonly driver = "local" as const;
  constructor(readonly settings: LocalStorageSettings) {}

  async signPut(key: string, conditions: PutConditions): Promise<PutTarget> {
    const query = new URLSearchParams({
      type: conditions.contentType,
      size: String(conditions.byteSize),
      sha256: conditions.checksum,
      expires: String(Math.floor(conditions.expiresAt.getTime() / 1000)),
      signature: putSignature(this.settings.signingSecret, assertKey(key), conditions),
    });
    return {
      url: `${this.settings.publicBaseUrl}${uploadPath}${key}?${query}`,
      headers: { "Content-Type": conditions.contentType },
    };
  }

  publicUrl(key: string): string {
    return `${this.settings.publicBaseUrl}${filesPath}${assertKey(key)}`;
  }

  async read(key: string): Promise<Buffer | null> {
    try {
      return await readFile(this.pathOf(key));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return null;
      throw error;
    }
  }

  async write(key: string, body: Buffer): Promise<void> {
    const file = this.pathOf(key);
    await mkdir(path.dirname(file), { recursive: true });
    // Written aside, then renamed: a reader (or a second PUT of the same URL) never sees half a file.
    const temporary = `${file}.${randomUUID()}.part`;
    try {
      await writeFile(temporary, body);
      await rename(temporary, file);
    } finally {
      await rm(temporary, { force: true });
    }
  }

  async deletePrefix(prefix: string): Promise<void> {
    const target = this.pathOf(prefix.replace(/\/+$/, ""));
    await rm(target, { recursive: true, force: true });
  }

  private pathOf(key: string): string {
    return path.join(path.resolve(this.settings.dir), ...assertKey(key).split("/"));
  }
}
