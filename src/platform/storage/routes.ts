// The local driver's HTTP side: the signed PUT that receives an upload, and the files it serves. Both
// answer errors in the gateway's one error shape (platform/errors) with codes from its catalog.
import { createHash } from "node:crypto";
import type { Readable } from "node:stream";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { fileTypeFromBuffer } from "file-type";
import { sendGraphQLError } from "../errors/http-responses.js";
import { filesPath, LocalStorage, uploadPath } from "./local.js";
import { putSignature, signatureMatches } from "./signing.js";
import { isValidKey, type ObjectStorage } from "./storage.js";

/** The only types ever served: an upload whose bytes are anything else was refused when attached. */
export const servedImageTypes: ReadonlySet<string> = new Set(["image/jpeg", "image/png", "image/webp", "image/avif"]);

/** Where files may be read from: processed images only, never a raw upload. */
const servedPrefixes = ["images/", "avatars/"];

type PutQuery = { type?: string; size?: string; sha256?: string; expires?: string; signature?: string };

/**
 * The file route for any driver (an S3 store without a CDN is read through it), and the signed PUT for the
 * local driver (S3 clients PUT to the bucket itself).
 */
export function registerStorageRoutes(app: FastifyInstance, storage: ObjectStorage): void {
  app.register(async (scope) => {
    if (storage instanceof LocalStorage) registerSignedPut(scope, storage);

    scope.get<{ Params: { "*": string } }>(`${filesPath}*`, async (request, reply) => {
      const key = request.params["*"];
      const readable = servedPrefixes.some((prefix) => key.startsWith(prefix)) && isValidKey(key);
      const body = readable ? await storage.read(key) : null;
      // The type comes from the bytes, never from a name or what a client declared.
      const sniffed = body ? await fileTypeFromBuffer(body) : undefined;
      if (!body || !sniffed || !servedImageTypes.has(sniffed.mime)) {
        return refuse(request, reply, 404, "NOT_FOUND", "There is no file at this path.");
      }
      return (
        reply
          .header("content-type", sniffed.mime)
          .header("x-content-type-options", "nosniff")
          .header("content-disposition", "inline")
          // Keys are never reused (a new picture is a new id), so a copy never goes stale.
          .header("cache-control", "public, max-age=31536000, immutable")
          // An image is never a document: nothing in it may run, even opened on its own.
          .header("content-security-policy", "default-src 'none'; sandbox")
          // Pictures are shown on the shop's pages, which may be on another origin (helmet says same-origin).
          .header("cross-origin-resource-policy", "cross-origin")
          .send(body)
      );
    });
  });
}

/** The local driver's signed PUT: the upload URL createUpload hands out points here. */
function registerSignedPut(scope: FastifyInstance, storage: LocalStorage): void {
  // The body stays a stream: it is counted and hashed as it arrives, and cut off past the signed size.
  scope.removeAllContentTypeParsers();
  scope.addContentTypeParser("*", (_request, payload, done) => done(null, payload));

  scope.put<{ Params: { "*": string }; Querystring: PutQuery }>(`${uploadPath}*`, async (request, reply) => {
    const key = request.params["*"];
    // Only staged uploads are written this way; processed images are written by the gateway alone.
    if (!key.startsWith("uploads/") || !isValidKey(key)) {
      return refuse(request, reply, 403, "FORBIDDEN", "This upload URL is not valid.");
    }
    const { type, size, sha256, expires, signature } = request.query;
    const byteSize = Number(size);
    const expiresAt = new Date(Number(expires) * 1000);
    if (!type || !sha256 || !signature || !Number.isSafeInteger(byteSize) || Number.isNaN(expiresAt.getTime())) {
      return refuse(
        request,
        reply,
        403,
        "FORBIDDEN",
        "This upload URL is incomplete: use the URL createUpload returned.",
      );
    }
    const conditions = { contentType: type, byteSize, checksum: sha256, expiresAt };
    let expected: string;
    try {
      expected = putSignature(storage.settings.signingSecret, key, conditions);
    } catch {
      return refuse(request, reply, 403, "FORBIDDEN", "This upload URL is not valid.");
    }
    if (!signatureMatches(expected, signature)) {
      return refuse(request, reply, 403, "FORBIDDEN", "This upload URL's signature does not match.");
    }
    if (expiresAt.getTime() <= Date.now()) {
      return refuse(request, reply, 403, "FORBIDDEN", "This upload URL has expired: ask createUpload for a new one.");
    }
    if (request.headers["content-type"] !== type) {
      return refuse(request, reply, 400, "BAD_REQUEST", `Send the header Content-Type: ${type}, as signed.`);
    }
    const declared = Number(request.headers["content-length"]);
    if (Number.isFinite(declared) && declared > byteSize) {
      return refuse(
        request,
        reply,
        413,
        "PAYLOAD_TOO_LARGE",
        `The body is larger than the ${byteSize} bytes signed for.`,
      );
    }
    const body = await readAtMost(request.body as Readable, byteSize);
    if (body === null) {
      return refuse(
        request,
        reply,
        413,
        "PAYLOAD_TOO_LARGE",
        `The body is larger than the ${byteSize} bytes signed for.`,
      );
    }
    if (body.length !== byteSize) {
      return refuse(
        request,
        reply,
        400,
        "BAD_REQUEST",
        `The body is ${body.length} bytes, not the ${byteSize} signed for.`,
      );
    }
    if (createHash("sha256").update(body).digest("base64") !== sha256) {
      return refuse(request, reply, 400, "BAD_REQUEST", "The body's SHA-256 does not match the checksum signed for.");
    }
    await storage.write(key, body);
    return reply.code(204).send();
  });
}

function refuse(
  request: FastifyRequest,
  reply: FastifyReply,
  status: number,
  code: "FORBIDDEN" | "BAD_REQUEST" | "PAYLOAD_TOO_LARGE" | "NOT_FOUND",
  message: string,
) {
  // An unread body would stay in the socket; the client gets its answer and the connection closes.
  if (request.body && typeof (request.body as Readable).resume === "function") reply.header("connection", "close");
  return sendGraphQLError(request, reply, status, code, message);
}

/** The whole stream, or null as soon as it passes `limit` bytes. */
async function readAtMost(stream: Readable, limit: number): Promise<Buffer | null> {
  const chunks: Buffer[] = [];
  let length = 0;
  for await (const chunk of stream) {
    length += (chunk as Buffer).length;
    if (length > limit) {
      stream.destroy();
      return null;
    }
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks, length);
}
