// The scale-out path on real engines (README, "Deploying"): three gateway processes behind HAProxy, each
// reaching PostgreSQL through PgBouncer in transaction mode and sharing one Redis Cluster of three masters.
// Budgets, field limits, persisted queries, cache invalidation and subscriptions behave as one gateway; a
// gateway killed mid-traffic loses no acknowledged write, and the balancer routes around it. (The read
// replica has a test of its own, read-replica.test.ts; every Redis user on the cluster, redis-cluster.test.ts.)
import { generateKeyPairSync, randomUUID } from "node:crypto";
import { createClient } from "graphql-ws";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { WebSocket } from "ws";
import { SEED_ACCOUNTS, SEED_PASSWORD, seedDatabase } from "../../src/seed/index.js";
import { createTestDatabase, postgresSkipReason, postgresUrl, type TestDatabase } from "../helpers/database.js";
import { type GatewayProcess, startGatewayProcess } from "../helpers/gateway-processes.js";
import { uniqueKeyPrefix } from "../helpers/redis.js";
import { type OwnRedisCluster, redisClusterSkipReason, startRedisCluster } from "../helpers/redis-cluster.js";
import { type Engine, scaleOutSkipReason, startHaproxy, startPgBouncer } from "../helpers/scale-out.js";

const skipReason =
  [postgresSkipReason, redisClusterSkipReason, scaleOutSkipReason].filter(Boolean).join("; ") || undefined;
const title = skipReason
  ? `scale-out (skipped: ${skipReason})`
  : "scale-out: HAProxy, three gateways, PgBouncer, Redis Cluster";

type Answer<Data> = { status: number; data?: Data | null; errors?: { extensions?: { code?: string } }[] };

describe.skipIf(skipReason !== undefined)(title, () => {
  let db: TestDatabase;
  let bouncer: Engine;
  let balancer: Engine;
  let redisCluster: OwnRedisCluster;
  const gateways: GatewayProcess[] = [];
  const keyPrefix = uniqueKeyPrefix();
  let api = "";
  const tokens: Record<"admin" | "alice" | "bob", string> = { admin: "", alice: "", bob: "" };
  const budget = 2_000;

  async function post<Data>(body: object, token?: string, headers: Record<string, string> = {}) {
    const response = await fetch(api, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...headers,
      },
      body: JSON.stringify(body),
    });
    const text = await response.text();
    const json = (text.startsWith("{") ? JSON.parse(text) : {}) as Omit<Answer<Data>, "status">;
    return { status: response.status, ...json } as Answer<Data>;
  }

  /** Which instance answered each request: the request ids each gateway logged (once all are logged). */
  async function answeredBy(requestIds: string[]) {
    const counts = () =>
      gateways.map(
        (gateway) =>
          gateway.logs.filter((line) => line.msg === "request completed" && requestIds.includes(String(line.requestId)))
            .length,
      );
    const deadline = Date.now() + 5_000;
    while (counts().reduce((sum, count) => sum + count, 0) < requestIds.length && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    return counts();
  }

  beforeAll(async () => {
    db = await createTestDatabase("postgres");
    [redisCluster] = await Promise.all([startRedisCluster(), seedDatabase(db.prisma, { scale: 0.02 })]);
    bouncer = await startPgBouncer(postgresUrl as string);
    const throughBouncer = new URL(db.url as string);
    throughBouncer.host = `127.0.0.1:${bouncer.port}`;
    const env = {
      NODE_ENV: "test",
      LOG_LEVEL: "info",
      DATABASE_URL: throughBouncer.toString(),
      // PgBouncer 1.18 in transaction mode: no named prepared statements, no statement_timeout on connect.
      DATABASE_PREPARED_STATEMENTS: "false",
      DATABASE_STATEMENT_TIMEOUT_MS: "0",
      REDIS_URL: redisCluster.url,
      REDIS_CLUSTER: "true",
      REDIS_KEY_PREFIX: keyPrefix,
      // One signing key, as a deployment configures it: a token minted by one instance is good on all.
      JWT_PRIVATE_KEY: generateKeyPairSync("ed25519").privateKey.export({ type: "pkcs8", format: "pem" }).toString(),
      RESPONSE_CACHE: "true",
      RATE_LIMIT_BUDGET: String(budget),
      RATE_LIMIT_RESTORE_RATE: "1",
    };
    gateways.push(...(await Promise.all([1, 2, 3].map(() => startGatewayProcess(env)))));
    balancer = await startHaproxy(gateways.map((gateway) => gateway.url));
    api = `http://127.0.0.1:${balancer.port}/graphql`;
    for (const name of ["admin", "alice", "bob"] as const) {
      const { data } = await post<{ login: { accessToken: string } }>({
        query:
          "mutation($email: String!, $password: String!) { login(input: { email: $email, password: $password }) { accessToken } }",
        variables: { email: SEED_ACCOUNTS[name].email, password: SEED_PASSWORD },
      });
      tokens[name] = data?.login.accessToken ?? "";
    }
  }, 180_000);

  afterAll(async () => {
    await balancer?.stop();
    await Promise.all(gateways.map((gateway) => gateway.stop()));
    await bouncer?.stop();
    await db?.close();
    await redisCluster?.stop();
  });

  it("signs in through the balancer on every instance, and spreads requests over all three", async () => {
    expect(Object.values(tokens).every((token) => token.length > 0)).toBe(true);
    const ids = Array.from({ length: 12 }, () => randomUUID());
    for (const id of ids) {
      const answer = await post({ query: "{ me { id } }" }, tokens.alice, { "x-request-id": id });
      expect(answer.errors).toBeUndefined();
    }
    const counts = await answeredBy(ids);
    expect(counts.reduce((sum, count) => sum + count, 0)).toBe(12);
    expect(
      counts.every((count) => count > 0),
      String(counts),
    ).toBe(true);
  });

  it("charges one budget and one field limit per caller, whichever instance answers", async () => {
    // Private data (bob's orders): never answered from the shared cache, so every request pays in full.
    const query = "{ me { orders(first: 100) { edges { node { id items { quantity product { name } } } } } } }";
    const started = Date.now();
    const answers: Answer<unknown>[] = [];
    for (let i = 0; i < 60; i++) answers.push(await post({ query }, tokens.bob));
    const seconds = (Date.now() - started) / 1000;
    const charged = (answer: Answer<unknown>) =>
      (answer as { extensions?: { cost?: { requestedQueryCost: number } } }).extensions?.cost?.requestedQueryCost ?? 0;
    const admitted = answers.filter((answer) => answer.status === 200 && !answer.errors);
    const refused = answers.filter((answer) => answer.errors?.[0]?.extensions?.code === "RATE_LIMITED");
    expect(admitted.length + refused.length).toBe(60);
    expect(refused.length).toBeGreaterThan(0);
    // Three budgets, one per instance, would have let about three times as much through.
    const spent = admitted.reduce((sum, answer) => sum + charged(answer), 0);
    expect(spent).toBeLessThanOrEqual(budget + seconds * 1);

    // placeOrder: 10 a minute per caller (the field-limit table), counted in Redis across the instances.
    const product = await db.prisma.product.findFirstOrThrow({ where: { status: "ACTIVE", deletedAt: null } });
    await db.prisma.product.update({ where: { id: product.id }, data: { stock: 1_000_000 } });
    const address = await db.prisma.address.findFirstOrThrow({ where: { user: { username: "alice" } } });
    const place = `mutation($input: PlaceOrderInput!) { placeOrder(input: $input) { order { id } userErrors { code } } }`;
    const orders: Answer<{ placeOrder: { order: { id: string } | null } }>[] = [];
    for (let i = 0; i < 13; i++) {
      const input = {
        addressId: address.id,
        idempotencyKey: randomUUID(),
        items: [{ productId: product.id, quantity: 1 }],
      };
      orders.push(await post({ query: place, variables: { input } }, tokens.alice));
    }
    const placed = orders.filter((answer) => answer.data?.placeOrder.order?.id).length;
    expect(placed).toBe(10);
    expect(orders.slice(10).map((answer) => answer.errors?.[0]?.extensions?.code)).toEqual(
      Array(3).fill("RATE_LIMITED"),
    );
  });

  it("registers a persisted query on one instance and serves its hash from all", async () => {
    const query = "{ products(first: 3) { edges { node { name } } } }";
    const { createHash } = await import("node:crypto");
    const sha256Hash = createHash("sha256").update(query).digest("hex");
    const persisted = { extensions: { persistedQuery: { version: 1, sha256Hash } } };
    expect((await post(persisted)).errors?.[0]?.extensions?.code).toBe("PERSISTED_QUERY_NOT_FOUND");
    expect((await post({ query, ...persisted })).errors).toBeUndefined();
    const ids = Array.from({ length: 6 }, () => randomUUID());
    for (const id of ids) {
      const answer = await post(persisted, undefined, { "x-request-id": id });
      expect(answer.errors).toBeUndefined();
    }
    const counts = await answeredBy(ids);
    expect(
      counts.every((count) => count > 0),
      String(counts),
    ).toBe(true);
  });

  it("shows a write at once on every instance (cache invalidation) and delivers its event across instances", async () => {
    const product = await db.prisma.product.update({
      where: { id: (await db.prisma.product.findFirstOrThrow({ where: { status: "ACTIVE", deletedAt: null } })).id },
      data: { stock: { increment: 1 } },
    });
    const page = `query Page($slug: String!) { product(slug: $slug) { priceCents } }`;
    for (let i = 0; i < 3; i++) await post({ query: page, variables: { slug: product.slug } });

    // A subscriber on whichever instance the balancer gives the WebSocket; resuming from just before the
    // product's last change, so its first event (the replay) shows it listens before the writes.
    const events: number[] = [];
    const first = new Promise<void>((resolve) => {
      const client = createClient({ url: api.replace(/^http/, "ws"), webSocketImpl: WebSocket, retryAttempts: 0 });
      client.subscribe(
        {
          query:
            "subscription($id: ID!, $after: String) { productUpdated(id: $id, after: $after) { product { priceCents } } }",
          variables: {
            id: product.id,
            after: Buffer.from(`${product.updatedAt.getTime() - 1}:${product.id}`).toString("base64url"),
          },
        },
        {
          next: (event) => {
            events.push(
              (event.data as { productUpdated: { product: { priceCents: number } } }).productUpdated.product.priceCents,
            );
            resolve();
          },
          error: () => {},
          complete: () => {},
        },
      );
      afterAllClients.push(client);
    });
    await first;

    const update = `mutation($id: ID!, $input: UpdateProductInput!) { updateProduct(id: $id, input: $input) { userErrors { code } } }`;
    for (let round = 1; round <= 3; round++) {
      const price = product.priceCents + round;
      expect(
        (await post({ query: update, variables: { id: product.id, input: { priceCents: price } } }, tokens.admin))
          .errors,
      ).toBeUndefined();
      // Three reads: one on each instance, every one the new price.
      for (let i = 0; i < 3; i++) {
        const answer = await post<{ product: { priceCents: number } }>({
          query: page,
          variables: { slug: product.slug },
        });
        expect(answer.data?.product.priceCents).toBe(price);
      }
    }
    const deadline = Date.now() + 10_000;
    while (events.length < 4 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
    expect(events).toEqual([
      product.priceCents,
      product.priceCents + 1,
      product.priceCents + 2,
      product.priceCents + 3,
    ]);
    // The cache, whose scripts need it, is in one hash slot; the rest (budgets, field limits, persisted
    // queries) spreads over the masters.
    const cacheKeys = await redisCluster.keysByMaster(`{${keyPrefix}cache}*`);
    expect(cacheKeys.filter((keys) => keys.length > 0)).toHaveLength(1);
    const otherKeys = await redisCluster.keysByMaster(`${keyPrefix}*`);
    expect(otherKeys.filter((keys) => keys.length > 0).length, String(otherKeys)).toBeGreaterThan(1);
  });

  const afterAllClients: { dispose(): void }[] = [];
  afterAll(() => {
    for (const client of afterAllClients) client.dispose();
  });

  it("loses no acknowledged write when a gateway is killed mid-traffic, and routes around it", async () => {
    const create = `mutation($input: CreatePostInput!) { createPost(input: $input) { post { id } userErrors { code } } }`;
    const acknowledged: string[] = [];
    const failures: string[] = [];
    const write = async () => {
      const slug = `scale-${randomUUID()}`;
      const answer = await post<{ createPost: { post: { id: string } | null } }>(
        { query: create, variables: { input: { title: "Scale-out", slug, body: "Written while a gateway dies." } } },
        tokens.admin,
      ).catch((error: unknown) => ({ status: 0, errors: [{ extensions: { code: String(error) } }] }) as Answer<never>);
      const id = answer.data?.createPost.post?.id;
      if (answer.status === 200 && id) acknowledged.push(id);
      else failures.push(`${answer.status} ${JSON.stringify(answer.errors?.[0]?.extensions ?? null)}`);
    };
    const batch = () => Promise.all([write(), write(), write()]);

    for (let i = 0; i < 10; i++) await batch();
    (gateways[1] as GatewayProcess).child.kill("SIGKILL");
    for (let i = 0; i < 10; i++) await batch();
    const failedAfterKill = failures.length;
    // Once the balancer has seen it fail its checks, nothing fails any more.
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    for (let i = 0; i < 5; i++) await batch();
    expect(failures.length, failures.join("\n")).toBe(failedAfterKill);

    // Every acknowledged write is in the database (read directly, not through PgBouncer).
    const stored = await db.prisma.post.findMany({ where: { id: { in: acknowledged } }, select: { id: true } });
    expect(stored).toHaveLength(acknowledged.length);
    // Only requests in flight on the killed instance may have failed (a connection refused is retried
    // elsewhere by the balancer): at most one batch.
    expect(failures.length, failures.join("\n")).toBeLessThanOrEqual(3);
    expect(acknowledged.length + failures.length).toBe(75);
  });
});
