// Demo data for development, benchmarks and tests.
//
// Everything is derived from one fixed seed and one fixed "now" (SEED_NOW), never from Math.random or Date.now,
// so two runs at the same scale write identical rows, ids and password hash included: tests and benchmarks can name rows they
// expect, and a bug found on one machine reproduces on another. Each table draws from its own PRNG stream, so
// changing how posts are generated does not reshuffle products.
//
// The whole data set is built in memory first and written in one transaction with chunked createMany calls:
// `npm start` seeds an empty in-process PGlite on first run, and per-row round trips would take minutes there.
// Writing in one transaction also means a crash mid-way leaves an empty database (which the next start seeds
// again) rather than a half-seeded one that the "already has users" guard would keep forever.
//
// Layout: this file writes the data; generate.ts builds it in memory from one PRNG stream per table
// (users.ts, categories.ts, products.ts, reviews.ts, orders.ts, posts.ts, each with its own word lists);
// random.ts holds the PRNG and small helpers, constants.ts the fixed accounts, password and clock.
// Only seeding loads this folder: src/main.ts imports it lazily when DATABASE_SEED_ON_START is on.
import { randomBytes } from "node:crypto";
import type { Prisma, PrismaClient } from "../generated/prisma/client.js";
import type { SeedPasswords } from "./constants.js";
import { generateSeedData, type SeedData } from "./generate.js";

export { SEED_ACCOUNTS, SEED_NOW, SEED_PASSWORD, type SeedPasswords } from "./constants.js";
export { DEMO_SLUGS } from "./demo.js";
export { generateSeedData, type SeedData } from "./generate.js";

export interface SeedOptions {
  /**
   * Multiplies every row count except the category tree, which is a fixed taxonomy of 44 categories
   * (4 roots, 12 groups, 28 leaves).
   * 1 (the default) gives ~300 users, ~3000 products, ~30000 reviews, ~1500 orders and ~600 posts;
   * 0.05 gives a data set small enough for a test to seed in a couple of seconds.
   */
  scale?: number;
  /**
   * Empty every domain table (TRUNCATE ... CASCADE) before seeding. Default false: a database that
   * already has users is left untouched and the call returns `seeded: false`.
   */
  reset?: boolean;
  /** Receives progress lines. Default: silent. */
  log?: (msg: string) => void;
  /** Passwords instead of SEED_PASSWORD (see SeedPasswords). */
  passwords?: SeedPasswords;
}

/** A random password per named account and one for the other users: for demos reachable by strangers. */
export function randomSeedPasswords(): Required<SeedPasswords> {
  const password = () => randomBytes(15).toString("base64url");
  return { admin: password(), alice: password(), bob: password(), others: password() };
}

export interface SeedCounts {
  users: number;
  addresses: number;
  categories: number;
  products: number;
  reviews: number;
  orders: number;
  orderItems: number;
  posts: number;
}

export interface SeedSummary {
  /** False when the database already had users and nothing was written. */
  seeded: boolean;
  scale: number;
  /** Rows written per table (all zero when `seeded` is false). */
  counts: SeedCounts;
  durationMs: number;
}

// Rows per createMany call (Prisma splits a call further if it would exceed PostgreSQL's bind-parameter limit).
// On PGlite, 1000 was ~10% faster than 2500 or 5000 at scale 1: smaller statements, less garbage per call.
// Scale 1 takes ~10 s on PGlite and on a PostgreSQL server alike: the cost is Prisma's per-row work in this process.
const CHUNK_SIZE = 1000;
// Any constant will do; it only has to be the same for every process that might seed this database.
const SEED_LOCK_KEY = 7_331_001;

const DOMAIN_TABLES = [
  "users",
  "addresses",
  "categories",
  "products",
  "reviews",
  "orders",
  "order_items",
  "posts",
  "sessions",
  "refresh_tokens",
  "password_reset_tokens",
  "email_outbox",
] as const;

/**
 * Seeds a migrated, empty database with the demo data set and returns what it wrote. A database that already
 * has users is left as it is (`seeded: false`) unless `reset` is set, so calling this on every start is safe;
 * concurrent callers are serialised by an advisory lock and only one of them writes.
 */
export async function seedDatabase(prisma: PrismaClient, options: SeedOptions = {}): Promise<SeedSummary> {
  const started = performance.now();
  const scale = options.scale ?? 1;
  if (!Number.isFinite(scale) || scale <= 0 || scale > 100) {
    throw new RangeError(`seed scale must be a number in (0, 100], got ${String(options.scale)}`);
  }
  const log = options.log ?? (() => {});
  const skipped = (): SeedSummary => ({
    seeded: false,
    scale,
    counts: { users: 0, addresses: 0, categories: 0, products: 0, reviews: 0, orders: 0, orderItems: 0, posts: 0 },
    durationMs: Math.round(performance.now() - started),
  });

  // Cheap early exit for the common case (every start after the first); re-checked under the lock below.
  if (!options.reset && (await prisma.user.count()) > 0) {
    log("seed: database already has users, nothing to do");
    return skipped();
  }

  const data = await generateSeedData(scale, options.passwords);
  log(
    `seed: generated ${data.products.length} products, ${data.reviews.length} reviews, ` +
      `${data.orders.length} orders in ${Math.round(performance.now() - started)} ms`,
  );

  const counts = await prisma.$transaction(
    async (tx) => {
      // Two processes starting against the same empty database must not both seed it.
      await tx.$executeRawUnsafe(`SELECT pg_advisory_xact_lock(${SEED_LOCK_KEY})`);
      if (options.reset) {
        await tx.$executeRawUnsafe(`TRUNCATE TABLE ${DOMAIN_TABLES.map((t) => `"${t}"`).join(", ")} CASCADE`);
        log("seed: emptied the domain tables");
      }
      if ((await tx.user.count()) > 0) return null;
      return writeSeedData(tx, data, log);
    },
    { maxWait: 60_000, timeout: 15 * 60_000 },
  );
  if (counts === null) {
    log("seed: another process seeded the database first, nothing to do");
    return skipped();
  }
  const durationMs = Math.round(performance.now() - started);
  log(`seed: done in ${durationMs} ms`);
  return { seeded: true, scale, counts, durationMs };
}

async function writeSeedData(
  tx: Prisma.TransactionClient,
  data: SeedData,
  log: (msg: string) => void,
): Promise<SeedCounts> {
  const timed = async (table: string, write: () => Promise<number>): Promise<number> => {
    const t0 = performance.now();
    const count = await write();
    log(`seed: ${table}: ${count} rows in ${Math.round(performance.now() - t0)} ms`);
    return count;
  };
  const users = await timed("users", () => inChunks(data.users, (rows) => tx.user.createMany({ data: rows })));
  const addresses = await timed("addresses", () =>
    inChunks(data.addresses, (rows) => tx.address.createMany({ data: rows })),
  );
  // One call per level, parents first, so every parentId already exists when its children arrive.
  const categories = await timed("categories", async () => {
    let count = 0;
    for (const level of data.categoryLevels) count += (await tx.category.createMany({ data: level })).count;
    return count;
  });
  const products = await timed("products", () =>
    inChunks(data.products, (rows) => tx.product.createMany({ data: rows })),
  );
  const reviews = await timed("reviews", () => inChunks(data.reviews, (rows) => tx.review.createMany({ data: rows })));
  const orders = await timed("orders", () => inChunks(data.orders, (rows) => tx.order.createMany({ data: rows })));
  const orderItems = await timed("order_items", () =>
    inChunks(data.orderItems, (rows) => tx.orderItem.createMany({ data: rows })),
  );
  const posts = await timed("posts", () => inChunks(data.posts, (rows) => tx.post.createMany({ data: rows })));
  return { users, addresses, categories, products, reviews, orders, orderItems, posts };
}

async function inChunks<T>(rows: readonly T[], write: (chunk: T[]) => Promise<{ count: number }>): Promise<number> {
  let count = 0;
  for (let i = 0; i < rows.length; i += CHUNK_SIZE) count += (await write(rows.slice(i, i + CHUNK_SIZE))).count;
  return count;
}
