// Persisted operations: automatic persisted queries (in-process, and shared through Redis), operation
// manifests, and trusted-documents mode. PGlite only.
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadOperationManifests, sha256Hex } from "../../src/platform/limits/index.js";
import { startTestGateway, type TestGateway } from "../helpers/gateway.js";
import { deleteKeys, redisSkipReason, redisUrl, uniqueKeyPrefix } from "../helpers/redis.js";

const published = "query Tree { categories { name } }";
const unpublished = "query Slugs { categories { slug } }";

type Body = Record<string, unknown>;
type Answer = { status: number; data?: unknown; errors?: { extensions: { code: string } }[] };
const post = (gw: TestGateway, body: Body): Promise<Answer> =>
  gw.gateway.app
    .inject({ method: "POST", url: "/graphql", headers: { "content-type": "application/json" }, payload: body })
    .then((response) => ({ status: response.statusCode, ...(response.json() as Body) }));
const apq = (hash: string, query?: string): Body => ({
  ...(query ? { query } : {}),
  extensions: { persistedQuery: { version: 1, sha256Hash: hash } },
});
const code = (response: Answer) => response.errors?.[0]?.extensions.code;

let dir: string;
let codegenManifest: string;
let apolloManifest: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "gw-manifests-"));
  // The two formats the gateway reads: GraphQL Code Generator's and Apollo's (iOS, Kotlin).
  codegenManifest = join(dir, "persisted-documents.json");
  await writeFile(codegenManifest, JSON.stringify({ [`sha256:${sha256Hex(published)}`]: published }));
  apolloManifest = join(dir, "apollo-manifest.json");
  const mobile = "query MobileTree { categories { name slug } }";
  await writeFile(
    apolloManifest,
    JSON.stringify({
      format: "apollo-persisted-query-manifest",
      version: 1,
      operations: [{ id: sha256Hex(mobile), body: mobile, name: "MobileTree", type: "query" }],
    }),
  );
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe("automatic persisted queries (in-process cache)", () => {
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await startTestGateway("pglite", {
      seedScale: 0.02,
      env: { PERSISTED_OPERATIONS_MANIFESTS: `${codegenManifest},${join(dir, "missing.json")}` },
    });
  });
  afterAll(() => gw?.close());

  it("asks for the document once, then runs it by hash", async () => {
    const hash = sha256Hex(unpublished);
    const unknown = await post(gw, apq(hash));
    expect(unknown.status).toBe(200);
    expect(code(unknown)).toBe("PERSISTED_QUERY_NOT_FOUND");
    expect(code(await post(gw, apq(hash, unpublished)))).toBeUndefined();
    const byHash = await post(gw, apq(hash));
    expect(byHash.errors).toBeUndefined();
    expect((byHash.data as { categories: unknown[] }).categories.length).toBeGreaterThan(0);
  });

  it("knows manifest operations without registration, by APQ hash or by documentId", async () => {
    const hash = sha256Hex(published);
    expect((await post(gw, apq(hash))).errors).toBeUndefined();
    expect((await post(gw, { documentId: `sha256:${hash}` })).errors).toBeUndefined();
  });

  it("refuses a registration whose hash does not match the document, as the client's error naming the hash", async () => {
    const response = await post(gw, apq(sha256Hex("something else"), unpublished));
    expect(response.status).toBe(400);
    expect(response.errors?.[0]?.extensions).toMatchObject({
      code: "BAD_USER_INPUT",
      field: "extensions.persistedQuery.sha256Hash",
    });
  });

  it("answers an unknown persisted-query version with PERSISTED_QUERY_NOT_SUPPORTED, by POST and GET", async () => {
    const hash = sha256Hex(published);
    for (const version of [2, "1", null]) {
      const response = await post(gw, { extensions: { persistedQuery: { version, sha256Hash: hash } } });
      expect(response.status).toBe(400);
      expect(response.errors?.[0]?.extensions).toMatchObject({
        code: "PERSISTED_QUERY_NOT_SUPPORTED",
        field: "extensions.persistedQuery.version",
      });
    }
    const extensions = encodeURIComponent(JSON.stringify({ persistedQuery: { version: 3, sha256Hash: hash } }));
    const byGet = await gw.gateway.app.inject({
      method: "GET",
      url: `/graphql?extensions=${extensions}`,
      headers: { "apollo-require-preflight": "true" },
    });
    expect(byGet.statusCode).toBe(400);
    expect(byGet.json().errors[0].extensions).toMatchObject({ code: "PERSISTED_QUERY_NOT_SUPPORTED" });
    expect(byGet.json().errors[0].extensions.requestId).toEqual(expect.any(String));
  });
});

const sharedTitle = redisSkipReason
  ? `automatic persisted queries shared through Redis (skipped: ${redisSkipReason})`
  : "automatic persisted queries shared through Redis";
describe.skipIf(redisSkipReason !== undefined)(sharedTitle, () => {
  const keyPrefix = uniqueKeyPrefix();
  let first: TestGateway;
  let second: TestGateway;
  beforeAll(async () => {
    const env = { REDIS_URL: redisUrl as string, REDIS_KEY_PREFIX: keyPrefix };
    [first, second] = await Promise.all([
      startTestGateway("pglite", { seedScale: 0.02, env }),
      startTestGateway("pglite", { seedScale: 0.02, env }),
    ]);
  });
  afterAll(async () => {
    await Promise.all([first?.close(), second?.close()]);
    await deleteKeys(redisUrl as string, keyPrefix);
  });

  it("runs a hash on one instance that a client registered on another", async () => {
    const query = "query Shared { categories { id name } }";
    const hash = sha256Hex(query);
    expect(code(await post(second, apq(hash)))).toBe("PERSISTED_QUERY_NOT_FOUND");
    expect(code(await post(first, apq(hash, query)))).toBeUndefined();
    // Apollo stores the registration in the background; give it a moment.
    await new Promise((resolve) => setTimeout(resolve, 100));
    const elsewhere = await post(second, apq(hash));
    expect(elsewhere.errors).toBeUndefined();
  });
});

describe("trusted documents (PERSISTED_OPERATIONS=trusted)", () => {
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await startTestGateway("pglite", {
      seedScale: 0.02,
      env: {
        NODE_ENV: "test",
        PERSISTED_OPERATIONS: "trusted",
        PERSISTED_OPERATIONS_MANIFESTS: `${codegenManifest},${apolloManifest}`,
      },
    });
  });
  afterAll(() => gw?.close());

  it("runs manifest operations by hash, by documentId, or by their exact text", async () => {
    expect((await post(gw, apq(sha256Hex(published)))).errors).toBeUndefined();
    expect((await post(gw, { documentId: `sha256:${sha256Hex(published)}` })).errors).toBeUndefined();
    expect((await post(gw, { query: published })).errors).toBeUndefined();
    const mobile = sha256Hex("query MobileTree { categories { name slug } }");
    expect((await post(gw, apq(mobile))).errors).toBeUndefined();
  });

  it("serves a manifest operation by GET, as a mobile app or CDN would", async () => {
    const extensions = JSON.stringify({ persistedQuery: { version: 1, sha256Hash: sha256Hex(published) } });
    const response = await gw.gateway.app.inject({
      method: "GET",
      url: `/graphql?extensions=${encodeURIComponent(extensions)}`,
      headers: { "x-apollo-operation-name": "Tree" }, // what Apollo iOS/Kotlin send; satisfies CSRF prevention
    });
    expect(response.statusCode).toBe(200);
    expect(response.json().errors).toBeUndefined();
  });

  it("refuses any other document, and unknown hashes, before parsing or SQL", async () => {
    gw.db.statements.reset();
    const adHoc = await post(gw, { query: unpublished });
    expect(adHoc.status).toBe(400);
    expect(code(adHoc)).toBe("PERSISTED_QUERY_NOT_IN_LIST");
    const registration = await post(gw, apq(sha256Hex(unpublished), unpublished));
    expect(code(registration)).toBe("PERSISTED_QUERY_NOT_IN_LIST");
    expect(code(await post(gw, apq(sha256Hex(unpublished))))).toBe("PERSISTED_QUERY_NOT_IN_LIST");
    expect(gw.db.statements.count).toBe(0);
  });
});

describe("operation manifests", () => {
  it("refuse to load when an id is not the SHA-256 of its document", async () => {
    const tampered = join(dir, "tampered.json");
    await writeFile(
      tampered,
      JSON.stringify({ [sha256Hex(published)]: "query Tree { users(first: 100) { totalCount } }" }),
    );
    await expect(loadOperationManifests([tampered], { required: false })).rejects.toThrow(/not the SHA-256/);
  });

  it("are required in trusted mode", async () => {
    await expect(loadOperationManifests([join(dir, "missing.json")], { required: true })).rejects.toThrow(/ENOENT/);
  });

  it("include the one `npm run codegen` writes, when it has been run", async (context) => {
    const path = new URL("../../client/generated/persisted-documents.json", import.meta.url).pathname;
    const text = await readFile(path, "utf8").catch(() => undefined);
    if (text === undefined) {
      context.skip("client/generated/persisted-documents.json not generated (npm run codegen)");
      return;
    }
    const { manifest } = await loadOperationManifests([path], { required: true });
    expect(manifest.size).toBe(Object.keys(JSON.parse(text)).length);
  });
});
