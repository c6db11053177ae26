// GraphQL subscriptions over WebSocket (README, "Subscriptions"), driven with graphql-ws's own client:
// events after the causing mutation, authorization per subscriber and per event, the session ending the
// connection, resumption after a dropped connection, the limits, shutdown, and delivery across two
// gateway processes sharing Redis.
import { generateKeyPairSync, randomUUID } from "node:crypto";
import { type Client, createClient } from "graphql-ws";
import { calculateJwkThumbprint, exportJWK, SignJWT } from "jose";
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { WebSocket } from "ws";
import { backends, postgresSkipReason } from "../helpers/database.js";
import { startTestGateway, type TestGateway } from "../helpers/gateway.js";
import { type GatewayProcess, startGatewayProcess } from "../helpers/gateway-processes.js";
import { mutate } from "../helpers/mutations.js";
import { deleteKeys, redisSkipReason, redisUrl, uniqueKeyPrefix } from "../helpers/redis.js";

type Event = {
  data?: Record<string, unknown> | null;
  errors?: { message: string; extensions?: Record<string, unknown> }[];
};

/** One subscription: what it received, and a way to wait for the next. */
type Subscription = {
  events: Event[];
  /** Resolves with the n-th event (1-based) once it has arrived. */
  event(n: number): Promise<Event>;
  /** The errors that ended it, if it failed (refused when subscribing, or by its \`subscribe\`). */
  failure: Promise<unknown>;
  dispose(): void;
};

type Connection = { client: Client; closed: Promise<{ code: number; reason: string }> };

function connect(url: string, token?: string): Connection {
  let closedWith: (event: { code: number; reason: string }) => void = () => {};
  const closed = new Promise<{ code: number; reason: string }>((resolve) => {
    closedWith = resolve;
  });
  const client = createClient({
    url,
    webSocketImpl: WebSocket,
    retryAttempts: 0,
    lazy: false,
    connectionParams: token ? { authorization: `Bearer ${token}` } : {},
    // The tests read close codes from `closed`; without this the client also reports them on stderr.
    onNonLazyError: () => {},
    on: {
      closed: (event) => {
        const { code, reason } = event as { code: number; reason: string };
        closedWith({ code, reason: String(reason) });
      },
    },
  });
  return { client, closed };
}

function subscribe(connection: Connection, query: string, variables: Record<string, unknown> = {}): Subscription {
  const events: Event[] = [];
  const waiting: { n: number; resolve: (event: Event) => void }[] = [];
  let fail: (error: unknown) => void = () => {};
  const failure = new Promise<unknown>((resolve) => {
    fail = resolve;
  });
  const dispose = connection.client.subscribe(
    { query, variables },
    {
      next: (event) => {
        // A result with errors and no data: refused by the field's `subscribe`, or an event denied whole.
        if (event.errors && !event.data) fail(event.errors);
        events.push(event as Event);
        for (const waiter of [...waiting]) {
          const arrived = events[waiter.n - 1];
          if (arrived) {
            waiting.splice(waiting.indexOf(waiter), 1);
            waiter.resolve(arrived);
          }
        }
      },
      error: (error) => fail(error),
      complete: () => {},
    },
  );
  return {
    events,
    failure,
    dispose,
    event: (n) =>
      new Promise((resolve) => {
        const arrived = events[n - 1];
        if (arrived) resolve(arrived);
        else waiting.push({ n, resolve });
      }),
  };
}

/** graphql-ws acknowledges no subscription: wait until the gateway's event bus has this many listening. */
async function listening(gw: TestGateway, subscribers: number) {
  await vi.waitFor(() => expect(gw.gateway.events.subscribers).toBe(subscribers), { timeout: 20_000, interval: 50 });
}

/** The cursor just before a row's change (the format is opaque to clients; the test knows it). */
const cursorBefore = (at: Date, id: string) => Buffer.from(`${at.getTime() - 1}:${id}`).toString("base64url");

const orderUpdated = `subscription Orders($id: ID, $after: String) {
  orderUpdated(id: $id, after: $after) { cursor order { id status user { id } } }
}`;
const placeOrder = `mutation Place($input: PlaceOrderInput!) {
  placeOrder(input: $input) { order { id status } userErrors { code message } }
}`;
const setStatus = `mutation Status($id: ID!, $status: OrderStatus!) {
  updateOrderStatus(id: $id, status: $status) { order { id status } userErrors { code } }
}`;

type OrderEventData = { orderUpdated: { cursor: string; order: { id: string; status: string; user: { id: string } } } };

for (const backend of backends) {
  describe.skipIf(backend.skip)(`subscriptions (${backend.name})`, () => {
    let gw: TestGateway;
    let url: string;
    let product: { id: string };
    const addresses: Record<string, string> = {};

    beforeAll(async () => {
      gw = await startTestGateway(backend.kind, {
        seedScale: 0.02,
        env: {
          SUBSCRIPTION_MAX_PER_CONNECTION: "3",
          SUBSCRIPTION_MAX_CONNECTIONS_PER_USER: "3",
          SUBSCRIPTION_INIT_TIMEOUT_MS: "300",
          SUBSCRIPTION_MAX_MESSAGE_BYTES: "4096",
          SUBSCRIPTION_MAX_BUFFERED_BYTES: "65536",
          QUERY_MAX_DEPTH: "6",
        },
      });
      const address = await gw.gateway.app.listen({ host: "127.0.0.1", port: 0 });
      url = `${address.replace(/^http/, "ws")}/graphql`;
      const [onSale] = await gw.db.prisma.product.findMany({
        where: { status: "ACTIVE", deletedAt: null, stock: { gt: 100 } },
        take: 1,
      });
      if (!onSale) throw new Error("seed has no product with stock");
      product = onSale;
      for (const name of ["alice", "bob"] as const) {
        const address = await gw.db.prisma.address.findFirst({ where: { userId: gw.users[name].id } });
        if (!address) throw new Error(`seed has no address for ${name}`);
        addresses[name] = address.id;
      }
    });
    afterAll(() => gw?.close());
    // Each test counts its own subscribers: the previous test's are gone first.
    beforeEach(() => listening(gw, 0));

    const order = (name: "alice" | "bob") =>
      mutate<{ order: { id: string; status: string } }>(gw, placeOrder, {
        as: gw.users[name],
        variables: {
          input: {
            addressId: addresses[name],
            idempotencyKey: randomUUID(),
            items: [{ productId: product.id, quantity: 1 }],
          },
        },
      });

    it("delivers the caller's order changes after each mutation, and never another customer's", async () => {
      const alice = connect(url, await gw.tokenFor(gw.users.alice));
      const bob = connect(url, await gw.tokenFor(gw.users.bob));
      const alicesOrders = subscribe(alice, orderUpdated);
      const bobsOrders = subscribe(bob, orderUpdated);
      await listening(gw, 2);

      const placed = await order("alice");
      const first = (await alicesOrders.event(1)).data as OrderEventData;
      expect(first.orderUpdated.order).toMatchObject({ id: placed.order.id, status: "PENDING" });
      await mutate(gw, setStatus, { as: gw.users.admin, variables: { id: placed.order.id, status: "PAID" } });
      expect(((await alicesOrders.event(2)).data as OrderEventData).orderUpdated.order.status).toBe("PAID");

      // Bob's first event is his own order: alice's two changes, published before it, never reached him.
      const bobs = await order("bob");
      const bobFirst = (await bobsOrders.event(1)).data as OrderEventData;
      expect(bobFirst.orderUpdated.order.id).toBe(bobs.order.id);
      expect(bobsOrders.events).toHaveLength(1);

      // Nor by id: another customer's order is refused like one that does not exist.
      const byId = subscribe(bob, orderUpdated, { id: placed.order.id });
      expect(JSON.stringify(await byId.failure)).toContain("NOT_FOUND");
      alice.client.dispose();
      bob.client.dispose();
    });

    it("refuses anonymous order subscriptions, and queries or mutations over WebSocket", async () => {
      const anonymous = connect(url);
      expect(JSON.stringify(await subscribe(anonymous, orderUpdated).failure)).toContain("UNAUTHENTICATED");
      const query = subscribe(anonymous, "query { __typename }");
      expect(JSON.stringify(await query.failure)).toContain("BAD_REQUEST");
      anonymous.client.dispose();
    });

    it("resolves each event through the permission rules: a field the subscriber may not see is null with an error", async () => {
      const unreviewed = await gw.db.prisma.product.findFirst({
        where: { status: "ACTIVE", deletedAt: null, reviews: { none: { authorId: gw.users.bob.id } } },
      });
      if (!unreviewed) throw new Error("seed has no product bob did not review");
      const anonymous = connect(url);
      const reviews = subscribe(
        anonymous,
        `subscription($productId: ID!) { reviewAdded(productId: $productId) { review { rating author { name email } } } }`,
        { productId: unreviewed.id },
      );
      await listening(gw, 1);
      const written = await mutate(
        gw,
        `mutation($input: CreateReviewInput!) { createReview(input: $input) { review { id } userErrors { code } } }`,
        { as: gw.users.bob, variables: { input: { productId: unreviewed.id, rating: 4, body: "Sturdy and quiet." } } },
      );
      expect(written.userErrors).toEqual([]);
      const event = await reviews.event(1);
      expect(event.data).toMatchObject({ reviewAdded: { review: { rating: 4, author: { email: null } } } });
      expect(event.errors?.map((error) => error.extensions?.code)).toEqual(["UNAUTHENTICATED"]);
      expect(event.errors?.[0]?.extensions?.requestId).toEqual(expect.any(String));
      anonymous.client.dispose();
    });

    it("replays the changes missed while disconnected, each exactly once, then goes on live", async () => {
      const token = await gw.tokenFor(gw.users.alice);
      const first = connect(url, token);
      const live = subscribe(first, orderUpdated);
      await listening(gw, 1);
      const placed = await order("alice");
      const seen = (await live.event(1)).data as OrderEventData;
      first.client.dispose();

      // Missed: two changes of that order (the replay brings its state after both) and a new order.
      await mutate(gw, setStatus, { as: gw.users.admin, variables: { id: placed.order.id, status: "PAID" } });
      await mutate(gw, setStatus, { as: gw.users.admin, variables: { id: placed.order.id, status: "SHIPPED" } });
      const another = await order("alice");

      const second = connect(url, token);
      const resumed = subscribe(second, orderUpdated, { after: seen.orderUpdated.cursor });
      const replayed = await Promise.all([resumed.event(1), resumed.event(2)]);
      expect(replayed.map((event) => (event.data as OrderEventData).orderUpdated.order)).toEqual([
        expect.objectContaining({ id: placed.order.id, status: "SHIPPED" }),
        expect.objectContaining({ id: another.order.id, status: "PENDING" }),
      ]);
      await mutate(gw, setStatus, { as: gw.users.admin, variables: { id: placed.order.id, status: "DELIVERED" } });
      const next = (await resumed.event(3)).data as OrderEventData;
      expect(next.orderUpdated.order).toMatchObject({ id: placed.order.id, status: "DELIVERED" });
      expect(resumed.events).toHaveLength(3);

      // A cursor that is not one, or older than the window, is refused with what to do instead.
      const bad = subscribe(second, orderUpdated, { after: "not-a-cursor" });
      expect(JSON.stringify(await bad.failure)).toContain("BAD_USER_INPUT");
      second.client.dispose();
    });

    it("closes the connection with 4401 when the session is revoked", async () => {
      const sessionId = randomUUID();
      const { token } = await gw.gateway.tokens.sign({ ...gw.users.alice, sessionId });
      const alice = connect(url, token);
      subscribe(alice, orderUpdated);
      await listening(gw, 1);
      await gw.gateway.revocations.revoke([sessionId]);
      expect((await alice.closed).code).toBe(4401);
      // And a revoked or invalid token cannot connect again.
      const again = connect(url, token);
      subscribe(again, orderUpdated);
      expect((await again.closed).code).toBe(4401);
      const forged = connect(url, `${token.slice(0, -4)}AAAA`);
      subscribe(forged, orderUpdated);
      expect((await forged.closed).code).toBe(4401);
    });

    it("drops a client that stops reading once more than the bound waits for it", async () => {
      const raw = new WebSocket(url, "graphql-transport-ws");
      await new Promise((resolve) => raw.once("open", resolve));
      raw.send(JSON.stringify({ type: "connection_init" }));
      await new Promise((resolve) => raw.once("message", resolve));
      raw.send(
        JSON.stringify({
          id: "1",
          type: "subscribe",
          payload: { query: "subscription { postPublished { post { body } } }" },
        }),
      );
      await listening(gw, 1);
      // From here on the client reads nothing: the kernel's buffers fill, then the gateway's.
      (raw as unknown as { _socket: { pause(): void } })._socket.pause();
      const { post } = await mutate<{ post: { id: string } }>(
        gw,
        `mutation($input: CreatePostInput!) { createPost(input: $input) { post { id } userErrors { code } } }`,
        {
          as: gw.users.bob,
          variables: { input: { title: "Long read", slug: `long-read-${randomUUID()}`, body: "x".repeat(60_000) } },
        },
      );
      const dropped = () => gw.logs.some((line) => line.msg === "subscription client too slow; dropping it");
      for (let i = 0; i < 200 && !dropped(); i++) {
        const variables = { id: post.id };
        await mutate(gw, "mutation($id: ID!) { publishPost(id: $id) { userErrors { code } } }", {
          as: gw.users.bob,
          variables,
        });
        await mutate(gw, "mutation($id: ID!) { unpublishPost(id: $id) { userErrors { code } } }", {
          as: gw.users.bob,
          variables,
        });
      }
      expect(dropped()).toBe(true);
      raw.terminate();
    });

    it("enforces the limits: subscriptions per connection, connections per user, depth, init timeout, message size", async () => {
      const token = await gw.tokenFor(gw.users.bob);
      const bob = connect(url, token);
      const products = "subscription($id: ID!) { productUpdated(id: $id) { cursor } }";
      for (let i = 0; i < 3; i++) subscribe(bob, products, { id: product.id });
      const fourth = subscribe(bob, products, { id: product.id });
      expect(JSON.stringify(await fourth.failure)).toContain("TOO_MANY_SUBSCRIPTIONS");

      const deep = subscribe(
        connect(url),
        `subscription($id: ID!) { productUpdated(id: $id) { product { category { products(first: 1) { edges { node { category { products(first: 1) { edges { node { id } } } } } } } } } } }`,
        { id: product.id },
      );
      expect(JSON.stringify(await deep.failure)).toMatch(/QUERY_TOO_COMPLEX|GRAPHQL_VALIDATION_FAILED/);

      const more = [connect(url, token), connect(url, token)];
      for (const connection of more) subscribe(connection, products, { id: product.id });
      await listening(gw, 5);
      const tooMany = connect(url, token);
      subscribe(tooMany, products, { id: product.id });
      expect((await tooMany.closed).code).toBe(4430);

      // No connection_init: closed when the init timeout passes.
      const silent = new WebSocket(url, "graphql-transport-ws");
      const [silentCode] = await new Promise<[number]>((resolve) => silent.once("close", (code) => resolve([code])));
      expect(silentCode).toBe(4408);

      // A message beyond the size limit closes with 1009.
      const big = new WebSocket(url, "graphql-transport-ws");
      await new Promise((resolve) => big.once("open", resolve));
      big.send(JSON.stringify({ type: "connection_init", payload: { padding: "x".repeat(8_000) } }));
      const [bigCode] = await new Promise<[number]>((resolve) => big.once("close", (code) => resolve([code])));
      expect(bigCode).toBe(1009);
      bob.client.dispose();
      for (const connection of more) connection.client.dispose();
    });
  });
}

describe.skipIf(backends[0]?.skip)("subscriptions, the access token's expiry and connections per address", () => {
  it("closes the connection with 4401 when the token expires; refuses a connection over the address's limit", async () => {
    const { privateKey, publicKey } = generateKeyPairSync("ed25519");
    const pem = privateKey.export({ type: "pkcs8", format: "pem" }).toString();
    const gw = await startTestGateway(backends[0]?.kind ?? "pglite", {
      seedScale: 0.01,
      env: { JWT_PRIVATE_KEY: pem, SUBSCRIPTION_MAX_CONNECTIONS_PER_ADDRESS: "1" },
    });
    try {
      const address = await gw.gateway.app.listen({ host: "127.0.0.1", port: 0 });
      // A token of the gateway's own key, as it would mint it, but living two seconds.
      const kid = await calculateJwkThumbprint(await exportJWK(publicKey));
      const now = Math.floor(Date.now() / 1000);
      const token = await new SignJWT({ role: "USER", sid: randomUUID() })
        .setProtectedHeader({ alg: "EdDSA", kid, typ: "at+jwt" })
        .setIssuer("graphql-gateway")
        .setAudience("graphql-gateway-clients")
        .setSubject(gw.users.alice.id)
        .setJti(randomUUID())
        .setIssuedAt(now)
        .setExpirationTime(now + 2)
        .sign(privateKey);
      const alice = connect(`${address.replace(/^http/, "ws")}/graphql`, token);
      const orders = subscribe(alice, orderUpdated);
      await listening(gw, 1);
      // A second connection from the same address, while alice's is open.
      const second = connect(`${address.replace(/^http/, "ws")}/graphql`);
      expect((await second.closed).code).toBe(4430);
      const closed = await alice.closed;
      expect(closed).toEqual({ code: 4401, reason: "Access token expired" });
      expect(orders.events).toEqual([]);
    } finally {
      await gw.close();
    }
  });
});

describe.skipIf(backends[0]?.skip)("subscriptions at shutdown", () => {
  it("counts connections in /metrics, and closes WebSockets with 1001 once the HTTP requests in flight are answered", async () => {
    const metricsToken = "m".repeat(40);
    const gw = await startTestGateway(backends[0]?.kind ?? "pglite", {
      seedScale: 0.01,
      env: { METRICS_TOKEN: metricsToken },
    });
    const address = await gw.gateway.app.listen({ host: "127.0.0.1", port: 0 });
    const [product] = await gw.db.prisma.product.findMany({ where: { status: "ACTIVE", deletedAt: null }, take: 1 });
    const client = connect(`${address.replace(/^http/, "ws")}/graphql`);
    subscribe(client, "subscription($id: ID!) { productUpdated(id: $id) { cursor } }", { id: product?.id });
    await listening(gw, 1);
    const scrape = await gw.gateway.app.inject({
      url: "/metrics",
      headers: { authorization: `Bearer ${metricsToken}` },
    });
    expect(scrape.body).toMatch(/^gateway_websocket_connections 1$/m);
    expect(scrape.body).toMatch(/^gateway_subscriptions 1$/m);
    await gw.close();
    expect((await client.closed).code).toBe(1001);
  });
});

// Two gateway processes over one database and one Redis: an event caused on one reaches a subscriber of
// the other.
const crossProcessSkip = postgresSkipReason ?? redisSkipReason;
describe.skipIf(crossProcessSkip)(
  `subscriptions across processes${crossProcessSkip ? ` (${crossProcessSkip})` : ""}`,
  () => {
    let gw: TestGateway;
    let other: GatewayProcess;
    const keyPrefix = uniqueKeyPrefix();

    beforeAll(async () => {
      const env = { REDIS_URL: redisUrl as string, REDIS_KEY_PREFIX: keyPrefix };
      gw = await startTestGateway("postgres", { seedScale: 0.01, env });
      other = await startGatewayProcess({ ...env, DATABASE_URL: gw.db.url as string, LOG_LEVEL: "warn" });
    }, 120_000);
    afterAll(async () => {
      await other?.stop();
      await gw?.close();
      if (redisUrl) await deleteKeys(redisUrl, keyPrefix);
    });

    it("delivers an event caused on one instance to a subscriber of the other", async () => {
      const [seeded] = await gw.db.prisma.product.findMany({ where: { status: "ACTIVE", deletedAt: null }, take: 1 });
      if (!seeded) throw new Error("no product");
      // Changed now, so that its change lies inside the resumption window.
      const product = await gw.db.prisma.product.update({
        where: { id: seeded.id },
        data: { stock: { increment: 1 } },
      });
      const watcher = connect(`${other.url.replace(/^http/, "ws")}/graphql`);
      // Resuming from just before the product's last change: its replay (event 1) shows the subscription
      // listens, on the other process, before the write below.
      const updates = subscribe(
        watcher,
        "subscription($id: ID!, $after: String) { productUpdated(id: $id, after: $after) { product { priceCents } } }",
        { id: product.id, after: cursorBefore(product.updatedAt, product.id) },
      );
      expect((await updates.event(1)).data).toEqual({
        productUpdated: { product: { priceCents: product.priceCents } },
      });
      await mutate(
        gw,
        `mutation($id: ID!, $input: UpdateProductInput!) { updateProduct(id: $id, input: $input) { product { id } userErrors { code } } }`,
        { as: gw.users.admin, variables: { id: product.id, input: { priceCents: product.priceCents + 101 } } },
      );
      expect((await updates.event(2)).data).toEqual({
        productUpdated: { product: { priceCents: product.priceCents + 101 } },
      });
      watcher.client.dispose();
    });
  },
);
