// Persisted operations: clients send a SHA-256 hash instead of the document.
//
//   auto     Automatic persisted queries (Apollo's APQ): an unknown hash gets PERSISTED_QUERY_NOT_FOUND, the
//            client sends the document once with its hash, and every gateway instance knows it from then on
//            (the cache is Redis when configured). Operations in the manifests are known from the start.
//   trusted  Only operations in the manifests run (a safelist): any other document, or unknown hash, gets
//            PERSISTED_QUERY_NOT_IN_LIST before it is even parsed. For first-party clients in production.
//   off      Hashes are refused (PERSISTED_QUERY_NOT_SUPPORTED); full documents only.
//
// Clients name an operation either the APQ way, `extensions: { persistedQuery: { version: 1, sha256Hash } }`
// (Apollo Client, Apollo iOS and Kotlin), or the GraphQL-over-HTTP way, `documentId: "sha256:<hash>"`.
//
// Manifests are JSON files, in either of two formats: GraphQL Code Generator's client preset
// (`persistedDocuments`: `{ "sha256:<hash>": "<document>" }`, written by `npm run codegen`), or Apollo's
// persisted-query manifest (`{ "format": "apollo-persisted-query-manifest", "operations": [{ "id", "body" }] }`,
// written by Apollo iOS, Apollo Kotlin and `generate-persisted-query-manifest`).
import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import type { KeyValueCache } from "../redis/index.js";

/** Document text by the SHA-256 (hex) of that text. */
export type OperationManifest = ReadonlyMap<string, string>;

export const sha256Hex = (text: string) => createHash("sha256").update(text).digest("hex");

export class ManifestError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ManifestError";
  }
}

/**
 * Reads and merges the manifests. Every id must be the SHA-256 of its document (what Apollo checks for
 * registrations too), so a tampered or mis-generated manifest fails at start-up, not per request.
 * Missing files are skipped unless `required`.
 */
export async function loadOperationManifests(
  paths: readonly string[],
  { required }: { required: boolean },
): Promise<{ manifest: OperationManifest; loaded: string[]; missing: string[] }> {
  const manifest = new Map<string, string>();
  const loaded: string[] = [];
  const missing: string[] = [];
  for (const path of paths) {
    let text: string;
    try {
      text = await readFile(path, "utf8");
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "ENOENT" || required) {
        throw new ManifestError(`operation manifest ${path}: ${(error as Error).message}`);
      }
      missing.push(path);
      continue;
    }
    for (const [id, body] of manifestEntries(path, text)) {
      const hash = bareHash(id);
      if (sha256Hex(body) !== hash) {
        throw new ManifestError(`operation manifest ${path}: ${id} is not the SHA-256 of its document`);
      }
      manifest.set(hash, body);
    }
    loaded.push(path);
  }
  return { manifest, loaded, missing };
}

function manifestEntries(path: string, text: string): [string, string][] {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new ManifestError(`operation manifest ${path}: not JSON`);
  }
  if (json && typeof json === "object" && (json as { format?: unknown }).format === "apollo-persisted-query-manifest") {
    const operations = (json as { operations?: unknown }).operations;
    if (!Array.isArray(operations)) throw new ManifestError(`operation manifest ${path}: no operations list`);
    return operations.map((operation: { id?: unknown; body?: unknown }) => {
      if (typeof operation?.id !== "string" || typeof operation.body !== "string") {
        throw new ManifestError(`operation manifest ${path}: every operation needs a string id and body`);
      }
      return [operation.id, operation.body];
    });
  }
  if (!json || typeof json !== "object" || Array.isArray(json)) {
    throw new ManifestError(`operation manifest ${path}: expected { "<sha256>": "<document>" }`);
  }
  return Object.entries(json).map(([id, body]) => {
    if (typeof body !== "string") throw new ManifestError(`operation manifest ${path}: ${id} is not a document`);
    return [id, body];
  });
}

/** `sha256:<hex>` or `<hex>` → lower-case hex. */
const bareHash = (id: string) => id.replace(/^sha256:/i, "").toLowerCase();

/**
 * Turns a GraphQL-over-HTTP `documentId` (POST body or GET query string) into the APQ extension Apollo
 * understands, so clients may use either convention. Changes the payload in place.
 */
export function acceptDocumentId(payload: unknown, method: string): void {
  if (!payload || typeof payload !== "object" || Array.isArray(payload)) return;
  const request = payload as Record<string, unknown>;
  if (typeof request.documentId !== "string" || request.query) return;
  const persistedQuery = { version: 1, sha256Hash: bareHash(request.documentId) };
  if (method === "GET") {
    // A GET carries extensions as a JSON string.
    let extensions: object = {};
    if (typeof request.extensions === "string") {
      try {
        extensions = JSON.parse(request.extensions);
      } catch {
        return; // Apollo will refuse the malformed extensions
      }
    }
    request.extensions = JSON.stringify({ ...extensions, persistedQuery });
  } else {
    const extensions = request.extensions && typeof request.extensions === "object" ? request.extensions : {};
    request.extensions = { ...extensions, persistedQuery };
  }
  delete request.documentId;
}

/** Apollo keys its APQ cache entries `apq:<hash>` (it wraps the cache it is given in a prefixing one). */
const APQ_PREFIX = "apq:";

/**
 * The cache Apollo's persisted-query support reads and writes: manifest operations first, then (in auto
 * mode) registrations in the shared cache. Without a backing cache (trusted mode) registrations are
 * dropped; only manifest operations are ever found.
 */
export class PersistedOperationCache implements KeyValueCache {
  constructor(
    private readonly manifest: OperationManifest,
    private readonly registrations: KeyValueCache | null,
  ) {}

  async get(key: string): Promise<string | undefined> {
    const hash = key.startsWith(APQ_PREFIX) ? key.slice(APQ_PREFIX.length) : key;
    return this.manifest.get(hash) ?? (await this.registrations?.get(key));
  }

  async set(key: string, value: string, options?: { ttl?: number | null }): Promise<void> {
    const hash = key.startsWith(APQ_PREFIX) ? key.slice(APQ_PREFIX.length) : key;
    if (this.manifest.has(hash)) return;
    await this.registrations?.set(key, value, options);
  }

  async delete(key: string): Promise<boolean> {
    return (await this.registrations?.delete(key)) === true;
  }
}

/**
 * In trusted mode: whether an HTTP request asks for something outside the manifests. Reads the body of
 * a POST or the query string of a GET; anything it cannot make sense of is left to Apollo to refuse.
 */
export function isUntrustedRequest(manifest: OperationManifest, payload: unknown): boolean {
  if (!payload || typeof payload !== "object" || Array.isArray(payload)) return false;
  const { query, extensions } = payload as { query?: unknown; extensions?: unknown };
  if (typeof query === "string" && query !== "") return !manifest.has(sha256Hex(query));
  const hash = persistedHash(extensions);
  return hash !== undefined && !manifest.has(bareHash(hash));
}

function persistedHash(extensions: unknown): string | undefined {
  const hash = persistedQueryOf(extensions)?.sha256Hash;
  return typeof hash === "string" ? hash : undefined;
}

function persistedQueryOf(extensions: unknown): { version?: unknown; sha256Hash?: unknown } | undefined {
  let value = extensions;
  if (typeof value === "string") {
    try {
      value = JSON.parse(value); // GET: ?extensions=<JSON>
    } catch {
      return undefined;
    }
  }
  const persistedQuery = (value as { persistedQuery?: unknown } | null)?.persistedQuery;
  return persistedQuery && typeof persistedQuery === "object" ? persistedQuery : undefined;
}

export type PersistedQueryMistake = Readonly<{
  code: "PERSISTED_QUERY_NOT_SUPPORTED" | "BAD_USER_INPUT";
  field: string;
  message: string;
}>;

/**
 * A client's mistake in the APQ extension, which Apollo answers with an uncoded error (masked as our
 * INTERNAL_SERVER_ERROR): a protocol version other than 1 is PERSISTED_QUERY_NOT_SUPPORTED (Apollo
 * Client then falls back to sending documents), and a registration whose hash is not the SHA-256 of its
 * document is BAD_USER_INPUT. Only meaningful while persisted queries are on.
 */
export function persistedQueryMistake(payload: unknown): PersistedQueryMistake | null {
  if (!payload || typeof payload !== "object" || Array.isArray(payload)) return null;
  const { query, extensions } = payload as { query?: unknown; extensions?: unknown };
  const persistedQuery = persistedQueryOf(extensions);
  if (!persistedQuery) return null;
  if (persistedQuery.version !== 1) {
    return {
      code: "PERSISTED_QUERY_NOT_SUPPORTED",
      field: "extensions.persistedQuery.version",
      message: "Only version 1 of persisted queries is supported; send `version: 1`, or the full document.",
    };
  }
  if (typeof query === "string" && query !== "" && persistedQuery.sha256Hash !== sha256Hex(query)) {
    return {
      code: "BAD_USER_INPUT",
      field: "extensions.persistedQuery.sha256Hash",
      message: "`sha256Hash` is not the SHA-256 (lower-case hex) of the document sent with it.",
    };
  }
  return null;
}
