// Orders and their items, bought at the products' current prices and shipped to the buyers' addresses.
import type { Prisma } from "../generated/prisma/client.js";
import { DAY, HOUR, NOW } from "./constants.js";
import type { GenProduct } from "./products.js";
import { type Random, upperBound } from "./random.js";
import type { GenAddress, GenUser } from "./users.js";

export function generateOrders(
  rng: Random,
  total: number,
  users: readonly GenUser[],
  addressesByUser: readonly GenAddress[][],
  products: readonly GenProduct[],
): { orders: Prisma.OrderCreateManyInput[]; orderItems: Prisma.OrderItemCreateManyInput[] } {
  // Only what can be bought today, at today's price (unitPriceCents is the product's current price).
  const purchasable = products.filter((p) => p.status === "ACTIVE" && p.deletedMs === null);
  const firstOnSaleMs = purchasable[0]?.createdMs ?? NOW - DAY;
  const orders: Prisma.OrderCreateManyInput[] = [];
  const orderItems: Prisma.OrderItemCreateManyInput[] = [];
  for (let o = 0; o < total && purchasable.length > 0; o++) {
    // alice's first three and bob's first order are guaranteed; after that, long-standing customers buy more.
    const userIndex = o < 3 ? 1 : o === 3 ? 2 : Math.floor(users.length * rng.next() ** 1.4);
    const user = users[userIndex] as GenUser;
    const addresses = addressesByUser[userIndex] ?? [];
    const startMs = Math.max(user.createdMs, firstOnSaleMs) + HOUR;
    // Business grows, so recent months see more orders than early ones.
    const createdMs = NOW - HOUR - Math.floor((NOW - HOUR - startMs) * rng.next() ** 1.8);
    // Products on sale by then form a prefix of `purchasable`, which is sorted by creation time.
    const onSale = Math.max(1, upperBound(purchasable, createdMs));
    const itemCount = Math.min(
      onSale,
      rng.weighted([
        [1, 50],
        [2, 30],
        [3, 15],
        [4, 5],
      ]),
    );
    const chosen = new Set<number>();
    while (chosen.size < itemCount) chosen.add(rng.int(0, onSale - 1));
    const id = rng.uuidV7(createdMs);
    let totalCents = 0;
    for (const index of chosen) {
      const product = purchasable[index] as GenProduct;
      const quantity = rng.weighted([
        [1, 70],
        [2, 20],
        [3, 10],
      ]);
      totalCents += quantity * product.priceCents;
      orderItems.push({
        id: rng.uuidV7(createdMs),
        orderId: id,
        productId: product.id,
        quantity,
        unitPriceCents: product.priceCents,
        createdAt: new Date(createdMs),
      });
    }
    const ageDays = (NOW - createdMs) / DAY;
    const status =
      ageDays > 30
        ? rng.weighted<OrderStatusName>([
            ["DELIVERED", 88],
            ["CANCELLED", 12],
          ])
        : ageDays > 7
          ? rng.weighted<OrderStatusName>([
              ["DELIVERED", 50],
              ["SHIPPED", 30],
              ["PAID", 5],
              ["PENDING", 5],
              ["CANCELLED", 10],
            ])
          : rng.weighted<OrderStatusName>([
              ["PENDING", 30],
              ["PAID", 35],
              ["SHIPPED", 25],
              ["CANCELLED", 10],
            ]);
    const updatedMs = status === "PENDING" ? createdMs : Math.min(NOW, createdMs + rng.between(HOUR, 10 * DAY));
    const second = addresses[1];
    const { createdMs: _, ...address } = (
      second && second.createdMs < createdMs && rng.chance(0.3) ? second : addresses[0]
    ) as GenAddress;
    orders.push({
      id,
      userId: user.id,
      status,
      totalCents,
      currency: "USD",
      shippingAddress: address,
      createdAt: new Date(createdMs),
      updatedAt: new Date(updatedMs),
    });
  }
  return { orders, orderItems };
}

type OrderStatusName = "PENDING" | "PAID" | "SHIPPED" | "DELIVERED" | "CANCELLED";
