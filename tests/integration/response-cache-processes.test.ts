// The response cache across gateway processes (README, "Caching"): two real processes over one PostgreSQL
// database and one Redis, as a deployment runs them. What one process stored, the other serves with no SQL;
// a write on one is never answered with the old data by the other, from the first read after the write's
// response. tests/integration/response-cache.test.ts covers the same with two instances in one process
// (and Redis going away); here nothing is shared but Redis and the database: no module state, no event
// loop, no timers.
import { once } from "node:events";
import { connect, createServer, type Server, type Socket } from "node:net";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { SEED_ACCOUNTS, SEED_PASSWORD, seedDatabase } from "../../src/seed/index.js";
import { createTestDatabase, postgresSkipReason, type TestDatabase } from "../helpers/database.js";
import { type GatewayProcess, startGatewayProcess } from "../helpers/gateway-processes.js";
import { deleteKeys, redisSkipReason, redisUrl, uniqueKeyPrefix } from "../helpers/redis.js";

const skipReason = [postgresSkipReason, redisSkipReason].filter(Boolean).join("; ") || undefined;
const title = skipReason
  ? `response cache across gateway processes (skipped: ${skipReason})`
  : "response cache across gateway processes";

const productPage = `query Page($slug: String!) {
  product(slug: $slug) { id name priceCents category { id name } reviews(first: 5) { totalCount } }
}`;
const catalog = `query Catalog {
  products(first: 10) { edges { node { id name priceCents category { name } } } }
}`;
const categoryList = `query CategoryList($id: ID!) {
  category(id: $id) { products(first: 50) { totalCount edges { node { name } } } }
}`;

type Page = { product: { id: string; priceCents: number } | null };
type Catalog = { products: { edges: { node: { id: string; priceCents: number } }[] } };
type CategoryList = { category: { products: { totalCount: number; edges: { node: { name: string } }[] } } };
type Response<Data> = { data?: Data | null; errors?: { message: string }[] };

/**
 * A TCP relay to Redis that can hold back what Redis sends on subscribed connections (the invalidation
 * messages), as a slow network would, while every other connection flows: a read on the other process
 * then comes before the message, and only the shared invalidation counter can tell it the entry is old.
 */
type PubSubDelay = {
  url: string;
  hold(): void;
  /** Sends what was held; returns how many chunks that was. */
  release(): number;
  close(): Promise<void>;
};

async function startPubSubDelay(target: string): Promise<PubSubDelay> {
  const { hostname, port } = new URL(target);
  let holding = false;
  const links: { client: Socket; subscriber: boolean; held: Buffer[] }[] = [];
  const server: Server = createServer((client) => {
    const upstream = connect(Number(port), hostname);
    const link = { client, subscriber: false, held: [] as Buffer[] };
    links.push(link);
    client.on("data", (chunk: Buffer) => {
      if (/subscribe/i.test(chunk.toString("latin1"))) link.subscriber = true;
      upstream.write(chunk);
    });
    upstream.on("data", (chunk: Buffer) => {
      if (holding && link.subscriber) link.held.push(chunk);
      else client.write(chunk);
    });
    const end = () => {
      client.destroy();
      upstream.destroy();
    };
    client.on("close", end).on("error", end);
    upstream.on("close", end).on("error", end);
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const address = server.address();
  if (!address || typeof address === "string") throw new Error("no port");
  return {
    url: `redis://127.0.0.1:${address.port}`,
    hold: () => {
      holding = true;
    },
    release: () => {
      holding = false;
      let released = 0;
      for (const link of links) {
        for (const chunk of link.held.splice(0)) {
          link.client.write(chunk);
          released++;
        }
      }
      return released;
    },
    close: async () => {
      for (const link of links) link.client.destroy();
      server.close();
      await once(server, "close");
    },
  };
}

let requests = 0;

/** One GraphQL request over HTTP, and the number of SQL statements the process logged for it. */
async function call<Data>(gateway: GatewayProcess, query: string, variables?: object, token?: string) {
  const requestId = `cache-processes-${++requests}`;
  const response = await fetch(`${gateway.url}/graphql`, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      "x-request-id": requestId,
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as Response<Data>;
  return { body, requestId };
}

/** What a request cost in SQL, from its log line (written asynchronously, so waited for). */
async function statementsOf(gateway: GatewayProcess, requestId: string): Promise<number> {
  const line = await vi.waitFor(
    () => {
      const found = gateway.logs.find((entry) => entry.requestId === requestId);
      if (!found) throw new Error(`no log line for ${requestId}`);
      return found;
    },
    { timeout: 5_000 },
  );
  return line.sqlStatements as number;
}

/** Asks `gateway` twice: the second answer must be the first one's data, from the cache (no SQL). */
async function warm<Data>(gateway: GatewayProcess, query: string, variables?: object): Promise<Data> {
  const first = await call<Data>(gateway, query, variables);
  expect(first.body.errors).toBeUndefined();
  const second = await call<Data>(gateway, query, variables);
  expect(second.body.data).toEqual(first.body.data);
  expect(await statementsOf(gateway, second.requestId)).toBe(0);
  return second.body.data as Data;
}

describe.skipIf(skipReason !== undefined)(title, () => {
  const keyPrefix = uniqueKeyPrefix();
  let db: TestDatabase;
  let a: GatewayProcess;
  let b: GatewayProcess;
  let delay: PubSubDelay;
  let admin: string;

  beforeAll(async () => {
    db = await createTestDatabase("postgres");
    await seedDatabase(db.prisma, { scale: 0.02 });
    const env = {
      NODE_ENV: "test",
      LOG_LEVEL: "info",
      DATABASE_URL: db.url as string,
      REDIS_URL: redisUrl as string,
      REDIS_KEY_PREFIX: keyPrefix,
      RESPONSE_CACHE: "true",
      RATE_LIMIT_BUDGET: "1000000000",
      RATE_LIMIT_RESTORE_RATE: "1000000000",
      PERSISTED_OPERATIONS: "off",
      JOBS_WORKER: "false",
    };
    // B reaches Redis through the relay; A directly.
    delay = await startPubSubDelay(redisUrl as string);
    [a, b] = await Promise.all([startGatewayProcess(env), startGatewayProcess({ ...env, REDIS_URL: delay.url })]);
    // Each process signs its own tokens in tests (no JWT_PRIVATE_KEY): the writes all go to A.
    const login = await call<{ login: { accessToken: string | null } }>(
      a,
      "mutation($email: String!, $password: String!) { login(input: { email: $email, password: $password }) { accessToken } }",
      { email: SEED_ACCOUNTS.admin.email, password: SEED_PASSWORD },
    );
    admin = login.body.data?.login.accessToken as string;
    expect(admin).toEqual(expect.any(String));
    // Until a process's Redis connection is up, it neither reads nor stores shared entries.
    const { slug } = await db.prisma.product.findFirstOrThrow({
      where: { status: "ACTIVE", deletedAt: null },
      orderBy: { slug: "asc" },
    });
    await vi.waitFor(() => warm(a, productPage, { slug }), { timeout: 10_000, interval: 200 });
    await vi.waitFor(() => warm(b, productPage, { slug }), { timeout: 10_000, interval: 200 });
  }, 180_000);

  afterAll(async () => {
    await Promise.all([a?.stop(), b?.stop()]);
    await db?.close();
    await delay?.close();
    if (redisUrl) await deleteKeys(redisUrl, keyPrefix);
  });

  it("serves what one process stored to the other, with no SQL", async () => {
    const product = await db.prisma.product.findFirstOrThrow({
      where: { status: "ACTIVE", deletedAt: null },
      orderBy: { slug: "desc" },
    });
    const stored = await call<Page>(b, productPage, { slug: product.slug });
    expect(stored.body.data?.product?.id).toBe(product.id);
    expect(await statementsOf(b, stored.requestId)).toBeGreaterThan(0);
    const fromA = await call<Page>(a, productPage, { slug: product.slug });
    expect(fromA.body.data).toEqual(stored.body.data);
    expect(await statementsOf(a, fromA.requestId)).toBe(0);
  });

  it("shows the new price on the other process from the first read after updateProduct returns", async () => {
    const listed = await warm<Catalog>(b, catalog);
    const product = listed.products.edges[0]?.node;
    if (!product) throw new Error("no product");
    const { slug } = await db.prisma.product.findUniqueOrThrow({ where: { id: product.id } });
    // Round 2 reads B before the invalidation message reaches it; rounds 1 and 3 as the network delivers.
    for (let round = 1; round <= 3; round++) {
      // B answers both from its cache (its first tier, checked against Redis' invalidation counter).
      const before = await warm<Page>(b, productPage, { slug });
      await warm<Catalog>(b, catalog);
      const price = product.priceCents + round * 100;
      expect(before.product?.priceCents).toBe(price - 100);
      if (round === 2) delay.hold();

      const updated = await call<{ updateProduct: { userErrors: unknown[] } }>(
        a,
        `mutation($id: ID!, $input: UpdateProductInput!) {
          updateProduct(id: $id, input: $input) { product { priceCents } userErrors { code } }
        }`,
        { id: product.id, input: { priceCents: price } },
        admin,
      );
      expect(updated.body.errors).toBeUndefined();
      expect(updated.body.data?.updateProduct.userErrors).toEqual([]);
      const [page, list] = await Promise.all([call<Page>(b, productPage, { slug }), call<Catalog>(b, catalog)]);
      expect(page.body.data?.product?.priceCents).toBe(price);
      expect(list.body.data?.products.edges.find((edge) => edge.node.id === product.id)?.node.priceCents).toBe(price);
      // The message was on its way all along (round 2): B's answers above came before it.
      const released = delay.release();
      if (round === 2) expect(released).toBeGreaterThan(0);
    }
  });

  it("lists a product created on one process in the other's cached category list at once", async () => {
    const category = await db.prisma.category.findFirstOrThrow({ where: { parentId: { not: null } } });
    const before = await warm<CategoryList>(b, categoryList, { id: category.id });
    expect(before.category.products.edges.map((edge) => edge.node.name)).not.toContain("Processite Lamp");

    const created = await call<{ createProduct: { userErrors: unknown[] } }>(
      a,
      `mutation($input: CreateProductInput!) { createProduct(input: $input) { product { id } userErrors { code } } }`,
      {
        input: {
          name: "Processite Lamp",
          slug: "processite-lamp",
          priceCents: 4_200,
          categoryId: category.id,
          status: "ACTIVE",
        },
      },
      admin,
    );
    expect(created.body.errors).toBeUndefined();
    expect(created.body.data?.createProduct.userErrors).toEqual([]);
    const after = await call<CategoryList>(b, categoryList, { id: category.id });
    const products = after.body.data?.category.products;
    expect(products?.edges.map((edge) => edge.node.name)).toContain("Processite Lamp");
    expect(products?.totalCount).toBe(before.category.products.totalCount + 1);
  });
});
