// The demo seed on each backend (PGlite always, PostgreSQL with TEST_DATABASE_URL): the same rows every run,
// denormalised columns that agree with the rows they summarise, and a second call that never duplicates.
import * as argon2 from "argon2";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { PrismaClient } from "../../src/generated/prisma/client.js";
import {
  DEMO_SLUGS,
  SEED_ACCOUNTS,
  SEED_NOW,
  SEED_PASSWORD,
  type SeedSummary,
  seedDatabase,
} from "../../src/seed/index.js";
import { backends, createTestDatabase, type TestDatabase } from "../helpers/database.js";

/** Rows that break an invariant; every consistency query below returns the offenders, expected to be none. */
async function count(query: Promise<{ n: number }[]>): Promise<number> {
  const [row] = await query;
  return row?.n ?? Number.NaN;
}

const SCALE = 0.05;

for (const backend of backends) {
  describe.skipIf(backend.skip)(`seedDatabase on ${backend.name}`, () => {
    let first: TestDatabase;
    let second: TestDatabase;
    let firstSummary: SeedSummary;
    let secondSummary: SeedSummary;
    let prisma: PrismaClient;

    beforeAll(async () => {
      [first, second] = await Promise.all([createTestDatabase(backend.kind), createTestDatabase(backend.kind)]);
      firstSummary = await seedDatabase(first.prisma, { scale: SCALE });
      secondSummary = await seedDatabase(second.prisma, { scale: SCALE });
      prisma = first.prisma;
    });

    afterAll(async () => {
      await Promise.all([first?.close(), second?.close()]);
    });

    it("writes every table, scaled down", () => {
      expect(firstSummary.seeded).toBe(true);
      const { counts } = firstSummary;
      expect(counts.users).toBe(15);
      expect(counts.categories).toBe(44);
      expect(counts.products).toBe(150);
      expect(counts.orders).toBe(75);
      expect(counts.posts).toBe(30);
      expect(counts.reviews).toBeGreaterThan(500);
      expect(counts.addresses).toBeGreaterThanOrEqual(counts.users);
      expect(counts.orderItems).toBeGreaterThanOrEqual(counts.orders);
    });

    it("reports what is actually in the database", async () => {
      const actual = {
        users: await prisma.user.count(),
        addresses: await prisma.address.count(),
        categories: await prisma.category.count(),
        products: await prisma.product.count(),
        reviews: await prisma.review.count(),
        orders: await prisma.order.count(),
        orderItems: await prisma.orderItem.count(),
        posts: await prisma.post.count(),
      };
      expect(actual).toEqual(firstSummary.counts);
    });

    describe("determinism", () => {
      it("writes identical rows, ids included, into two fresh databases", async () => {
        expect(secondSummary.counts).toEqual(firstSummary.counts);
        const sample = (db: TestDatabase) =>
          Promise.all([
            db.prisma.product.findMany({ orderBy: { id: "asc" }, take: 20 }),
            db.prisma.user.findMany({ orderBy: { id: "asc" }, take: 20 }),
            db.prisma.review.findMany({ orderBy: { id: "asc" }, take: 20 }),
            db.prisma.order.findMany({
              orderBy: { id: "asc" },
              take: 20,
              include: { items: { orderBy: { id: "asc" } } },
            }),
            db.prisma.category.findMany({ orderBy: { id: "asc" } }),
            db.prisma.post.findMany({ orderBy: { id: "asc" }, take: 20 }),
          ]);
        const [a, b] = await Promise.all([sample(first), sample(second)]);
        expect(a[0]).toHaveLength(20);
        expect(b).toEqual(a);
      });

      it("stamps every row with a time before SEED_NOW", async () => {
        const [row] = await prisma.$queryRaw<{ latest: Date }[]>`
          SELECT greatest(
            (SELECT max(greatest("createdAt", "updatedAt")) FROM users),
            (SELECT max(greatest("createdAt", "updatedAt")) FROM addresses),
            (SELECT max(greatest("createdAt", "updatedAt")) FROM categories),
            (SELECT max(greatest("createdAt", "updatedAt", "deletedAt")) FROM products),
            (SELECT max(greatest("createdAt", "updatedAt")) FROM reviews),
            (SELECT max(greatest("createdAt", "updatedAt")) FROM orders),
            (SELECT max("createdAt") FROM order_items),
            (SELECT max(greatest("createdAt", "updatedAt", "publishedAt")) FROM posts)
          ) AS latest`;
        expect(row?.latest.getTime()).toBeLessThanOrEqual(SEED_NOW.getTime());
      });
    });

    describe("consistency", () => {
      it("keeps each product's reviewCount and averageRating equal to its reviews", async () => {
        const offenders = await count(prisma.$queryRaw`
          SELECT count(*)::int AS n
          FROM products p
          LEFT JOIN (
            SELECT "productId", count(*)::int AS c, avg(rating)::float8 AS a FROM reviews GROUP BY "productId"
          ) r ON r."productId" = p.id
          WHERE p."reviewCount" <> coalesce(r.c, 0) OR abs(p."averageRating" - coalesce(r.a, 0)) > 1e-9`);
        expect(offenders).toBe(0);
        expect(await prisma.product.count({ where: { reviewCount: { gt: 0 } } })).toBeGreaterThan(50);
      });

      it("gives drafts no reviews and skews ratings positive", async () => {
        expect(await prisma.review.count({ where: { product: { status: "DRAFT" } } })).toBe(0);
        const positive = await prisma.review.count({ where: { rating: { gte: 4 } } });
        expect(positive / firstSummary.counts.reviews).toBeGreaterThan(0.6);
      });

      it("makes each order's total the sum of its 1-4 items, priced at the product's price", async () => {
        const badTotals = await count(prisma.$queryRaw`
          SELECT count(*)::int AS n
          FROM orders o
          LEFT JOIN (
            SELECT "orderId", sum(quantity * "unitPriceCents")::int AS s, count(*)::int AS c
            FROM order_items GROUP BY "orderId"
          ) i ON i."orderId" = o.id
          WHERE i.s IS NULL OR o."totalCents" <> i.s OR i.c NOT BETWEEN 1 AND 4`);
        expect(badTotals).toBe(0);
        const badPrices = await count(prisma.$queryRaw`
          SELECT count(*)::int AS n
          FROM order_items oi JOIN products p ON p.id = oi."productId"
          WHERE oi."unitPriceCents" <> p."priceCents"`);
        expect(badPrices).toBe(0);
      });

      it("snapshots one of the buyer's own addresses on each order", async () => {
        const offenders = await count(prisma.$queryRaw`
          SELECT count(*)::int AS n
          FROM orders o
          WHERE NOT EXISTS (
            SELECT 1 FROM addresses a
            WHERE a."userId" = o."userId"
              AND a.line1 = o."shippingAddress"->>'line1'
              AND a."postalCode" = o."shippingAddress"->>'postalCode'
              AND a.country = o."shippingAddress"->>'country'
          )`);
        expect(offenders).toBe(0);
      });

      it("builds category paths from the parent's path and a tree three levels deep", async () => {
        const offenders = await count(prisma.$queryRaw`
          SELECT count(*)::int AS n
          FROM categories c
          LEFT JOIN categories parent ON parent.id = c."parentId"
          WHERE (c."parentId" IS NULL AND c.path <> c.id::text)
             OR (c."parentId" IS NOT NULL AND c.path <> parent.path || '/' || c.id::text)`);
        expect(offenders).toBe(0);
        const [depth] = await prisma.$queryRaw<{ max: number }[]>`
          SELECT max(array_length(string_to_array(path, '/'), 1))::int AS max FROM categories`;
        expect(depth?.max).toBe(3);
        // Products hang off leaves only.
        expect(await prisma.product.count({ where: { category: { children: { some: {} } } } })).toBe(0);
      });

      it("gives every user exactly one default address and lower-case e-mail", async () => {
        const offenders = await count(prisma.$queryRaw`
          SELECT count(*)::int AS n
          FROM users u
          WHERE u.email <> lower(u.email)
             OR (SELECT count(*) FROM addresses a WHERE a."userId" = u.id AND a."isDefault") <> 1`);
        expect(offenders).toBe(0);
      });

      it("publishes posts with a publishedAt and leaves drafts without one", async () => {
        expect(await prisma.post.count({ where: { status: "PUBLISHED", publishedAt: null } })).toBe(0);
        expect(await prisma.post.count({ where: { status: "DRAFT", publishedAt: { not: null } } })).toBe(0);
        expect(await prisma.post.count({ where: { status: "DRAFT" } })).toBeGreaterThan(0);
      });
    });

    describe("fixed accounts", () => {
      it("creates admin, alice and bob, sharing the documented argon2id password", async () => {
        const users = await prisma.user.findMany({
          where: { email: { in: Object.values(SEED_ACCOUNTS).map((a) => a.email) } },
          orderBy: { createdAt: "asc" },
        });
        expect(users.map((u) => [u.username, u.role])).toEqual([
          ["admin", "ADMIN"],
          ["alice", "USER"],
          ["bob", "USER"],
        ]);
        const alice = users[1];
        expect(alice?.passwordHash).toMatch(/^\$argon2id\$v=19\$m=19456,p=1,t=2\$/);
        expect(await argon2.verify(alice?.passwordHash ?? "", SEED_PASSWORD)).toBe(true);
        expect(await prisma.user.count({ where: { passwordHash: { not: alice?.passwordHash } } })).toBe(0);
      });

      it("gives alice orders and a published post, and bob a draft", async () => {
        expect(await prisma.order.count({ where: { user: { username: "alice" } } })).toBeGreaterThanOrEqual(3);
        expect(
          await prisma.post.count({ where: { author: { username: "alice" }, status: "PUBLISHED" } }),
        ).toBeGreaterThan(0);
        expect(await prisma.post.count({ where: { author: { username: "bob" }, status: "DRAFT" } })).toBeGreaterThan(0);
      });
    });

    it("contains the demo records the README names, as its examples need them", async () => {
      const alice = await prisma.user.findUniqueOrThrow({ where: { username: "alice" } });
      const product = await prisma.product.findUniqueOrThrow({ where: { slug: DEMO_SLUGS.product } });
      expect(product).toMatchObject({ name: "Aurora Wireless Headphones", status: "ACTIVE", deletedAt: null });
      expect(product.stock).toBeGreaterThanOrEqual(10);
      expect(product.reviewCount).toBeGreaterThan(0);
      // The README's createReview example is alice's first review of it.
      expect(await prisma.review.count({ where: { productId: product.id, authorId: alice.id } })).toBe(0);
      const post = await prisma.post.findUniqueOrThrow({ where: { slug: DEMO_SLUGS.post } });
      expect(post).toMatchObject({ authorId: alice.id, status: "PUBLISHED" });
    });

    it("makes products findable by full-text search", async () => {
      const [hits] = await prisma.$queryRaw<{ n: number }[]>`
        SELECT count(*)::int AS n FROM products WHERE "searchVector" @@ plainto_tsquery('english', 'wireless headphones')`;
      expect(hits?.n).toBeGreaterThan(0);
    });

    describe("on a database that already has data", () => {
      it("writes nothing and says so", async () => {
        const before = await prisma.review.count();
        const again = await seedDatabase(prisma, { scale: SCALE });
        expect(again.seeded).toBe(false);
        expect(Object.values(again.counts).every((n) => n === 0)).toBe(true);
        expect(await prisma.user.count()).toBe(firstSummary.counts.users);
        expect(await prisma.review.count()).toBe(before);
      });

      it("replaces the data with reset, reproducing the same rows", async () => {
        const before = await second.prisma.product.findMany({ orderBy: { id: "asc" }, take: 20 });
        await second.prisma.user.update({ where: { email: SEED_ACCOUNTS.bob.email }, data: { name: "Changed" } });
        const again = await seedDatabase(second.prisma, { scale: SCALE, reset: true });
        expect(again.seeded).toBe(true);
        expect(again.counts).toEqual(firstSummary.counts);
        expect(await second.prisma.user.count()).toBe(firstSummary.counts.users);
        expect((await second.prisma.user.findUnique({ where: { email: SEED_ACCOUNTS.bob.email } }))?.name).toBe(
          SEED_ACCOUNTS.bob.name,
        );
        expect(await second.prisma.product.findMany({ orderBy: { id: "asc" }, take: 20 })).toEqual(before);
      });
    });

    it("seeds once when two callers race on an empty database", async () => {
      await second.truncateAll();
      const results = await Promise.all([
        seedDatabase(second.prisma, { scale: SCALE }),
        seedDatabase(second.prisma, { scale: SCALE }),
      ]);
      expect(results.map((r) => r.seeded).sort()).toEqual([false, true]);
      expect(await second.prisma.user.count()).toBe(firstSummary.counts.users);
    });

    it("rejects a scale that is not a positive number", async () => {
      await expect(seedDatabase(prisma, { scale: 0 })).rejects.toThrow(RangeError);
      await expect(seedDatabase(prisma, { scale: Number.NaN })).rejects.toThrow(RangeError);
    });
  });
}
