// The write API under real concurrency, through GraphQL: many requests in flight at once against one
// database. On PostgreSQL (TEST_DATABASE_URL) they run in parallel on a pool of connections, which is
// where lost updates and overselling would show; PGlite has one connection and runs the same suite as a
// check of the logic.
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { backends } from "../helpers/database.js";
import { startTestGateway, type TestGateway } from "../helpers/gateway.js";
import type { Payload } from "../helpers/mutations.js";

const CUSTOMERS = 50;
const STOCK = 20;
/** Enough connections for every transaction in flight to hold one (PostgreSQL allows 100 by default). */
const POOL_SIZE = 25;

type Customer = { id: string; role: "USER"; addressId: string };
type Response<Fields> = { errors?: unknown[]; data?: Record<string, Payload<Fields>> | null };

const placeOrder = `mutation($input: PlaceOrderInput!) {
  placeOrder(input: $input) { order { id totalCents items { quantity unitPriceCents } } userErrors { field code message } }
}`;
const cancelOrder = `mutation($id: ID!) { cancelOrder(id: $id) { order { id status } userErrors { code } } }`;

/** The payload of a one-field response; any GraphQL error (a timeout, a deadlock, a 500) fails the test. */
function payloadOf<Fields>(response: Response<Fields>): Payload<Fields> {
  expect(response.errors, JSON.stringify(response.errors)).toBeUndefined();
  const [payload] = Object.values(response.data ?? {});
  if (!payload) throw new Error(`no payload: ${JSON.stringify(response)}`);
  return payload;
}

for (const backend of backends) {
  describe.skipIf(backend.skip)(`concurrent writes (${backend.name})`, () => {
    let gw: TestGateway;
    let customers: Customer[];
    let categoryId: string;
    let serial = 0;

    beforeAll(async () => {
      gw = await startTestGateway(backend.kind, {
        poolSize: POOL_SIZE,
        // Field rate limits (10 checkouts a minute per customer) are tested elsewhere; here they would
        // only turn some of the deliberate bursts away before they reach the database.
        serverDeps: { fieldLimits: {} },
      });
      const users = await gw.db.prisma.user.createManyAndReturn({
        data: Array.from({ length: CUSTOMERS }, (_, i) => ({
          email: `buyer${i}-${backend.kind}@example.com`,
          username: `buyer_${i}_${backend.kind}`,
          name: `Buyer ${i}`,
          passwordHash: "x",
        })),
      });
      const addresses = await gw.db.prisma.address.createManyAndReturn({
        data: users.map((user) => ({
          userId: user.id,
          recipient: user.name,
          line1: "1 Queue Street",
          city: "Racetown",
          postalCode: "10001",
          country: "US",
          isDefault: true,
        })),
      });
      const addressByUser = new Map(addresses.map((address) => [address.userId, address.id]));
      customers = users.map((user) => ({ id: user.id, role: "USER", addressId: addressByUser.get(user.id) as string }));
      categoryId = (await gw.db.prisma.category.findFirstOrThrow()).id;
    });
    afterAll(() => gw?.close());

    const newProduct = (stock: number, priceCents: number) =>
      gw.db.prisma.product.create({
        data: {
          name: "Limited edition",
          slug: `limited-${backend.kind}-${++serial}`,
          priceCents,
          stock,
          status: "ACTIVE",
          categoryId,
        },
      });
    const checkout = (customer: Customer, productId: string, quantity = 1, idempotencyKey = randomUUID()) =>
      gw.graphql(placeOrder, {
        as: customer,
        variables: { input: { items: [{ productId, quantity }], addressId: customer.addressId, idempotencyKey } },
      }) as Promise<Response<{ order: { id: string; totalCents: number } | null }>>;

    it(`${CUSTOMERS} concurrent checkouts for ${STOCK} units: exactly ${STOCK} orders, the rest OUT_OF_STOCK`, async ({
      annotate,
    }) => {
      const product = await newProduct(STOCK, 2599);
      const started = performance.now();
      const payloads = (await Promise.all(customers.map((customer) => checkout(customer, product.id)))).map(payloadOf);
      const elapsed = Math.round(performance.now() - started);

      const placed = payloads.flatMap((payload) => (payload.order ? [payload.order] : []));
      const refused = payloads.filter((payload) => payload.order === null);
      expect(placed).toHaveLength(STOCK);
      expect(refused).toHaveLength(CUSTOMERS - STOCK);
      for (const payload of refused) {
        expect(payload.userErrors).toEqual([
          {
            field: ["input", "items", "0", "quantity"],
            code: "OUT_OF_STOCK",
            message: "This product is out of stock.",
          },
        ]);
      }
      expect(placed.every((order) => order.totalCents === 2599)).toBe(true);

      // The database agrees: stock at zero (never below), one item of one unit per order, totals consistent.
      expect((await gw.db.prisma.product.findUniqueOrThrow({ where: { id: product.id } })).stock).toBe(0);
      const items = await gw.db.prisma.orderItem.findMany({
        where: { productId: product.id },
        include: { order: true },
      });
      expect(items).toHaveLength(STOCK);
      expect(new Set(items.map((item) => item.orderId)).size).toBe(STOCK);
      expect(items.every((item) => item.quantity === 1 && item.unitPriceCents === 2599)).toBe(true);
      expect(items.every((item) => item.order.totalCents === item.quantity * item.unitPriceCents)).toBe(true);
      expect(new Set(items.map((item) => item.order.userId)).size).toBe(STOCK);
      const negative = await gw.db.prisma.product.count({ where: { stock: { lt: 0 } } });
      expect(negative).toBe(0);
      await annotate(
        `${CUSTOMERS} checkouts in ${elapsed} ms (${backend.name}): ${placed.length} placed, ${refused.length} out of stock`,
      );
    });

    it("concurrent cancellations put the stock back exactly once per order", async ({ annotate }) => {
      const product = await newProduct(STOCK, 1000);
      const buyers = customers.slice(0, STOCK);
      const orders = (await Promise.all(buyers.map((customer) => checkout(customer, product.id)))).map(
        (response) => payloadOf(response).order?.id as string,
      );
      expect((await gw.db.prisma.product.findUniqueOrThrow({ where: { id: product.id } })).stock).toBe(0);

      // Every order cancelled three times at once: twice by its customer, once by an admin.
      const attempts = orders.flatMap((id, i) => {
        const owner = buyers[i] as Customer;
        return [owner, owner, gw.users.admin].map((as) => ({ id, as }));
      });
      const started = performance.now();
      const payloads = (
        await Promise.all(
          attempts.map(
            ({ id, as }) =>
              gw.graphql(cancelOrder, { as, variables: { id } }) as Promise<
                Response<{ order: { status: string } | null }>
              >,
          ),
        )
      ).map(payloadOf);
      const elapsed = Math.round(performance.now() - started);

      const succeeded = payloads.filter((payload) => payload.order?.status === "CANCELLED");
      expect(succeeded).toHaveLength(STOCK);
      const codes = payloads.filter((payload) => payload.order === null).map((payload) => payload.userErrors[0]?.code);
      expect(codes).toEqual(Array(2 * STOCK).fill("INVALID_TRANSITION"));
      expect((await gw.db.prisma.product.findUniqueOrThrow({ where: { id: product.id } })).stock).toBe(STOCK);
      await annotate(`${attempts.length} cancellations of ${STOCK} orders in ${elapsed} ms: stock back to ${STOCK}`);
    });

    it("ten identical checkouts with one idempotency key make one order", async () => {
      const product = await newProduct(STOCK, 1500);
      const customer = customers[0] as Customer;
      const key = randomUUID();
      const payloads = (
        await Promise.all(Array.from({ length: 10 }, () => checkout(customer, product.id, 2, key)))
      ).map(payloadOf);
      const ids = new Set(payloads.map((payload) => payload.order?.id));
      expect(payloads.every((payload) => payload.userErrors.length === 0)).toBe(true);
      expect(ids.size).toBe(1);
      expect([...ids][0]).toBeTypeOf("string");
      expect(await gw.db.prisma.order.count({ where: { userId: customer.id, idempotencyKey: key } })).toBe(1);
      expect((await gw.db.prisma.product.findUniqueOrThrow({ where: { id: product.id } })).stock).toBe(STOCK - 2);
    });

    it("concurrent view counts lose no increment", async ({ annotate }) => {
      const post = await gw.db.prisma.post.findFirstOrThrow({ where: { status: "PUBLISHED" } });
      const started = performance.now();
      const payloads = (
        await Promise.all(
          Array.from({ length: CUSTOMERS }, (_, i) =>
            gw.graphql(`mutation($id: ID!) { recordPostView(id: $id) { post { viewCount } userErrors { code } } }`, {
              // Half anonymous, half signed in.
              as: i % 2 === 0 ? undefined : customers[i],
              variables: { id: post.id },
            }),
          ),
        )
      ).map((response) =>
        payloadOf<{ post: { viewCount: number } }>(response as Response<{ post: { viewCount: number } }>),
      );
      const elapsed = Math.round(performance.now() - started);
      expect(payloads.every((payload) => payload.userErrors.length === 0)).toBe(true);
      // Each response saw its own increment: the counts returned are all different.
      expect(new Set(payloads.map((payload) => payload.post.viewCount)).size).toBe(CUSTOMERS);
      const after = await gw.db.prisma.post.findUniqueOrThrow({ where: { id: post.id } });
      expect(after.viewCount).toBe(post.viewCount + CUSTOMERS);
      await annotate(`${CUSTOMERS} view increments in ${elapsed} ms: ${post.viewCount} → ${after.viewCount}`);
    });

    it("concurrent reviews of one product keep its rating and count exact", async () => {
      const product = await newProduct(1, 100);
      const reviewers = customers.slice(0, 30);
      const payloads = (
        await Promise.all(
          reviewers.map((customer, i) =>
            gw.graphql(
              `mutation($input: CreateReviewInput!) { createReview(input: $input) { review { id } userErrors { code } } }`,
              {
                as: customer,
                variables: { input: { productId: product.id, rating: (i % 5) + 1, body: `Review ${i}` } },
              },
            ),
          ),
        )
      ).map((response) =>
        payloadOf<{ review: { id: string } | null }>(response as Response<{ review: { id: string } | null }>),
      );
      expect(payloads.every((payload) => payload.userErrors.length === 0)).toBe(true);
      const row = await gw.db.prisma.product.findUniqueOrThrow({ where: { id: product.id } });
      const ratings = reviewers.map((_, i) => (i % 5) + 1);
      expect(row.reviewCount).toBe(reviewers.length);
      expect(row.averageRating).toBeCloseTo(ratings.reduce((a, b) => a + b, 0) / ratings.length, 10);
    });

    it("two opposite category moves at once never make a cycle", async () => {
      const create = (name: string) =>
        gw.graphql<{ createCategory: { category: { id: string } } }>(
          `mutation($input: CreateCategoryInput!) { createCategory(input: $input) { category { id } } }`,
          { as: gw.users.admin, variables: { input: { name, slug: `${name}-${backend.kind}-${++serial}` } } },
        );
      for (let round = 0; round < 5; round++) {
        const [a, b] = await Promise.all([create("east"), create("west")]);
        const aId = a.data?.createCategory.category.id as string;
        const bId = b.data?.createCategory.category.id as string;
        const move = (id: string, parentId: string) =>
          gw.graphql(
            `mutation($id: ID!, $parentId: ID!) { updateCategory(id: $id, input: { parentId: $parentId }) { category { id } userErrors { code } } }`,
            { as: gw.users.admin, variables: { id, parentId } },
          ) as Promise<Response<{ category: { id: string } | null }>>;
        const results = (await Promise.all([move(aId, bId), move(bId, aId)])).map(payloadOf);
        expect(results.map((result) => result.userErrors[0]?.code ?? "OK").sort()).toEqual(["CYCLE", "OK"]);
        const rows = await gw.db.prisma.category.findMany({ where: { id: { in: [aId, bId] } } });
        const roots = rows.filter((row) => row.parentId === null);
        expect(roots).toHaveLength(1);
        const child = rows.find((row) => row.parentId !== null);
        expect(child?.path).toBe(`${roots[0]?.path}/${child?.id}`);
      }
    });
  });
}
