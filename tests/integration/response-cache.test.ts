// The response cache (README, "Caching"): public reads answered with no SQL, writes invalidating what
// they changed at once (on every instance sharing Redis), private data never shared, Redis outages
// answered from the database, and HTTP caching for GET persisted queries.
import { pino } from "pino";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { loadConfig } from "../../src/config/index.js";
import { sha256Hex } from "../../src/platform/limits/index.js";
import { buildServer, type Gateway } from "../../src/server.js";
import { backends } from "../helpers/database.js";
import { type GraphQLResponse, type RequestOptions, startTestGateway, type TestGateway } from "../helpers/gateway.js";
import {
  deleteKeys,
  redisServerSkipReason,
  redisSkipReason,
  redisUrl,
  startOwnRedis,
  uniqueKeyPrefix,
} from "../helpers/redis.js";

const cacheOn = { RESPONSE_CACHE: "true" };

/** The nested catalog read (bench/scenarios.ts): planner and loaders both tag what it returns. */
const catalog = `query Catalog {
  products(first: 10) {
    edges { node { id name priceCents category { name } reviews(first: 3) { edges { node { rating author { name } } } } } }
  }
}`;
const productPage = `query Page($slug: String!) {
  product(slug: $slug) { id name priceCents stock category { id name } reviews(first: 5) { totalCount } }
}`;
const categoryLists = `query Lists($id: ID!, $search: String!) {
  category(id: $id) { products(first: 50) { totalCount edges { node { name } } } }
  inCategory: products(first: 50, filter: { categoryId: $id }) { totalCount edges { node { name } } }
  found: products(first: 50, filter: { search: $search }) { edges { node { name } } }
}`;
const updatePrice = `mutation($id: ID!, $input: UpdateProductInput!) {
  updateProduct(id: $id, input: $input) { product { priceCents } userErrors { code } }
}`;

type Catalog = { products: { edges: { node: { id: string; name: string; priceCents: number } }[] } };
type Page = { product: { id: string; priceCents: number; stock: number } | null };
type Named = { totalCount?: number; edges: { node: { name: string } }[] };
type Lists = { category: { products: Named }; inCategory: Named; found: Named };

/** Any gateway instance, driven through inject. */
type Instance = { app: Gateway["app"] };
async function call<Data>(instance: Instance, query: string, variables?: object, token?: string) {
  const response = await instance.app.inject({
    method: "POST",
    url: "/graphql",
    headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
    payload: JSON.stringify({ query, variables }),
  });
  const body = response.json() as Omit<GraphQLResponse<Data>, "status" | "headers">;
  return { ...body, status: response.statusCode, headers: response.headers } as GraphQLResponse<Data>;
}

/** SQL statements a request cost, and its response. */
async function counted<Data = Record<string, unknown>>(gw: TestGateway, query: string, options: RequestOptions = {}) {
  gw.db.statements.reset();
  const response = await gw.graphql<Data>(query, options);
  return { response, statements: gw.db.statements.count };
}

const names = (list: Named) => list.edges.map((edge) => edge.node.name);

for (const backend of backends) {
  // Planner off here, on in the shared-Redis suite: tags come from what the response holds either way.
  describe.skipIf(backend.skip)(`response cache, one instance, in-process (${backend.name})`, () => {
    let gw: TestGateway;
    let admin: string;
    beforeAll(async () => {
      gw = await startTestGateway(backend.kind, { seedScale: 0.02, env: { ...cacheOn, QUERY_PLANNER: "false" } });
      admin = await gw.tokenFor(gw.users.admin);
    });
    afterAll(() => gw?.close());

    it("answers the second identical public query with no SQL, and the same data", async () => {
      const first = await counted<Catalog>(gw, catalog);
      expect(first.response.errors).toBeUndefined();
      expect(first.statements).toBeGreaterThan(0);
      const second = await counted<Catalog>(gw, catalog);
      expect(second.statements).toBe(0);
      expect(second.response.data).toEqual(first.response.data);
      // Other variables are another entry.
      const slug = await gw.db.prisma.product.findFirstOrThrow({ where: { status: "ACTIVE", deletedAt: null } });
      expect((await counted(gw, productPage, { variables: { slug: slug.slug } })).statements).toBeGreaterThan(0);
      expect((await counted(gw, productPage, { variables: { slug: slug.slug } })).statements).toBe(0);
    });

    it("shows a new price right after updateProduct returns, in the product page and the catalog", async () => {
      const before = await gw.graphql<Catalog>(catalog);
      const product = before.data?.products.edges[0]?.node;
      if (!product) throw new Error("no product");
      const page = await gw.graphql<Page>(productPage, {
        variables: { slug: (await gw.db.prisma.product.findUniqueOrThrow({ where: { id: product.id } })).slug },
      });
      expect(page.data?.product?.priceCents).toBe(product.priceCents);
      const price = product.priceCents + 101;
      const updated = await call<{ updateProduct: { userErrors: unknown[] } }>(
        gw.gateway,
        updatePrice,
        { id: product.id, input: { priceCents: price } },
        admin,
      );
      expect(updated.data?.updateProduct.userErrors).toEqual([]);
      const after = await gw.graphql<Catalog>(catalog);
      expect(after.data?.products.edges.find((edge) => edge.node.id === product.id)?.node.priceCents).toBe(price);
      const row = await gw.db.prisma.product.findUniqueOrThrow({ where: { id: product.id } });
      const pageAfter = await gw.graphql<Page>(productPage, { variables: { slug: row.slug } });
      expect(pageAfter.data?.product?.priceCents).toBe(price);
    });

    it("createProduct in a category drops that category's lists and the searches", async () => {
      const category = await gw.db.prisma.category.findFirstOrThrow({ where: { parentId: { not: null } } });
      const variables = { id: category.id, search: "Zanzibarite" };
      const before = await gw.graphql<Lists>(categoryLists, { variables });
      expect(before.errors).toBeUndefined();
      expect((await counted(gw, categoryLists, { variables })).statements).toBe(0);
      const created = await call<{ createProduct: { userErrors: unknown[] } }>(
        gw.gateway,
        `mutation($input: CreateProductInput!) { createProduct(input: $input) { product { id } userErrors { code } } }`,
        {
          input: {
            name: "Zanzibarite Lamp",
            slug: `zanzibarite-lamp-${backend.kind}`,
            priceCents: 4_200,
            categoryId: category.id,
            status: "ACTIVE",
          },
        },
        admin,
      );
      expect(created.data?.createProduct.userErrors).toEqual([]);
      const after = await gw.graphql<Lists>(categoryLists, { variables });
      const lists = after.data as Lists;
      for (const list of [lists.category.products, lists.inCategory, lists.found]) {
        expect(names(list)).toContain("Zanzibarite Lamp");
      }
      expect(lists.category.products.totalCount).toBe((before.data?.category.products.totalCount ?? 0) + 1);
      expect(lists.inCategory.totalCount).toBe((before.data?.inCategory.totalCount ?? 0) + 1);
    });

    it("an order's stock change reaches the cached product page and catalog at once", async () => {
      const product = await gw.db.prisma.product.findFirstOrThrow({
        where: { status: "ACTIVE", deletedAt: null, stock: { gt: 5 } },
      });
      const variables = { slug: product.slug };
      expect((await gw.graphql<Page>(productPage, { variables })).data?.product?.stock).toBe(product.stock);
      expect((await counted(gw, productPage, { variables })).statements).toBe(0);
      const token = await gw.tokenFor(gw.users.alice);
      const address = await call<{ createAddress: { address: { id: string } } }>(
        gw.gateway,
        "mutation($input: CreateAddressInput!) { createAddress(input: $input) { address { id } } }",
        { input: { recipient: "Alice", line1: "1 Main St", city: "Springfield", postalCode: "12345", country: "US" } },
        token,
      );
      const order = await call<{ placeOrder: { userErrors: unknown[] } }>(
        gw.gateway,
        "mutation($input: PlaceOrderInput!) { placeOrder(input: $input) { order { id } userErrors { code } } }",
        {
          input: {
            items: [{ productId: product.id, quantity: 2 }],
            addressId: address.data?.createAddress.address.id,
            idempotencyKey: `cache-${backend.kind}`,
          },
        },
        token,
      );
      expect(order.data?.placeOrder.userErrors).toEqual([]);
      expect((await gw.graphql<Page>(productPage, { variables })).data?.product?.stock).toBe(product.stock - 2);
    });

    it("never shares a private field: each caller gets their own e-mail, others none", async () => {
      const profile = `query($username: String!) { user(username: $username) { name email } }`;
      const variables = { username: "alice" };
      const alice = await gw.graphql<{ user: { email: string | null } }>(profile, { variables, as: gw.users.alice });
      expect(alice.data?.user.email).toMatch(/@/);
      const bob = await counted<{ user: { email: string | null } }>(gw, profile, { variables, as: gw.users.bob });
      expect(bob.response.data?.user.email).toBeNull();
      expect(bob.statements).toBeGreaterThan(0);
      const anonymous = await gw.graphql<{ user: { email: string | null } }>(profile, { variables });
      expect(anonymous.data?.user.email).toBeNull();
      expect(JSON.stringify(anonymous)).not.toContain(alice.data?.user.email ?? "@");
      // The signed-in account, asked by two callers with the same document.
      const me = "{ me { id name email } }";
      const aliceMe = await gw.graphql<{ me: { id: string } }>(me, { as: gw.users.alice });
      const bobMe = await counted<{ me: { id: string } }>(gw, me, { as: gw.users.bob });
      expect(aliceMe.data?.me.id).toBe(gw.users.alice.id);
      expect(bobMe.response.data?.me.id).toBe(gw.users.bob.id);
      expect(bobMe.statements).toBeGreaterThan(0);
    });

    it("lets signed-in callers share public selections, while their private selections bypass the cache", async () => {
      await gw.graphql(catalog); // anonymous: stored
      expect((await counted(gw, catalog, { as: gw.users.alice })).statements).toBe(0);
      const mixed = `{ me { name } products(first: 2) { edges { node { name } } } }`;
      await gw.graphql(mixed, { as: gw.users.alice });
      const again = await counted<{ me: { name: string } }>(gw, mixed, { as: gw.users.alice });
      expect(again.statements).toBeGreaterThan(0);
      const bob = await counted<{ me: { name: string } | null }>(gw, mixed, { as: gw.users.bob });
      expect(bob.response.data?.me?.name).not.toBe(again.response.data?.me.name);
    });

    it("gives admins their own reads: a draft the public cached as missing is still theirs to see", async () => {
      const draft = await gw.db.prisma.product.create({
        data: {
          name: "Draft Kettle",
          slug: `draft-kettle-${backend.kind}`,
          priceCents: 999,
          categoryId: (await gw.db.prisma.category.findFirstOrThrow()).id,
          status: "DRAFT",
        },
      });
      const variables = { slug: draft.slug };
      expect((await gw.graphql<Page>(productPage, { variables })).data?.product).toBeNull();
      expect((await counted<Page>(gw, productPage, { variables })).statements).toBe(0);
      const asAdmin = await counted<Page>(gw, productPage, { variables, as: gw.users.admin });
      expect(asAdmin.response.data?.product?.id).toBe(draft.id);
      expect(asAdmin.statements).toBeGreaterThan(0);
    });

    it("keeps the catalog count aside: the next page of a listing does not count again", async () => {
      const page = (first: number) =>
        `{ products(first: ${first}, filter: { minPriceCents: 1 }) { totalCount edges { node { name } } } }`;
      const first = await counted<{ products: { totalCount: number } }>(gw, page(2));
      const next = await counted<{ products: { totalCount: number } }>(gw, page(3));
      expect(next.response.data?.products.totalCount).toBe(first.response.data?.products.totalCount);
      expect(next.statements).toBe(first.statements - 1);
    });

    it("never stores a response with errors", async () => {
      const failing = `{ categories { name } products(first: 101) { edges { node { name } } } }`;
      const first = await counted(gw, failing);
      expect(first.response.errors?.length).toBeGreaterThan(0);
      const second = await counted(gw, failing);
      expect(second.response.errors?.length).toBeGreaterThan(0);
      expect(second.statements).toBeGreaterThan(0);
    });

    it("charges a cached answer a tenth of the operation's price", async () => {
      const query = "{ categories { name children { name } } }";
      const cost = (response: GraphQLResponse) =>
        (response.extensions?.cost as { requestedQueryCost: number } | undefined)?.requestedQueryCost ?? Number.NaN;
      const miss = await gw.graphql(query);
      const hit = await counted(gw, query);
      expect(hit.statements).toBe(0);
      expect(cost(hit.response)).toBe(Math.max(1, Math.ceil(cost(miss) / 10)));
      expect(cost(hit.response)).toBeLessThan(cost(miss));
    });
  });
}

// Two instances over one database and one Redis, as a deployment runs them.
for (const backend of backends) {
  describe.skipIf(backend.skip || redisSkipReason !== undefined)(
    `response cache shared through Redis (${backend.name}${redisSkipReason ? `, skipped: ${redisSkipReason}` : ""})`,
    () => {
      const prefix = uniqueKeyPrefix();
      const env = { ...cacheOn, REDIS_URL: redisUrl ?? "", REDIS_KEY_PREFIX: prefix };
      let a: TestGateway;
      let b: Gateway;
      let admin: string;
      beforeAll(async () => {
        a = await startTestGateway(backend.kind, { seedScale: 0.02, env });
        admin = await a.tokenFor(a.users.admin);
        const config = loadConfig({ NODE_ENV: "test", RATE_LIMIT_BUDGET: "1000000000", ...env });
        b = await buildServer(config, {
          db: { ...a.db, close: async () => {} }, // A owns the database
          logger: pino({ level: "silent" }),
          fieldLimits: {},
        });
        await vi.waitFor(() => expect(a.gateway.redis?.isReady() && b.redis?.isReady()).toBe(true));
      });
      afterAll(async () => {
        await b?.close();
        await a?.close();
        if (redisUrl) await deleteKeys(redisUrl, prefix);
      });

      it("serves what one instance stored to the other with no SQL", async () => {
        const slug = (await a.db.prisma.product.findFirstOrThrow({ where: { status: "ACTIVE", deletedAt: null } }))
          .slug;
        await vi.waitFor(async () => {
          await call(a.gateway, productPage, { slug });
          a.db.statements.reset(); // one database, one counter for both instances
          const fromB = await call<Page>(b, productPage, { slug });
          expect(fromB.data?.product).not.toBeNull();
          expect(a.db.statements.count).toBe(0);
        });
      });

      it("shows the new price on the other instance as soon as updateProduct returns", async () => {
        const listed = await call<Catalog>(b, catalog);
        const product = listed.data?.products.edges[0]?.node;
        if (!product) throw new Error("no product");
        const { slug } = await a.db.prisma.product.findUniqueOrThrow({ where: { id: product.id } });
        for (let round = 1; round <= 5; round++) {
          // B holds both answers (first tier and Redis).
          await call(b, catalog);
          await call(b, productPage, { slug });
          a.db.statements.reset();
          await call(b, catalog);
          await call(b, productPage, { slug });
          expect(a.db.statements.count).toBe(0);

          const price = product.priceCents + round;
          const updated = await call<{ updateProduct: { userErrors: unknown[] } }>(
            a.gateway,
            updatePrice,
            { id: product.id, input: { priceCents: price } },
            admin,
          );
          expect(updated.data?.updateProduct.userErrors).toEqual([]);
          const [page, list] = await Promise.all([call<Page>(b, productPage, { slug }), call<Catalog>(b, catalog)]);
          expect(page.data?.product?.priceCents).toBe(price);
          expect(list.data?.products.edges.find((edge) => edge.node.id === product.id)?.node.priceCents).toBe(price);
        }
      });
    },
  );
}

describe.skipIf(redisServerSkipReason !== undefined)(
  `response cache while Redis is away${redisServerSkipReason ? ` (skipped: ${redisServerSkipReason})` : ""}`,
  () => {
    it("answers from the database while Redis is down, writes still invalidate, and caching comes back", async () => {
      const redis = await startOwnRedis();
      const env = { ...cacheOn, REDIS_URL: redis.url, REDIS_CONNECT_TIMEOUT_MS: "500" };
      const a = await startTestGateway("pglite", { seedScale: 0.02, env });
      const config = loadConfig({ NODE_ENV: "test", RATE_LIMIT_BUDGET: "1000000000", ...env });
      const b = await buildServer(config, {
        db: { ...a.db, close: async () => {} },
        logger: pino({ level: "silent" }),
        fieldLimits: {},
      });
      const admin = await a.tokenFor(a.users.admin);
      try {
        const product = await a.db.prisma.product.findFirstOrThrow({ where: { status: "ACTIVE", deletedAt: null } });
        const page = async (instance: Instance) =>
          (await call<Page>(instance, productPage, { slug: product.slug })).data?.product?.priceCents;
        const fromCache = async (instance: Instance) => {
          await page(instance);
          a.db.statements.reset();
          await page(instance);
          return a.db.statements.count === 0;
        };
        await vi.waitFor(async () => expect((await fromCache(a.gateway)) && (await fromCache(b))).toBe(true), {
          timeout: 5_000,
        });

        await redis.kill();
        await vi.waitFor(() => expect(a.gateway.redis?.isReady() || b.redis?.isReady()).toBe(false), {
          timeout: 5_000,
        });
        const updated = await call<{ updateProduct: { userErrors: unknown[] } }>(
          a.gateway,
          updatePrice,
          { id: product.id, input: { priceCents: product.priceCents + 7 } },
          admin,
        );
        expect(updated.errors).toBeUndefined();
        expect(updated.data?.updateProduct.userErrors).toEqual([]);
        // Both read the database now, the instance that wrote and the one that could not hear of it.
        expect(await page(a.gateway)).toBe(product.priceCents + 7);
        expect(await page(b)).toBe(product.priceCents + 7);
        expect(await fromCache(b)).toBe(false);

        await redis.start();
        await vi.waitFor(async () => expect(await fromCache(b)).toBe(true), { timeout: 10_000, interval: 100 });
        expect(await page(a.gateway)).toBe(product.priceCents + 7);
        expect(await page(b)).toBe(product.priceCents + 7);
      } finally {
        await b.close();
        await a.close();
        await redis.kill();
      }
    }, 30_000);
  },
);

describe("HTTP caching of GET persisted queries (pglite)", () => {
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await startTestGateway("pglite", { seedScale: 0.02, env: cacheOn });
  });
  afterAll(() => gw?.close());

  /** Registers the document (APQ), then asks for it by GET, as a CDN-fronted client would. */
  const persistedGet = async (query: string, headers: Record<string, string> = {}) => {
    const hash = sha256Hex(query);
    const extensions = { persistedQuery: { version: 1, sha256Hash: hash } };
    await gw.gateway.app.inject({
      method: "POST",
      url: "/graphql",
      headers: { "content-type": "application/json", ...headers },
      payload: JSON.stringify({ query, extensions }),
    });
    return gw.gateway.app.inject({
      method: "GET",
      url: `/graphql?extensions=${encodeURIComponent(JSON.stringify(extensions))}`,
      headers: { "apollo-require-preflight": "true", ...headers },
    });
  };

  it("answers a public one with Cache-Control public, an ETag, and 304 when the client's copy is current", async () => {
    const query = "query CategoryNames { categories { name } }";
    const response = await persistedGet(query);
    expect(response.statusCode).toBe(200);
    expect(response.headers["cache-control"]).toMatch(/^public, max-age=\d+$/);
    expect(Number(String(response.headers["cache-control"]).split("=")[1])).toBeLessThanOrEqual(30);
    const etag = String(response.headers.etag);
    expect(etag).toMatch(/^W\/".+"$/);

    const again = await persistedGet(query, { "if-none-match": etag });
    expect(again.statusCode).toBe(304);
    expect(again.body).toBe("");
    expect(again.headers.etag).toBe(etag);
    const stale = await persistedGet(query, { "if-none-match": 'W/"something-else"' });
    expect(stale.statusCode).toBe(200);
    expect(stale.json().data.categories.length).toBeGreaterThan(0);
  });

  it("answers a private one with Cache-Control private, no-store and no ETag", async () => {
    const token = await gw.tokenFor(gw.users.alice);
    const response = await persistedGet("query Me { me { name } }", { authorization: `Bearer ${token}` });
    expect(response.statusCode).toBe(200);
    expect(response.json().data.me.name).toBeTruthy();
    expect(response.headers["cache-control"]).toBe("private, no-store");
    expect(response.headers.etag).toBeUndefined();
  });
});
