// Checkout and the order life cycle: server-side prices and totals, all-or-nothing stock, idempotent
// retries, and status changes only along the allowed transitions (cancelling puts stock back).
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { backends } from "../helpers/database.js";
import { startTestGateway, type TestGateway } from "../helpers/gateway.js";
import { errorCode, mutate, problems } from "../helpers/mutations.js";

type OrderNode = {
  id: string;
  status: string;
  totalCents: number;
  currency: string;
  shippingAddress: Record<string, string | null>;
  items: { quantity: number; unitPriceCents: number; lineTotalCents: number; product: { id: string; stock: number } }[];
};

const orderFields = `id status totalCents currency
  shippingAddress { recipient line1 line2 city region postalCode country }
  items { quantity unitPriceCents lineTotalCents product { id stock } }`;
const placeOrder = `mutation($input: PlaceOrderInput!) {
  placeOrder(input: $input) { order { ${orderFields} } userErrors { field code message } }
}`;
const cancelOrder = `mutation($id: ID!) { cancelOrder(id: $id) { order { id status } userErrors { field code message } } }`;
const updateStatus = `mutation($id: ID!, $status: OrderStatus!) {
  updateOrderStatus(id: $id, status: $status) { order { id status } userErrors { field code message } }
}`;

for (const backend of backends) {
  describe.skipIf(backend.skip)(`order mutations (${backend.name})`, () => {
    let gw: TestGateway;
    let categoryId: string;
    let serial = 0;

    beforeAll(async () => {
      // Checkout is rate limited per customer (10 a minute); these tests place more than that.
      gw = await startTestGateway(backend.kind, { serverDeps: { fieldLimits: {} } });
      categoryId = (await gw.db.prisma.category.findFirstOrThrow()).id;
    });
    afterAll(() => gw?.close());

    const newProduct = (stock: number, priceCents: number, extra: Record<string, unknown> = {}) =>
      gw.db.prisma.product.create({
        data: {
          name: "Widget",
          slug: `widget-${backend.kind}-${++serial}`,
          priceCents,
          stock,
          status: "ACTIVE",
          categoryId,
          ...extra,
        },
      });
    const stockOf = async (id: string) => (await gw.db.prisma.product.findUniqueOrThrow({ where: { id } })).stock;
    const addressOf = (userId: string) => gw.db.prisma.address.findFirstOrThrow({ where: { userId } });
    const order = async (
      as: TestGateway["users"]["alice"],
      items: { productId: string; quantity: number }[],
      extra: Record<string, unknown> = {},
    ) => {
      const addressId = (await addressOf(as.id)).id;
      return mutate<{ order: OrderNode | null }>(gw, placeOrder, {
        as,
        variables: { input: { items, addressId, idempotencyKey: randomUUID(), ...extra } },
      });
    };

    describe("placeOrder", () => {
      it("prices from the database, computes the total, takes the stock and copies the address", async () => {
        const { alice } = gw.users;
        const mug = await newProduct(10, 1250);
        const pot = await newProduct(5, 3999);
        const address = await addressOf(alice.id);
        const payload = await order(alice, [
          { productId: mug.id, quantity: 3 },
          { productId: pot.id, quantity: 1 },
        ]);
        expect(payload.userErrors).toEqual([]);
        expect(payload.order).toMatchObject({
          status: "PENDING",
          currency: "USD",
          totalCents: 3 * 1250 + 3999,
          shippingAddress: {
            recipient: address.recipient,
            line1: address.line1,
            line2: address.line2,
            city: address.city,
            region: address.region,
            postalCode: address.postalCode,
            country: address.country,
          },
          items: [
            { quantity: 3, unitPriceCents: 1250, lineTotalCents: 3750, product: { id: mug.id, stock: 7 } },
            { quantity: 1, unitPriceCents: 3999, lineTotalCents: 3999, product: { id: pot.id, stock: 4 } },
          ],
        });
        expect(await stockOf(mug.id)).toBe(7);
        expect(await stockOf(pot.id)).toBe(4);

        // The snapshot stays as it was when the address book changes later.
        await gw.db.prisma.address.update({ where: { id: address.id }, data: { city: "Elsewhere" } });
        const later = await gw.graphql<{ order: OrderNode }>(
          `query($id: ID!) { order(id: $id) { shippingAddress { city } } }`,
          { as: alice, variables: { id: payload.order?.id } },
        );
        expect(later.data?.order.shippingAddress.city).toBe(address.city);
        await gw.db.prisma.address.update({ where: { id: address.id }, data: { city: address.city } });
      });

      it("has no input field for prices, totals or status: the client cannot set them", async () => {
        const mug = await newProduct(10, 1250);
        const address = await addressOf(gw.users.alice.id);
        const response = await gw.graphql(placeOrder, {
          as: gw.users.alice,
          variables: {
            input: {
              items: [{ productId: mug.id, quantity: 1, unitPriceCents: 1 }],
              addressId: address.id,
              idempotencyKey: randomUUID(),
              totalCents: 1,
            },
          },
        });
        expect(response.errors?.[0]?.extensions.code).toBe("BAD_USER_INPUT"); // unknown input fields
        expect(await stockOf(mug.id)).toBe(10);
      });

      it("is all or nothing: one line out of stock leaves every product's stock untouched", async () => {
        const { alice } = gw.users;
        const plenty = await newProduct(10, 100);
        const scarce = await newProduct(2, 100);
        const soldOut = await newProduct(0, 100);
        const before = await gw.db.prisma.order.count();
        const payload = await order(alice, [
          { productId: plenty.id, quantity: 5 },
          { productId: scarce.id, quantity: 3 },
          { productId: soldOut.id, quantity: 1 },
        ]);
        expect(payload.order).toBeNull();
        expect(payload.userErrors).toEqual([
          { field: ["input", "items", "1", "quantity"], code: "OUT_OF_STOCK", message: "Only 2 left in stock." },
          {
            field: ["input", "items", "2", "quantity"],
            code: "OUT_OF_STOCK",
            message: "This product is out of stock.",
          },
        ]);
        expect([await stockOf(plenty.id), await stockOf(scarce.id), await stockOf(soldOut.id)]).toEqual([10, 2, 0]);
        expect(await gw.db.prisma.order.count()).toBe(before);
      });

      it("refuses products not on sale and addresses that are not the caller's", async () => {
        const { alice, bob } = gw.users;
        const draft = await newProduct(5, 100, { status: "DRAFT" });
        const deleted = await newProduct(5, 100, { deletedAt: new Date() });
        const payload = await order(alice, [
          { productId: draft.id, quantity: 1 },
          { productId: deleted.id, quantity: 1 },
          { productId: "00000000-0000-4000-8000-000000000000", quantity: 1 },
        ]);
        expect(problems(payload)).toEqual([
          "input.items.0.productId: NOT_FOUND",
          "input.items.1.productId: NOT_FOUND",
          "input.items.2.productId: NOT_FOUND",
        ]);
        const mug = await newProduct(5, 100);
        const bobsAddress = await addressOf(bob.id);
        const wrongAddress = await order(alice, [{ productId: mug.id, quantity: 1 }], { addressId: bobsAddress.id });
        expect(problems(wrongAddress)).toEqual(["input.addressId: NOT_FOUND"]);
        expect(await stockOf(mug.id)).toBe(5);
      });

      it("validates lines, quantities, list size and the idempotency key", async () => {
        const { alice } = gw.users;
        const mug = await newProduct(5, 100);
        expect(problems(await order(alice, []))).toEqual(["input.items: REQUIRED"]);
        const lines = Array.from({ length: 51 }, () => ({ productId: randomUUID(), quantity: 1 }));
        expect(problems(await order(alice, lines))).toEqual(["input.items: TOO_MANY"]);
        const invalid = await order(
          alice,
          [
            { productId: mug.id, quantity: 0 },
            { productId: mug.id.toUpperCase(), quantity: 101 },
            { productId: "nope", quantity: 1 },
          ],
          { idempotencyKey: "short", addressId: "x" },
        );
        expect(problems(invalid)).toEqual([
          "input.items: INVALID_FORMAT", // the same product twice
          "input.items.0.quantity: OUT_OF_RANGE",
          "input.items.1.quantity: OUT_OF_RANGE",
          "input.items.2.productId: INVALID_FORMAT",
          "input.addressId: INVALID_FORMAT",
          "input.idempotencyKey: INVALID_FORMAT",
        ]);
        expect(
          await errorCode(gw, placeOrder, { variables: { input: { items: [], addressId: "x", idempotencyKey: "y" } } }),
        ).toBe("UNAUTHENTICATED");
      });

      it("refuses a basket priced in several currencies and a total beyond the Int range", async () => {
        const { alice } = gw.users;
        const dollars = await newProduct(5, 100);
        const euros = await newProduct(5, 100, { currency: "EUR" });
        const mixed = await order(alice, [
          { productId: dollars.id, quantity: 1 },
          { productId: euros.id, quantity: 1 },
        ]);
        expect(problems(mixed)).toEqual(["input.items: CONFLICT"]);
        const jewels = await Promise.all([newProduct(500, 100_000_000), newProduct(500, 100_000_000)]);
        const huge = await order(
          alice,
          jewels.map((product) => ({ productId: product.id, quantity: 20 })),
        );
        expect(problems(huge)).toEqual(["input.items: OUT_OF_RANGE"]);
        expect(await stockOf(dollars.id)).toBe(5);
        expect(await stockOf(jewels[0]?.id ?? "")).toBe(500);
      });

      it("returns the same order for a retried idempotency key, and refuses the key for another basket", async () => {
        const { alice, bob } = gw.users;
        const mug = await newProduct(10, 700);
        const key = randomUUID();
        const first = await order(alice, [{ productId: mug.id, quantity: 2 }], { idempotencyKey: key });
        const retry = await order(alice, [{ productId: mug.id, quantity: 2 }], { idempotencyKey: key });
        expect(retry.order?.id).toBe(first.order?.id);
        expect(await stockOf(mug.id)).toBe(8);
        expect(await gw.db.prisma.order.count({ where: { idempotencyKey: key, userId: alice.id } })).toBe(1);

        const other = await gw.graphql(placeOrder, {
          as: alice,
          variables: {
            input: {
              items: [{ productId: mug.id, quantity: 3 }],
              addressId: (await addressOf(alice.id)).id,
              idempotencyKey: key,
            },
          },
        });
        expect(other.errors?.[0]?.extensions).toMatchObject({ code: "CONFLICT", field: "input.idempotencyKey" });
        expect(await stockOf(mug.id)).toBe(8);

        // Keys are per customer: bob's order with the same key is his own.
        const bobs = await order(bob, [{ productId: mug.id, quantity: 2 }], { idempotencyKey: key });
        expect(bobs.order?.id).not.toBe(first.order?.id);
        expect(await stockOf(mug.id)).toBe(6);
      });
    });

    describe("cancelOrder and updateOrderStatus", () => {
      const placed = async (quantity = 2) => {
        const product = await newProduct(10, 500);
        const payload = await order(gw.users.alice, [{ productId: product.id, quantity }]);
        if (!payload.order) throw new Error(JSON.stringify(payload.userErrors));
        return { orderId: payload.order.id, productId: product.id };
      };
      const status = (id: string) => gw.db.prisma.order.findUniqueOrThrow({ where: { id } }).then((o) => o.status);

      it("lets the customer cancel a PENDING order, putting the stock back once", async () => {
        const { alice, bob } = gw.users;
        const { orderId, productId } = await placed(3);
        expect(await stockOf(productId)).toBe(7);
        expect(problems(await mutate(gw, cancelOrder, { as: bob, variables: { id: orderId } }))).toEqual([
          "id: NOT_FOUND",
        ]);
        const cancelled = await mutate<{ order: { status: string } }>(gw, cancelOrder, {
          as: alice,
          variables: { id: orderId },
        });
        expect(cancelled.order.status).toBe("CANCELLED");
        expect(await stockOf(productId)).toBe(10);
        const again = await mutate(gw, cancelOrder, { as: alice, variables: { id: orderId } });
        expect(problems(again)).toEqual(["id: INVALID_TRANSITION"]);
        expect(await stockOf(productId)).toBe(10);
        expect(await errorCode(gw, cancelOrder, { variables: { id: orderId } })).toBe("UNAUTHENTICATED");
      });

      it("lets only admins cancel a PAID order", async () => {
        const { alice, admin } = gw.users;
        const { orderId, productId } = await placed(4);
        expect(
          (await mutate(gw, updateStatus, { as: admin, variables: { id: orderId, status: "PAID" } })).userErrors,
        ).toEqual([]);
        expect(problems(await mutate(gw, cancelOrder, { as: alice, variables: { id: orderId } }))).toEqual([
          "id: INVALID_TRANSITION",
        ]);
        expect(await stockOf(productId)).toBe(6);
        const cancelled = await mutate<{ order: { status: string } }>(gw, cancelOrder, {
          as: admin,
          variables: { id: orderId },
        });
        expect(cancelled.order.status).toBe("CANCELLED");
        expect(await stockOf(productId)).toBe(10);
      });

      it("moves an order only along PENDING → PAID → SHIPPED → DELIVERED", async () => {
        const { admin, alice } = gw.users;
        const { orderId, productId } = await placed();
        const move = (to: string) => mutate(gw, updateStatus, { as: admin, variables: { id: orderId, status: to } });
        expect(problems(await move("SHIPPED"))).toEqual(["status: INVALID_TRANSITION"]);
        expect(problems(await move("PENDING"))).toEqual(["status: INVALID_TRANSITION"]);
        for (const to of ["PAID", "SHIPPED", "DELIVERED"]) {
          expect((await move(to)).userErrors).toEqual([]);
          expect(await status(orderId)).toBe(to);
        }
        expect(problems(await move("CANCELLED"))).toEqual(["status: INVALID_TRANSITION"]);
        expect(problems(await move("DELIVERED"))).toEqual(["status: INVALID_TRANSITION"]);
        expect(await stockOf(productId)).toBe(8);
        expect(await errorCode(gw, updateStatus, { as: alice, variables: { id: orderId, status: "PAID" } })).toBe(
          "FORBIDDEN",
        );
        const unknown = await mutate(gw, updateStatus, {
          as: admin,
          variables: { id: "00000000-0000-4000-8000-000000000000", status: "PAID" },
        });
        expect(problems(unknown)).toEqual(["id: NOT_FOUND"]);
      });

      it("cancels through updateOrderStatus too, putting the stock back", async () => {
        const { orderId, productId } = await placed(5);
        const payload = await mutate<{ order: { status: string } }>(gw, updateStatus, {
          as: gw.users.admin,
          variables: { id: orderId, status: "CANCELLED" },
        });
        expect(payload.order.status).toBe("CANCELLED");
        expect(await stockOf(productId)).toBe(10);
      });

      it("shows the order in the customer's list right after placing it (no stale page)", async () => {
        const product = await newProduct(3, 100);
        const address = await addressOf(gw.users.alice.id);
        const response = await gw.graphql<{
          placeOrder: { order: { id: string; user: { orders: { edges: { node: { id: string } }[] } } } };
        }>(
          `mutation($input: PlaceOrderInput!) {
            placeOrder(input: $input) { order { id user { orders(first: 1) { edges { node { id } } } } } }
          }`,
          {
            as: gw.users.alice,
            variables: {
              input: {
                items: [{ productId: product.id, quantity: 1 }],
                addressId: address.id,
                idempotencyKey: randomUUID(),
              },
            },
          },
        );
        expect(response.errors).toBeUndefined();
        const placedOrder = response.data?.placeOrder.order;
        expect(placedOrder?.user.orders.edges[0]?.node.id).toBe(placedOrder?.id);
      });
    });
  });
}
