import {
  DeleteObjectCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
} from "@aws-sdk/client-s3";
import { getSignedUrl } from "@aws-sdk/s3-request-presigner";
import { filesPath } from "./local.js";
import { assertKey, type ObjectStorage, type PutConditions, type PutTarget } from "./storage.js";

export type S3StorageSettings = Readonly<{
  /** An S3-compatible endpoint (MinIO, R2, s3rver...); unset: AWS's own for `region`. */
  endpoint: string | undefined;
  region: string;
  bucket: string;
  accessKeyId: string;
  secretAccessKey: string;
  /** `https://endpoint/bucket/key` rather than `https://bucket.endpoint/key` (most non-AWS stores need it). */
  forcePathStyle: boolean;
  /**
   * Where browsers fetch files: a CDN or public bucket origin serving the keys as paths. Unset: the gateway
   * serves them at /files/ (reading from the bucket), with the same headers as the local driver.
   */
  publicUrl: string | undefined;
  /** The gateway's origin for /files/ URLs when `publicUrl` is unset; empty: paths on the API's origin. */
  gatewayBaseUrl: string;
}>;

/**
 * Any S3-compatible store: clients PUT straight to the bucket with a presigned URL (SigV4, query-string
 * signed), so the bytes never pass through the gateway. The signature covers the key, Content-Type and
 * Content-Length; the store may or may not enforce the SHA-256 header, so attaching re-checks size and
 * checksum from the stored bytes whatever the store did.
 */
export class S3Storage implements ObjectStorage {
  readonly driver = "s3" as const;
  private readonly client: S3Client;

  constructor(readonly settings: S3StorageSettings) {
    this.client = new S3Client({
      region: settings.region,
      endpoint: settings.endpoint,
      forcePathStyle: settings.forcePathStyle,
      credentials: { accessKeyId: settings.accessKeyId, secretAccessKey: settings.secretAccessKey },
      // Checksums only when an operation requires one: the presigned PUT carries the client's own.
      requestChecksumCalculation: "WHEN_REQUIRED",
      responseChecksumValidation: "WHEN_REQUIRED",
    });
  }

  async signPut(key: string, conditions: PutConditions): Promise<PutTarget> {
    const command = new PutObjectCommand({
      Bucket: this.settings.bucket,
      Key: assertKey(key),
      ContentType: conditions.contentType,
      ContentLength: conditions.byteSize,
      ChecksumSHA256: conditions.checksum,
    });
    const expiresIn = Math.max(1, Math.floor((conditions.expiresAt.getTime() - Date.now()) / 1000));
    const url = await getSignedUrl(this.client, command, {
      expiresIn,
      // Kept as headers the client must send (and the signature covers), not moved into the query string.
      unhoistableHeaders: new Set(["x-amz-checksum-sha256"]),
      signableHeaders: new Set(["content-type", "content-length"]),
    });
    return {
      url,
      headers: { "Content-Type": conditions.contentType, "x-amz-checksum-sha256": conditions.checksum },
    };
  }

  publicUrl(key: string): string {
    return this.settings.publicUrl
      ? `${this.settings.publicUrl}/${assertKey(key)}`
      : `${this.settings.gatewayBaseUrl}${filesPath}${assertKey(key)}`;
  }

  async read(key: string): Promise<Buffer | null> {
    try {
      const object = await this.client.send(
        new GetObjectCommand({ Bucket: this.settings.bucket, Key: assertKey(key) }),
      );
      return object.Body ? Buffer.from(await object.Body.transformToByteArray()) : null;
    } catch (error) {
      const name = (error as { name?: string }).name;
      if (name === "NoSuchKey" || name === "NotFound") return null;
      throw error;
    }
  }

  async write(key: string, body: Buffer, contentType: string): Promise<void> {
    await this.client.send(
      new PutObjectCommand({
        Bucket: this.settings.bucket,
        Key: assertKey(key),
        Body: body,
        ContentType: contentType,
        CacheControl: "public, max-age=31536000, immutable",
      }),
    );
  }

  async deletePrefix(prefix: string): Promise<void> {
    for (;;) {
      assertKey(prefix.replace(/\/+$/, ""));
      const listed = await this.client.send(new ListObjectsV2Command({ Bucket: this.settings.bucket, Prefix: prefix }));
      const keys = (listed.Contents ?? []).flatMap((object) => (object.Key ? [object.Key] : []));
      if (keys.length === 0) return;
      // One by one: an image has at most five files, and DeleteObjects' required checksum header is not
      // accepted by every S3-compatible store.
      for (const key of keys)
        await this.client.send(new DeleteObjectCommand({ Bucket: this.settings.bucket, Key: key }));
      if (!listed.IsTruncated) return;
    }
  }
}
