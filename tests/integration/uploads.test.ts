// Images and uploads with the local-disk driver, end to end: createUpload, the signed PUT the gateway
// itself answers, attachProductImage / setAvatar checking the bytes, metadata stripped, variants made by
// the background job, files served with their sniffed type, orphans cleaned. Every refusal the issue
// lists arrives as a userError (or, for the PUT itself, as an HTTP refusal with a catalog code).
import { createHash } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { pino } from "pino";
import S3rver from "s3rver";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config/index.js";
import type { Role } from "../../src/generated/prisma/client.js";
import { deleteOrphanedUploads } from "../../src/modules/upload/upload.jobs.js";
import { createStorage, type ObjectStorage } from "../../src/platform/storage/index.js";
import { backends } from "../helpers/database.js";
import { startTestGateway, type TestGateway } from "../helpers/gateway.js";
import { mutate, problems } from "../helpers/mutations.js";
import { eventually } from "../helpers/smtp.js";

const secret = "test-signing-secret-0123456789abcdef0123456789";
const sha256 = (bytes: Buffer) => createHash("sha256").update(bytes).digest("base64");

const createUpload = `mutation($input: CreateUploadInput!) {
  createUpload(input: $input) {
    upload { uploadId url method headers { name value } expiresAt }
    userErrors { field code message }
  }
}`;
const attach = `mutation($input: AttachProductImageInput!) {
  attachProductImage(input: $input) {
    image { id url alt width height position }
    product { id images { id url(width: 300) alt } }
    userErrors { field code message }
  }
}`;
const setAvatar = `mutation($uploadId: ID!) {
  setAvatar(uploadId: $uploadId) { user { id avatarUrl(size: 64) } userErrors { field code message } }
}`;
const removeImage = `mutation($id: ID!) { removeProductImage(id: $id) { removedImageId userErrors { field code message } } }`;

type Target = { uploadId: string; url: string; method: string; headers: { name: string; value: string }[] };
type Viewer = { id: string; role: Role };

/** A JPEG carrying EXIF with a GPS position, as phones write them. */
async function jpegWithGps(width = 1000, height = 600) {
  return sharp({ create: { width, height, channels: 3, background: { r: 200, g: 30, b: 30 } } })
    .jpeg()
    .withExif({
      IFD0: { Make: "TestPhone", Model: "GPS 1" },
      IFD3: { GPSLatitudeRef: "N", GPSLatitude: "48/1 51/1 24/1", GPSLongitudeRef: "E", GPSLongitude: "2/1 21/1 3/1" },
    })
    .toBuffer();
}
const png = (size = 300) =>
  sharp({ create: { width: size, height: size, channels: 4, background: { r: 0, g: 90, b: 200, alpha: 1 } } })
    .png()
    .toBuffer();

type Driver = "local" | "s3";
const suites = backends.flatMap((backend) =>
  (["local", "s3"] as const).map((driver) => ({ backend, driver: driver as Driver })),
);

for (const { backend, driver } of suites) {
  describe.skipIf(backend.skip)(`images and uploads (${backend.name}, ${driver} driver)`, () => {
    let gw: TestGateway;
    let dir: string;
    let s3: S3rver | null = null;
    let env: Record<string, string>;
    /** The same store the gateway uses, to look at what it holds. */
    let storage: ObjectStorage;
    const stored = async (key: string) => (await storage.read(key)) !== null;
    let productId: string;
    let admin: Viewer;
    let alice: Viewer;
    let bob: Viewer;

    beforeAll(async () => {
      dir = await mkdtemp(path.join(tmpdir(), "gw-storage-"));
      env = { STORAGE_DIR: dir, STORAGE_SIGNING_SECRET: secret };
      if (driver === "s3") {
        // An S3-compatible server of the test's own, on a free port, keeping its bucket in `dir`.
        s3 = new S3rver({
          port: 0,
          address: "127.0.0.1",
          silent: true,
          directory: dir,
          configureBuckets: [{ name: "images", configs: [] }],
        });
        const { port } = await s3.run();
        env = {
          STORAGE_DRIVER: "s3",
          S3_ENDPOINT: `http://127.0.0.1:${port}`,
          S3_BUCKET: "images",
          S3_ACCESS_KEY_ID: "S3RVER",
          S3_SECRET_ACCESS_KEY: "S3RVER",
          S3_FORCE_PATH_STYLE: "true",
        };
      }
      gw = await startTestGateway(backend.kind, {
        env: { ...env, UPLOAD_MAX_PENDING_PER_USER: "8", JOBS_POLL_INTERVAL_SECONDS: "0.5" },
      });
      storage = createStorage(loadConfig({ NODE_ENV: "test", ...env }).storage);
      ({ admin, alice, bob } = gw.users);
      const product = await gw.db.prisma.product.findFirstOrThrow({ where: { deletedAt: null }, select: { id: true } });
      productId = product.id;
    }, 90_000);
    afterAll(async () => {
      await gw?.close();
      await s3?.close();
      if (dir) await rm(dir, { recursive: true, force: true });
    });

    const start = async (as: Viewer, input: Record<string, unknown>) =>
      mutate<{ upload: Target | null }>(gw, createUpload, { as, variables: { input } });

    /** createUpload for these bytes, declared as `contentType`; returns the target. */
    const target = async (as: Viewer, bytes: Buffer, contentType: string, purpose = "PRODUCT_IMAGE") => {
      const payload = await start(as, { purpose, contentType, byteSize: bytes.length, checksum: sha256(bytes) });
      expect(payload.userErrors).toEqual([]);
      return payload.upload as Target;
    };
    const put = async (to: Pick<Target, "url" | "headers">, body: Buffer, headers: Record<string, string> = {}) => {
      const all = { ...Object.fromEntries(to.headers.map((h) => [h.name.toLowerCase(), h.value])), ...headers };
      if (to.url.startsWith("http")) {
        const response = await fetch(to.url, { method: "PUT", headers: all, body });
        const text = await response.text();
        return { statusCode: response.status, body: text, json: () => JSON.parse(text) };
      }
      return gw.gateway.app.inject({ method: "PUT", url: to.url, headers: all, payload: body });
    };
    /** createUpload then PUT: the uploadId of stored bytes. */
    const uploaded = async (as: Viewer, bytes: Buffer, contentType: string, purpose = "PRODUCT_IMAGE") => {
      const to = await target(as, bytes, contentType, purpose);
      const response = await put(to, bytes);
      expect(response.statusCode, response.body).toBe(driver === "local" ? 204 : 200);
      return to.uploadId;
    };
    const attachAs = (as: Viewer, uploadId: string, extra: Record<string, unknown> = {}) =>
      mutate<{
        image: { id: string; url: string; alt: string; width: number; height: number } | null;
        product: { images: { id: string; url: string }[] } | null;
      }>(gw, attach, { as, variables: { input: { productId, uploadId, ...extra } } });
    const fetchFile = (url: string) => gw.gateway.app.inject({ method: "GET", url });

    it("takes a JPEG from createUpload to a served, metadata-free product image with resized copies", async () => {
      const original = await jpegWithGps();
      expect((await sharp(original).metadata()).exif?.includes(Buffer.from("GPS"))).toBe(true);
      const to = await target(admin, original, "image/jpeg");
      expect(to.method).toBe("PUT");
      if (driver === "local") {
        expect(to.headers).toEqual([{ name: "Content-Type", value: "image/jpeg" }]);
        expect(to.url).toMatch(new RegExp(`^/storage/uploads/${to.uploadId}\\?`));
      } else {
        expect(to.headers).toEqual([
          { name: "Content-Type", value: "image/jpeg" },
          { name: "x-amz-checksum-sha256", value: sha256(original) },
        ]);
        expect(to.url).toMatch(new RegExp(`^http://127\\.0\\.0\\.1:\\d+/images/uploads/${to.uploadId}\\?X-Amz-`));
      }
      expect((await put(to, original)).statusCode).toBe(driver === "local" ? 204 : 200);

      const payload = await attachAs(admin, to.uploadId, { alt: "Red square", position: 0 });
      expect(payload.userErrors).toEqual([]);
      const image = payload.image as NonNullable<typeof payload.image>;
      expect(image).toMatchObject({ alt: "Red square", width: 1000, height: 600 });
      expect(image.url).toBe(`/files/images/${image.id}/original.jpg`);
      expect(payload.product?.images.map((i) => i.id)).toContain(image.id);
      // The raw upload is gone: one upload becomes one image, once.
      expect(await gw.db.prisma.upload.count({ where: { id: to.uploadId } })).toBe(0);
      expect(await stored(`uploads/${to.uploadId}`)).toBe(false);

      const served = await fetchFile(image.url);
      expect(served.statusCode).toBe(200);
      expect(served.headers["content-type"]).toBe("image/jpeg");
      expect(served.headers["x-content-type-options"]).toBe("nosniff");
      expect(served.headers["cache-control"]).toBe("public, max-age=31536000, immutable");
      expect(served.headers["cross-origin-resource-policy"]).toBe("cross-origin");
      const meta = await sharp(served.rawPayload).metadata();
      expect(meta.exif).toBeUndefined();
      expect(served.rawPayload.includes(Buffer.from("GPS"))).toBe(false);
      expect(served.rawPayload.includes(Buffer.from("TestPhone"))).toBe(false);

      // The background job makes the copies; url(width:) then names the smallest wide enough.
      const withCopies = await eventually(
        async () => {
          const response = await gw.graphql<{ product: { images: { id: string; url: string; w200: string }[] } }>(
            `query($id: ID!) { product(id: $id) { images { id url(width: 300) w200: url(width: 150) } } }`,
            { as: admin, variables: { id: productId } },
          );
          const found = response.data?.product.images.find((i) => i.id === image.id);
          return found?.url.endsWith("/400.jpg") ? found : null;
        },
        30_000,
        "the image's variants",
      );
      expect(withCopies.w200).toBe(`/files/images/${image.id}/200.jpg`);
      const copy = await fetchFile(withCopies.url);
      expect(copy.statusCode).toBe(200);
      expect(await sharp(copy.rawPayload).metadata()).toMatchObject({ width: 400, format: "jpeg" });
      const row = await gw.db.prisma.productImage.findUniqueOrThrow({ where: { id: image.id } });
      expect(row.variants).toEqual([200, 400, 800]);

      // Reordered: the first picture moved behind a second one (ties keep the order they were attached in).
      const second = await attachAs(admin, await uploaded(admin, await png(120), "image/png"), { position: 5 });
      const secondId = second.image?.id;
      expect(second.product?.images.map((i) => i.id)).toEqual([image.id, secondId]);
      const update = `mutation($id: ID!, $input: UpdateProductImageInput!) {
        updateProductImage(id: $id, input: $input) { product { images { id alt } } userErrors { field code message } }
      }`;
      const moved = await mutate<{ product: { images: { id: string; alt: string }[] } }>(gw, update, {
        as: admin,
        variables: { id: image.id, input: { position: 9 } },
      });
      expect(moved.product.images).toEqual([
        { id: secondId, alt: "" },
        { id: image.id, alt: "Red square" },
      ]);
      const described = await mutate<{ product: { images: { id: string; alt: string }[] } }>(gw, update, {
        as: admin,
        variables: { id: secondId, input: { alt: "Blue" } },
      });
      expect(described.product.images[0]).toEqual({ id: secondId, alt: "Blue" });
      await mutate(gw, removeImage, { as: admin, variables: { id: secondId } });

      // Removed: the row and every file of it.
      const removed = await mutate<{ removedImageId: string }>(gw, removeImage, {
        as: admin,
        variables: { id: image.id },
      });
      expect(removed).toEqual({ removedImageId: image.id, userErrors: [] });
      expect((await fetchFile(image.url)).statusCode).toBe(404);
      expect((await fetchFile(withCopies.url)).statusCode).toBe(404);
    }, 60_000);

    it("sets a user's avatar from a file far larger than a GraphQL body, with square copies", async () => {
      // Noise does not compress: a few megabytes, well past the 100 KB request body limit of /graphql.
      const large = await sharp({
        create: {
          width: 1000,
          height: 1000,
          channels: 3,
          background: "#888",
          noise: { type: "gaussian", mean: 128, sigma: 40 },
        },
      })
        .png()
        .toBuffer();
      expect(large.length).toBeGreaterThan(1024 * 1024);
      const uploadId = await uploaded(alice, large, "image/png", "AVATAR");
      const payload = await mutate<{ user: { id: string; avatarUrl: string } }>(gw, setAvatar, {
        as: alice,
        variables: { uploadId },
      });
      expect(payload.userErrors).toEqual([]);
      // The copies may already be there (a server's NOTIFY wakes the worker at once), or not yet.
      expect(payload.user.avatarUrl).toMatch(/^\/files\/avatars\/[0-9a-f-]+\/(original|64)\.png$/);
      const small = await eventually(
        async () => {
          const response = await gw.graphql<{ user: { avatarUrl: string } }>(
            `query($id: ID!) { user(id: $id) { avatarUrl(size: 64) } }`,
            { variables: { id: alice.id } },
          );
          const url = response.data?.user.avatarUrl;
          return url?.endsWith("/64.png") ? url : null;
        },
        30_000,
        "the avatar's variants",
      );
      const served = await fetchFile(small);
      expect(served.headers["content-type"]).toBe("image/png");
      expect(await sharp(served.rawPayload).metadata()).toMatchObject({ width: 64, height: 64 });
    }, 60_000);

    it("refuses at createUpload: SVG, other types, oversized files, bad checksums, and too many pending", async () => {
      const base = { purpose: "PRODUCT_IMAGE", byteSize: 1000, checksum: sha256(Buffer.from("x")) };
      expect(problems(await start(admin, { ...base, contentType: "image/svg+xml" }))).toEqual([
        "input.contentType: INVALID_FORMAT",
      ]);
      expect(problems(await start(admin, { ...base, contentType: "application/x-msdownload" }))).toEqual([
        "input.contentType: INVALID_FORMAT",
      ]);
      expect(
        problems(await start(admin, { ...base, contentType: "image/png", byteSize: 5 * 1024 * 1024 + 1 })),
      ).toEqual(["input.byteSize: OUT_OF_RANGE"]);
      expect(problems(await start(admin, { ...base, contentType: "image/png", checksum: "abc" }))).toEqual([
        "input.checksum: INVALID_FORMAT",
      ]);
      // Bob's quota: 8 waiting uploads, then no more.
      for (let i = 0; i < 8; i++)
        expect((await start(bob, { ...base, contentType: "image/png" })).userErrors).toEqual([]);
      expect(problems(await start(bob, { ...base, contentType: "image/png" }))).toEqual(["input: TOO_MANY"]);
      await gw.db.prisma.upload.deleteMany({ where: { ownerId: bob.id } });
    });

    // Driver-specific cases exist only for their driver (not reported as skipped for the other).
    if (driver === "local")
      it("refuses at the PUT: more bytes than signed, other bytes, an altered or expired URL", async () => {
        const bytes = await png(64);
        const to = await target(admin, bytes, "image/png");
        const larger = await put(to, Buffer.concat([bytes, Buffer.alloc(10)]));
        expect(larger.statusCode).toBe(413);
        expect(larger.json().errors[0].extensions.code).toBe("PAYLOAD_TOO_LARGE");
        const other = Buffer.from(bytes);
        other.writeUInt8(other.readUInt8(other.length - 20) ^ 0xff, other.length - 20);
        const tampered = await put(to, other);
        expect(tampered.statusCode).toBe(400);
        expect(tampered.json().errors[0].extensions.code).toBe("BAD_REQUEST");
        const resized = await put({ ...to, url: to.url.replace(/size=\d+/, `size=${bytes.length + 10}`) }, bytes);
        expect(resized.statusCode).toBe(403);
        expect(resized.json().errors[0].extensions.code).toBe("FORBIDDEN");
        expect((await put(to, bytes, { "content-type": "image/jpeg" })).statusCode).toBe(400);

        // A URL signed (with the gateway's secret) for an instant already past.
        const expired = await storage.signPut(`uploads/${to.uploadId}`, {
          contentType: "image/png",
          byteSize: bytes.length,
          checksum: sha256(bytes),
          expiresAt: new Date(Date.now() - 1000),
        });
        const late = await put({ url: expired.url, headers: [{ name: "Content-Type", value: "image/png" }] }, bytes);
        expect(late.statusCode).toBe(403);
        expect(late.json().errors[0].message).toMatch(/expired/);
        // Nothing was stored, so there is nothing to attach.
        const attached = await attachAs(admin, to.uploadId);
        expect(problems(attached)).toEqual(["input.uploadId: NOT_FOUND"]);
        expect(attached.userErrors[0]?.message).toMatch(/No file was uploaded/);
      });

    if (driver === "s3")
      it("re-checks at attach what the store let through, and the store refuses expired URLs", async () => {
        // s3rver (like some S3-compatible stores) does not enforce the signed checksum: attach does.
        const bytes = await png(64);
        const to = await target(admin, bytes, "image/png");
        const other = Buffer.from(bytes);
        other.writeUInt8(other.readUInt8(other.length - 20) ^ 0xff, other.length - 20);
        expect((await put(to, other)).statusCode).toBe(200);
        const attached = await attachAs(admin, to.uploadId);
        expect(problems(attached)).toEqual(["input.uploadId: INVALID_FORMAT"]);
        expect(attached.userErrors[0]?.message).toMatch(/SHA-256/);

        const late = await storage.signPut("uploads/late", {
          contentType: "image/png",
          byteSize: bytes.length,
          checksum: sha256(bytes),
          expiresAt: new Date(Date.now() + 1000),
        });
        // SigV4 URLs live at least a second; wait until this one is past.
        await new Promise((resolve) => setTimeout(resolve, 2100));
        const refused = await put({ url: late.url, headers: [] }, bytes, late.headers as Record<string, string>);
        expect(refused.statusCode).toBe(403);
        expect(await stored("uploads/late")).toBe(false);
      });

    it("refuses at attach what the bytes show is not what was declared", async () => {
      // A PNG named .jpg / declared image/jpeg.
      const pngAsJpeg = await attachAs(admin, await uploaded(admin, await png(50), "image/jpeg"));
      expect(problems(pngAsJpeg)).toEqual(["input.uploadId: INVALID_FORMAT"]);
      expect(pngAsJpeg.userErrors[0]?.message).toMatch(/image\/png, but image\/jpeg was declared/);

      // A renamed Windows executable.
      const exe = Buffer.alloc(4096);
      exe.write("MZ", 0, "latin1");
      exe.writeUInt32LE(0x80, 0x3c);
      exe.write("PE\0\0", 0x80, "latin1");
      const executable = await attachAs(admin, await uploaded(admin, exe, "image/jpeg"));
      expect(problems(executable)).toEqual(["input.uploadId: INVALID_FORMAT"]);

      // An SVG declared as a PNG (it can carry script; never accepted).
      const svg = Buffer.from(
        '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><script>alert(1)</script></svg>',
      );
      expect(problems(await attachAs(admin, await uploaded(admin, svg, "image/png")))).toEqual([
        "input.uploadId: INVALID_FORMAT",
      ]);

      // Someone else's upload does not exist for this caller; nor does an avatar upload for a product.
      const alices = await uploaded(alice, await png(40), "image/png");
      expect(problems(await attachAs(admin, alices))).toEqual(["input.uploadId: NOT_FOUND"]);
      expect(problems(await mutate(gw, setAvatar, { as: bob, variables: { uploadId: alices } }))).toEqual([
        "uploadId: NOT_FOUND",
      ]);
      expect(problems(await mutate(gw, setAvatar, { as: alice, variables: { uploadId: alices } }))).toEqual([
        "uploadId: INVALID_FORMAT",
      ]);
      // Only admins attach product images.
      const denied = await gw.graphql(attach, { as: alice, variables: { input: { productId, uploadId: alices } } });
      expect(denied.errors?.[0]?.extensions.code).toBe("FORBIDDEN");
      // Nothing refused became an image.
      expect(await gw.db.prisma.productImage.count({ where: { productId } })).toBe(0);
    });

    it("serves only processed images, never raw uploads", async () => {
      const uploadId = await uploaded(admin, await png(20), "image/png");
      expect((await fetchFile(`/files/uploads/${uploadId}`)).statusCode).toBe(404);
      expect((await fetchFile("/files/images/../uploads/x")).statusCode).toBe(404);
    });

    it("deletes orphaned uploads, rows and bytes, with the scheduled job", async () => {
      const uploadId = await uploaded(bob, await png(30), "image/png");
      const fresh = await uploaded(bob, await png(31), "image/png");
      expect(await stored(`uploads/${uploadId}`)).toBe(true);
      // Its URL expired two days ago; the default orphan age is 24 hours.
      await gw.db.prisma.upload.update({
        where: { id: uploadId },
        data: { expiresAt: new Date(Date.now() - 48 * 3_600_000) },
      });
      const config = loadConfig({ NODE_ENV: "test", ...env });
      await deleteOrphanedUploads.run(
        {},
        { prisma: gw.db.prisma, log: pino({ level: "silent" }), mail: { deliver: async () => {} }, config, storage },
        { id: "test", retryCount: 0 },
      );
      expect(await gw.db.prisma.upload.count({ where: { id: uploadId } })).toBe(0);
      expect(await stored(`uploads/${uploadId}`)).toBe(false);
      // A recent one stays.
      expect(await gw.db.prisma.upload.count({ where: { id: fresh } })).toBe(1);
      expect(await stored(`uploads/${fresh}`)).toBe(true);
    });
  });
}
