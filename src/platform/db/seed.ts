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
import { randomBytes } from "node:crypto";
import * as argon2 from "argon2";
import type { Prisma, PrismaClient } from "../../generated/prisma/client.js";

/** The password of every seeded account. Demo data only: never seed a database that real people use. */
export const SEED_PASSWORD = "correct-horse-battery";

/** The accounts that always exist, first and in this order, so docs, tests and demos can sign in as them. */
export const SEED_ACCOUNTS = {
  /** Role ADMIN. */
  admin: { email: "admin@example.com", username: "admin", name: "Ada Admin" },
  /** An ordinary user with two addresses, a few orders and a published post. */
  alice: { email: "alice@example.com", username: "alice", name: "Alice Anderson" },
  /** An ordinary user with one address, an order and a draft post. */
  bob: { email: "bob@example.com", username: "bob", name: "Bob Brown" },
} as const;

/** The moment the seeded world thinks is "now": every timestamp lies before it. */
export const SEED_NOW = new Date("2025-06-01T00:00:00.000Z");

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
  /**
   * Passwords instead of SEED_PASSWORD, per named account and `others` for every generated user (a
   * production demo must not open with the documented password). Omitted ones keep SEED_PASSWORD.
   */
  passwords?: SeedPasswords;
}

export type SeedPasswords = Readonly<Partial<Record<keyof typeof SEED_ACCOUNTS | "others", string>>>;

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

const SEED = 0x5eed_2025;
const DAY = 86_400_000;
const HOUR = 3_600_000;
const HISTORY = 730 * DAY;
const NOW = SEED_NOW.getTime();
// Rows per createMany call (Prisma splits a call further if it would exceed PostgreSQL's bind-parameter limit).
// On PGlite, 1000 was ~10% faster than 2500 or 5000 at scale 1: smaller statements, less garbage per call.
// Scale 1 takes ~10 s on PGlite and on a PostgreSQL server alike: the cost is Prisma's per-row work in this process.
const CHUNK_SIZE = 1000;
// Any constant will do; it only has to be the same for every process that might seed this database.
const SEED_LOCK_KEY = 7_331_001;

// Parameters agreed for the whole project (OWASP's argon2id minimums); the hash is computed once per seed.
const PASSWORD_HASH_OPTIONS = { type: argon2.argon2id, memoryCost: 19456, timeCost: 2, parallelism: 1 } as const;

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

const BASE_COUNTS = { users: 300, products: 3000, reviews: 30000, orders: 1500, posts: 600 } as const;

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

// ---------------------------------------------------------------------------------------------------------------
// Generation: pure functions of (scale), no database access.

export interface SeedData {
  users: Prisma.UserCreateManyInput[];
  addresses: Prisma.AddressCreateManyInput[];
  categoryLevels: Prisma.CategoryCreateManyInput[][];
  products: Prisma.ProductCreateManyInput[];
  reviews: Prisma.ReviewCreateManyInput[];
  orders: Prisma.OrderCreateManyInput[];
  orderItems: Prisma.OrderItemCreateManyInput[];
  posts: Prisma.PostCreateManyInput[];
}

interface GenUser {
  id: string;
  name: string;
  createdMs: number;
}

interface GenAddress {
  createdMs: number;
  label: string | null;
  recipient: string;
  line1: string;
  line2: string | null;
  city: string;
  region: string | null;
  postalCode: string;
  country: string;
}

interface GenProduct {
  id: string;
  leaf: LeafSpec;
  noun: string;
  priceCents: number;
  status: "DRAFT" | "ACTIVE" | "ARCHIVED";
  createdMs: number;
  deletedMs: number | null;
}

/** Exposed for tests and tools that want the data without a database; `seedDatabase` is the normal entry point. */
export async function generateSeedData(scale: number, passwords: SeedPasswords = {}): Promise<SeedData> {
  const count = (base: number, min: number) => Math.max(min, Math.round(base * scale));
  const passwordHash = await argon2.hash(SEED_PASSWORD, {
    ...PASSWORD_HASH_OPTIONS,
    // A salt from the PRNG keeps even this column identical between runs; the password is public anyway.
    salt: Buffer.from(new Random(SEED, "password-salt").hex(32), "hex"),
  });
  // Secret passwords get argon2's random salt; the named accounts come first, in SEED_ACCOUNTS order.
  const hashOf = async (password: string | undefined) =>
    password === undefined ? passwordHash : argon2.hash(password, PASSWORD_HASH_OPTIONS);
  const othersHash = await hashOf(passwords.others);
  const namedHashes = [await hashOf(passwords.admin), await hashOf(passwords.alice), await hashOf(passwords.bob)];

  const users = generateUsers(new Random(SEED, "users"), count(BASE_COUNTS.users, 5));
  const { rows: addresses, byUser: addressesByUser } = generateAddresses(new Random(SEED, "addresses"), users);
  const { levels: categoryLevels, leaves } = generateCategories(new Random(SEED, "categories"));
  const products = generateProducts(new Random(SEED, "products"), count(BASE_COUNTS.products, 20), leaves);
  const { reviews, stats } = generateReviews(
    new Random(SEED, "reviews"),
    count(BASE_COUNTS.reviews, 20),
    products,
    users,
  );
  const { orders, orderItems } = generateOrders(
    new Random(SEED, "orders"),
    count(BASE_COUNTS.orders, 5),
    users,
    addressesByUser,
    products,
  );
  const posts = generatePosts(new Random(SEED, "posts"), count(BASE_COUNTS.posts, 5), users);

  return {
    users: users.map((u, i) => ({
      id: u.id,
      email: u.email,
      username: u.username,
      name: u.name,
      passwordHash: namedHashes[i] ?? othersHash,
      role: i === 0 ? "ADMIN" : "USER",
      createdAt: new Date(u.createdMs),
      updatedAt: new Date(u.updatedMs),
    })),
    addresses,
    categoryLevels,
    products: products.map((p) => {
      const s = stats.get(p.id);
      return {
        ...p.row,
        // Denormalised exactly as the database would compute it: sum / count over the seeded reviews.
        averageRating: s ? s.sum / s.count : 0,
        reviewCount: s ? s.count : 0,
      };
    }),
    reviews,
    orders,
    orderItems,
    posts,
  };
}

function generateUsers(
  rng: Random,
  total: number,
): (GenUser & { email: string; username: string; updatedMs: number })[] {
  const taken = new Set<string>();
  const users: (GenUser & { email: string; username: string; updatedMs: number })[] = [];
  const fixed = [SEED_ACCOUNTS.admin, SEED_ACCOUNTS.alice, SEED_ACCOUNTS.bob];
  fixed.forEach((account, i) => {
    const createdMs = NOW - HISTORY - (fixed.length - i) * HOUR;
    taken.add(account.username);
    users.push({ ...account, id: rng.uuidV7(createdMs), createdMs, updatedMs: createdMs });
  });
  // Sign-ups grow over time: later dates are more likely. Everyone joined at least a day before SEED_NOW,
  // so each user has room for orders, reviews and posts after signing up.
  const times = Array.from(
    { length: total - fixed.length },
    () => NOW - DAY - Math.floor((HISTORY - DAY) * rng.next() ** 1.6),
  );
  times.sort((a, b) => a - b);
  for (const createdMs of times) {
    const first = rng.pick(FIRST_NAMES);
    const last = rng.pick(LAST_NAMES);
    const base = rng
      .pick([`${first}.${last}`, `${first}${last}`, `${first[0]}${last}`, `${first}_${last[0]}`])
      .toLowerCase()
      .replace(/[^a-z0-9._]/g, "");
    let username = base;
    while (taken.has(username)) username = `${base}${rng.int(2, 999)}`;
    taken.add(username);
    const domain = rng.weighted(EMAIL_DOMAINS);
    const updatedMs = rng.chance(0.3) ? rng.between(createdMs, NOW) : createdMs;
    users.push({
      id: rng.uuidV7(createdMs),
      email: `${username}@${domain}`,
      username,
      name: `${first} ${last}`,
      createdMs,
      updatedMs,
    });
  }
  return users;
}

function generateAddresses(
  rng: Random,
  users: readonly GenUser[],
): { rows: Prisma.AddressCreateManyInput[]; byUser: GenAddress[][] } {
  const rows: Prisma.AddressCreateManyInput[] = [];
  const byUser: GenAddress[][] = [];
  users.forEach((user, i) => {
    // admin 1, alice 2, bob 1; everyone else 1 or 2.
    const howMany = i < 3 ? ([1, 2, 1][i] ?? 1) : rng.chance(0.4) ? 2 : 1;
    const mine: GenAddress[] = [];
    for (let n = 0; n < howMany; n++) {
      const place = rng.weighted(PLACES);
      const createdMs =
        user.createdMs +
        (n === 0 ? rng.int(1, 30) * 60_000 : rng.between(HOUR, Math.max(HOUR + 1, NOW - user.createdMs)));
      const address: GenAddress = {
        createdMs,
        label:
          n === 0
            ? rng.weighted<string | null>([
                ["Home", 6],
                [null, 3],
                ["Work", 1],
              ])
            : rng.pick(["Work", "Parents", "Cabin", null]),
        recipient: n === 0 || rng.chance(0.6) ? user.name : `${rng.pick(FIRST_NAMES)} ${rng.pick(LAST_NAMES)}`,
        line1: place.street(rng.int(1, 400), rng.pick(STREET_NAMES)),
        line2: rng.chance(0.3)
          ? `${rng.pick(["Apt", "Suite", "Unit", "Floor"])} ${rng.int(1, 40)}${rng.pick(["", "A", "B", "C"])}`
          : null,
        city: place.city,
        region: place.region,
        postalCode: place.postalCode(rng),
        country: place.country,
      };
      mine.push(address);
      const { createdMs: _, ...columns } = address;
      rows.push({
        id: rng.uuidV7(createdMs),
        userId: user.id,
        ...columns,
        isDefault: n === 0,
        createdAt: new Date(createdMs),
        updatedAt: new Date(createdMs),
      });
    }
    byUser.push(mine);
  });
  return { rows, byUser };
}

function generateCategories(rng: Random): { levels: Prisma.CategoryCreateManyInput[][]; leaves: LeafWithId[] } {
  const levels: Prisma.CategoryCreateManyInput[][] = [[], [], []];
  const leaves: LeafWithId[] = [];
  // The catalogue was "set up" in the first week of the seeded history.
  let createdMs = NOW - HISTORY - 7 * DAY;
  const add = (
    level: number,
    name: string,
    description: string,
    parent: { id: string; path: string; slug: string } | null,
  ) => {
    createdMs += rng.int(1, 60) * 60_000;
    const id = rng.uuidV7(createdMs);
    const slug = parent ? `${parent.slug}-${slugify(name)}` : slugify(name);
    const row = {
      id,
      name,
      slug,
      description,
      parentId: parent?.id ?? null,
      path: parent ? `${parent.path}/${id}` : id,
      createdAt: new Date(createdMs),
      updatedAt: new Date(createdMs),
    };
    levels[level]?.push(row);
    return row;
  };
  for (const root of TAXONOMY) {
    const rootRow = add(0, root.name, root.description, null);
    for (const group of root.groups) {
      const groupRow = add(1, group.name, group.description, rootRow);
      for (const leaf of group.leaves) {
        const leafRow = add(2, leaf.name, leaf.description, groupRow);
        leaves.push({ ...leaf, id: leafRow.id, rootName: root.name });
      }
    }
  }
  return { levels, leaves };
}

function generateProducts(
  rng: Random,
  total: number,
  leaves: readonly LeafWithId[],
): (GenProduct & { row: Prisma.ProductCreateManyInput })[] {
  // The catalogue grows steadily after the first month.
  const times = Array.from({ length: total }, () => rng.between(NOW - HISTORY + 30 * DAY, NOW - DAY));
  times.sort((a, b) => a - b);
  return times.map((createdMs, i) => {
    const leaf = rng.pick(leaves);
    const noun = rng.pick(leaf.nouns);
    const adjectives = rng.chance(0.35) ? rng.sample(leaf.adjectives, 2) : [rng.pick(leaf.adjectives)];
    const suffix = rng.weighted(MODEL_SUFFIXES);
    const name = [rng.pick(BRANDS), ...adjectives, noun, suffix].filter(Boolean).join(" ");
    const slug = `${slugify(name)}-${i + 1}`;
    const status = rng.weighted<GenProduct["status"]>([
      ["ACTIVE", 85],
      ["DRAFT", 10],
      ["ARCHIVED", 5],
    ]);
    const deletedMs = rng.chance(0.015) ? rng.between(createdMs + DAY, NOW) : null;
    const [minDollars, maxDollars] = leaf.price;
    // Log-uniform so cheap items are common and expensive ones rare, with retail-looking endings.
    const dollars = Math.floor(minDollars * (maxDollars / minDollars) ** rng.next());
    const priceCents =
      dollars * 100 +
      rng.weighted([
        [99, 6],
        [0, 2],
        [49, 2],
        [95, 1],
      ]);
    const imageCount =
      status === "DRAFT"
        ? rng.int(0, 1)
        : rng.weighted([
            [0, 1],
            [1, 4],
            [2, 3],
            [3, 2],
          ]);
    const updatedMs = deletedMs ?? (rng.chance(0.4) ? rng.between(createdMs, NOW) : createdMs);
    const lowerName = [...adjectives, noun].join(" ").toLowerCase();
    const features = rng.sample(leaf.features, rng.int(2, 3));
    const description = [
      `The ${name} ${rng.pick(leaf.blurbs)}`,
      `Highlights: ${features.slice(0, -1).join(", ")} and ${features.at(-1)}.`,
      rng.pick([
        `If you are shopping for ${lowerName}, this one is hard to beat.`,
        `One of our most popular ${leaf.name.toLowerCase()}.`,
        `Designed for everyday use and built to last.`,
        `A great gift for anyone who loves ${leaf.rootName.toLowerCase()}.`,
      ]),
      rng.pick(CLOSERS),
    ].join(" ");
    const product: GenProduct = { id: rng.uuidV7(createdMs), leaf, noun, priceCents, status, createdMs, deletedMs };
    return {
      ...product,
      row: {
        id: product.id,
        name,
        slug,
        description,
        priceCents,
        currency: "USD",
        stock: rng.chance(0.08) ? 0 : rng.int(1, 500),
        status,
        categoryId: leaf.id,
        imageUrls: Array.from(
          { length: imageCount },
          (_, n) => `https://images.example.com/products/${slug}-${n + 1}.jpg`,
        ),
        createdAt: new Date(createdMs),
        updatedAt: new Date(updatedMs),
        deletedAt: deletedMs === null ? null : new Date(deletedMs),
      },
    };
  });
}

function generateReviews(
  rng: Random,
  target: number,
  products: readonly GenProduct[],
  users: readonly GenUser[],
): { reviews: Prisma.ReviewCreateManyInput[]; stats: Map<string, { sum: number; count: number }> } {
  const reviewable = products.filter((p) => p.status !== "DRAFT");
  // A few products attract most reviews.
  const popularity = reviewable.map(() => Math.exp(rng.normal() * 1.1));
  const totalPopularity = popularity.reduce((a, b) => a + b, 0);
  // Authors are drawn as a partial Fisher-Yates shuffle of this permutation: distinct within a product,
  // which the (productId, authorId) unique key requires, without rebuilding an array per product.
  const perm = users.map((_, i) => i);
  const reviews: Prisma.ReviewCreateManyInput[] = [];
  const stats = new Map<string, { sum: number; count: number }>();
  reviewable.forEach((product, p) => {
    const wanted = Math.min(
      users.length,
      Math.round((target * (popularity[p] ?? 0)) / totalPopularity + rng.next() - 0.5),
    );
    if (wanted <= 0) return;
    // Each product has its own quality; ratings scatter around it, and most products are liked.
    const quality = clamp(4.3 + rng.normal() * 0.5, 2, 5);
    const endMs = product.deletedMs ?? NOW;
    let sum = 0;
    let count = 0;
    for (let k = 0; k < wanted; k++) {
      const j = rng.int(k, perm.length - 1);
      const a = perm[k] as number;
      const b = perm[j] as number;
      perm[k] = b;
      perm[j] = a;
      const author = users[b] as GenUser;
      const startMs = Math.max(product.createdMs, author.createdMs) + HOUR;
      // Nobody reviews a product deleted before they joined.
      if (startMs >= endMs) continue;
      // Unhappy customers are over-represented among reviewers: a few one-star reviews land on any product.
      const rating = rng.chance(0.04) ? 1 : clamp(Math.round(quality + rng.normal() * 0.9), 1, 5);
      sum += rating;
      count += 1;
      const createdMs = rng.between(startMs, endMs);
      reviews.push({
        id: rng.uuidV7(createdMs),
        productId: product.id,
        authorId: author.id,
        rating,
        body: reviewBody(rng, rating, product.noun),
        createdAt: new Date(createdMs),
        updatedAt: new Date(rng.chance(0.1) ? rng.between(createdMs, endMs) : createdMs),
      });
    }
    if (count > 0) stats.set(product.id, { sum, count });
  });
  return { reviews, stats };
}

function reviewBody(rng: Random, rating: number, noun: string): string {
  const mood = rating >= 4 ? REVIEW_TEXT.positive : rating === 3 ? REVIEW_TEXT.mixed : REVIEW_TEXT.negative;
  const item = noun.toLowerCase();
  const sentences: string[] = [rng.pick(mood.openers), ...rng.sample(mood.details, rng.int(0, 2))];
  if (rng.chance(0.5)) sentences.push(rng.pick(mood.closers));
  return sentences.join(" ").replaceAll("{item}", item);
}

function generateOrders(
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

function generatePosts(rng: Random, total: number, users: readonly GenUser[]): Prisma.PostCreateManyInput[] {
  // Most posts come from a small group of regular writers (alice among them).
  const writers = [users[1] as GenUser, ...users.filter((_, i) => i > 2 && i % 7 === 0)];
  const posts: Prisma.PostCreateManyInput[] = [];
  for (let i = 0; i < total; i++) {
    // alice's first post is published and bob's is a draft, whatever the PRNG says.
    const author =
      i === 0
        ? (users[1] as GenUser)
        : i === 1
          ? (users[2] as GenUser)
          : rng.chance(0.8)
            ? rng.pick(writers)
            : rng.pick(users);
    const published = i === 0 ? true : i === 1 ? false : rng.chance(0.85);
    const topic = rng.pick(POST_TOPICS);
    const title = rng
      .pick(POST_TITLES)
      .replaceAll("{Topic}", titleCase(topic))
      .replaceAll("{n}", String(rng.int(3, 12)))
      .replaceAll("{year}", String(new Date(NOW).getUTCFullYear()));
    const startMs = author.createdMs + DAY;
    const createdMs = rng.between(startMs, Math.max(startMs + 1, NOW - HOUR));
    const publishedMs = published ? Math.min(NOW, createdMs + rng.between(0, 3 * DAY)) : null;
    const paragraphs = Array.from({ length: rng.int(3, 6) }, (_, p) =>
      [...(p === 0 ? [rng.pick(POST_OPENERS)] : []), ...rng.sample(POST_SENTENCES, rng.int(2, 4))]
        .join(" ")
        .replaceAll("{topic}", topic),
    );
    posts.push({
      id: rng.uuidV7(createdMs),
      authorId: author.id,
      title,
      slug: `${slugify(title)}-${i + 1}`,
      body: paragraphs.join("\n\n"),
      status: published ? "PUBLISHED" : "DRAFT",
      viewCount: published ? Math.floor(Math.exp(6 + rng.normal() * 1.3)) : 0,
      publishedAt: publishedMs === null ? null : new Date(publishedMs),
      createdAt: new Date(createdMs),
      updatedAt: new Date(publishedMs ?? createdMs),
    });
  }
  return posts;
}

// ---------------------------------------------------------------------------------------------------------------
// Helpers

/** mulberry32: tiny, fast and plenty random for demo data; not for anything secret. */
class Random {
  #state: number;

  constructor(seed: number, stream: string) {
    // FNV-1a over the stream name gives every table an independent sequence from the one seed.
    let h = 0x811c9dc5 ^ seed;
    for (let i = 0; i < stream.length; i++) h = Math.imul(h ^ stream.charCodeAt(i), 0x01000193);
    this.#state = h >>> 0;
  }

  /** Uniform in [0, 1). */
  next(): number {
    this.#state = (this.#state + 0x6d2b79f5) | 0;
    let t = this.#state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** Integer in [min, max], both inclusive. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  /** Integer in [startMs, endMs). */
  between(startMs: number, endMs: number): number {
    return startMs + Math.floor(this.next() * (endMs - startMs));
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  /** Standard normal (Box-Muller). */
  normal(): number {
    return Math.sqrt(-2 * Math.log(1 - this.next())) * Math.cos(2 * Math.PI * this.next());
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new Error("pick from an empty list");
    return items[Math.floor(this.next() * items.length)] as T;
  }

  /** Up to `n` distinct items, in random order. */
  sample<T>(items: readonly T[], n: number): T[] {
    const copy = [...items];
    const out: T[] = [];
    while (out.length < n && copy.length > 0) out.push(copy.splice(Math.floor(this.next() * copy.length), 1)[0] as T);
    return out;
  }

  weighted<T>(entries: readonly (readonly [T, number])[]): T {
    const total = entries.reduce((sum, [, w]) => sum + w, 0);
    let x = this.next() * total;
    for (const [value, weight] of entries) {
      x -= weight;
      if (x < 0) return value;
    }
    return (entries.at(-1) as readonly [T, number])[0];
  }

  hex(length: number): string {
    let out = "";
    while (out.length < length)
      out += Math.floor(this.next() * 0x1_0000_0000)
        .toString(16)
        .padStart(8, "0");
    return out.slice(0, length);
  }

  /** A UUIDv7 (RFC 9562) for the given time, so ids sort like the createdAt they were minted with. */
  uuidV7(ms: number): string {
    const time = ms.toString(16).padStart(12, "0");
    const variant = (8 + this.int(0, 3)).toString(16);
    const rand = this.hex(18);
    return `${time.slice(0, 8)}-${time.slice(8)}-7${rand.slice(0, 3)}-${variant}${rand.slice(3, 6)}-${rand.slice(6)}`;
  }
}

/** A word list written as one space-separated string, so the formatter keeps it on a line or two. */
function words(list: string): readonly string[] {
  return list.split(/\s+/).filter(Boolean);
}

function clamp(x: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, x));
}

function slugify(text: string): string {
  return text
    .toLowerCase()
    .replace(/'/g, "")
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-|-$/g, "");
}

function titleCase(text: string): string {
  return text.replace(/\b[a-z]/g, (c) => c.toUpperCase());
}

/** How many items of `sorted` (ascending by createdMs) were created strictly before `ms`. */
function upperBound(sorted: readonly { createdMs: number }[], ms: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((sorted[mid] as { createdMs: number }).createdMs < ms) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

// ---------------------------------------------------------------------------------------------------------------
// Word lists

interface LeafSpec {
  name: string;
  description: string;
  /** What a product is called; the last word(s) of its name. */
  nouns: readonly string[];
  adjectives: readonly string[];
  features: readonly string[];
  /** Completes "The <product name> ...". */
  blurbs: readonly string[];
  /** Whole dollars, [min, max]. */
  price: readonly [number, number];
}

interface LeafWithId extends LeafSpec {
  id: string;
  rootName: string;
}

interface RootSpec {
  name: string;
  description: string;
  groups: readonly { name: string; description: string; leaves: readonly LeafSpec[] }[];
}

// 4 roots, 12 groups, 28 leaves: 44 categories. Products only hang off leaves.
const TAXONOMY: readonly RootSpec[] = [
  {
    name: "Electronics",
    description: "Gadgets, audio and computing gear.",
    groups: [
      {
        name: "Audio",
        description: "Headphones, earbuds and speakers.",
        leaves: [
          {
            name: "Headphones",
            description: "Over-ear and on-ear headphones.",
            nouns: ["Headphones"],
            adjectives: ["Wireless", "Noise-Cancelling", "Over-Ear", "Bluetooth", "Studio", "Foldable"],
            features: [
              "40-hour battery life",
              "active noise cancelling",
              "memory-foam ear cushions",
              "USB-C fast charging",
              "multipoint Bluetooth 5.3",
              "a detachable audio cable",
            ],
            blurbs: [
              "delivers rich, balanced sound with deep, controlled bass.",
              "shuts out the commute so you can focus on your music.",
              "is light enough to wear all day without pinching.",
            ],
            price: [25, 400],
          },
          {
            name: "Earbuds",
            description: "True wireless and sport earbuds.",
            nouns: ["Earbuds", "In-Ear Headphones"],
            adjectives: ["Wireless", "True Wireless", "Sport", "Waterproof", "Noise-Cancelling"],
            features: [
              "a pocketable charging case",
              "IPX7 water resistance",
              "secure-fit ear wings",
              "transparency mode",
              "8 hours of playback per charge",
            ],
            blurbs: [
              "stays put through runs, rides and gym sessions.",
              "packs big sound into a tiny, pocket-friendly case.",
              "makes calls crisp even on a windy street.",
            ],
            price: [15, 250],
          },
          {
            name: "Speakers",
            description: "Portable, smart and bookshelf speakers.",
            nouns: ["Speaker", "Bluetooth Speaker", "Soundbar"],
            adjectives: ["Portable", "Smart", "Waterproof", "Bookshelf", "Wireless"],
            features: [
              "360-degree sound",
              "a 20-hour battery",
              "stereo pairing",
              "voice assistant support",
              "a rugged fabric shell",
            ],
            blurbs: [
              "fills a room, or a campsite, with clear, punchy sound.",
              "pairs in seconds and goes wherever you do.",
              "turns movie night into an event.",
            ],
            price: [20, 500],
          },
        ],
      },
      {
        name: "Computers",
        description: "Laptops, keyboards and monitors.",
        leaves: [
          {
            name: "Laptops",
            description: "Ultrabooks, gaming and business laptops.",
            nouns: ["Laptop", "Notebook", "Ultrabook"],
            adjectives: ["Ultralight", "Gaming", "14-inch", "16-inch", "Business", "Convertible"],
            features: [
              "an all-day battery",
              "a bright 2.8K display",
              "32 GB of RAM",
              "a backlit keyboard",
              "Thunderbolt 4 ports",
              "a 1 TB SSD",
            ],
            blurbs: [
              "handles spreadsheets, code and the occasional game with ease.",
              "weighs less than a hardback book.",
              "boots in seconds and stays cool under load.",
            ],
            price: [400, 3000],
          },
          {
            name: "Keyboards",
            description: "Mechanical, wireless and ergonomic keyboards.",
            nouns: ["Keyboard", "Mechanical Keyboard"],
            adjectives: ["Mechanical", "Wireless", "Ergonomic", "Compact", "Backlit", "Low-Profile"],
            features: [
              "hot-swappable switches",
              "RGB backlighting",
              "a split layout",
              "PBT keycaps",
              "Bluetooth and USB-C",
            ],
            blurbs: [
              "makes every keystroke feel deliberate and satisfying.",
              "keeps your wrists happy through long writing sessions.",
              "switches between three devices at the press of a key.",
            ],
            price: [20, 250],
          },
          {
            name: "Monitors",
            description: "Desktop and portable displays.",
            nouns: ["Monitor", "Display"],
            adjectives: ["4K", "Curved", "27-inch", "Ultrawide", "Portable", "144Hz"],
            features: [
              "an IPS panel",
              "USB-C power delivery",
              "a height-adjustable stand",
              "HDR support",
              "a built-in KVM switch",
            ],
            blurbs: [
              "gives you room for two documents side by side.",
              "shows colours accurately enough for photo editing.",
              "keeps fast games smooth and tear-free.",
            ],
            price: [120, 1200],
          },
        ],
      },
      {
        name: "Phone Accessories",
        description: "Chargers, cases and power banks.",
        leaves: [
          {
            name: "Chargers",
            description: "Wall, wireless and car chargers.",
            nouns: ["Charger", "Charging Stand", "Charging Pad"],
            adjectives: ["Fast", "Wireless", "USB-C", "Magnetic", "Dual-Port"],
            features: [
              "65 W output",
              "foldable plugs",
              "a braided cable",
              "overheat protection",
              "MagSafe-compatible magnets",
            ],
            blurbs: [
              "tops up a phone in under an hour.",
              "declutters your nightstand.",
              "charges a laptop and a phone at the same time.",
            ],
            price: [10, 80],
          },
          {
            name: "Phone Cases",
            description: "Protective and slim phone cases.",
            nouns: ["Phone Case", "Case"],
            adjectives: ["Rugged", "Slim", "Leather", "Clear", "Wallet"],
            features: [
              "drop protection to 3 metres",
              "raised camera edges",
              "a grippy finish",
              "room for two cards",
              "wireless-charging support",
            ],
            blurbs: [
              "protects your phone without adding bulk.",
              "ages beautifully as the leather wears in.",
              "shrugs off drops onto concrete.",
            ],
            price: [8, 60],
          },
        ],
      },
    ],
  },
  {
    name: "Home & Kitchen",
    description: "Everything for cooking, working and living at home.",
    groups: [
      {
        name: "Kitchen",
        description: "Cookware, coffee and knives.",
        leaves: [
          {
            name: "Cookware",
            description: "Pans, pots and Dutch ovens.",
            nouns: ["Frying Pan", "Skillet", "Saucepan", "Dutch Oven", "Wok"],
            adjectives: ["Nonstick", "Cast Iron", "Stainless Steel", "Ceramic", "Induction-Ready"],
            features: [
              "even heat distribution",
              "oven-safe handles",
              "a PFOA-free coating",
              "a tight-fitting lid",
              "dishwasher-safe construction",
            ],
            blurbs: [
              "sears, simmers and bakes with the same pan.",
              "heats evenly from the centre to the rim.",
              "will outlive most of your other kitchen gear.",
            ],
            price: [15, 350],
          },
          {
            name: "Coffee Makers",
            description: "Espresso machines, drip brewers and grinders.",
            nouns: ["Coffee Maker", "Espresso Machine", "Coffee Grinder", "Pour-Over Set", "Cold Brew Maker"],
            adjectives: ["Programmable", "Single-Serve", "Compact", "Burr", "Thermal"],
            features: [
              "a 15-bar pump",
              "a built-in milk frother",
              "40 grind settings",
              "a thermal carafe",
              "a programmable timer",
            ],
            blurbs: [
              "brews café-quality coffee in your kitchen.",
              "makes mornings faster and tastier.",
              "extracts a rich, balanced cup every time.",
            ],
            price: [20, 900],
          },
          {
            name: "Knives",
            description: "Chef's knives, knife sets and sharpeners.",
            nouns: ["Chef's Knife", "Santoku Knife", "Knife Set", "Paring Knife", "Knife Sharpener"],
            adjectives: ["Japanese", "Forged", "Carbon Steel", "Damascus", "German"],
            features: [
              "a full-tang handle",
              "a razor-sharp 15-degree edge",
              "a magnetic wooden block",
              "a balanced weight",
              "a protective sheath",
            ],
            blurbs: [
              "glides through tomatoes and onions alike.",
              "holds its edge for months.",
              "feels balanced and safe in the hand.",
            ],
            price: [12, 400],
          },
        ],
      },
      {
        name: "Furniture",
        description: "Chairs, desks and storage.",
        leaves: [
          {
            name: "Office Chairs",
            description: "Ergonomic and task chairs.",
            nouns: ["Office Chair", "Desk Chair", "Task Chair"],
            adjectives: ["Ergonomic", "Mesh", "Adjustable", "High-Back", "Reclining"],
            features: [
              "adjustable lumbar support",
              "4D armrests",
              "a breathable mesh back",
              "a tilt lock",
              "smooth-rolling casters",
            ],
            blurbs: [
              "keeps your back supported through long workdays.",
              "adjusts to fit almost any body.",
              "looks as good in a living room as in an office.",
            ],
            price: [80, 1200],
          },
          {
            name: "Desks",
            description: "Standing, corner and writing desks.",
            nouns: ["Desk", "Standing Desk", "Writing Desk"],
            adjectives: ["Standing", "Adjustable", "Corner", "Solid Wood", "Electric"],
            features: ["dual motors", "four height presets", "a cable tray", "a bamboo top", "a steel frame"],
            blurbs: [
              "lets you switch between sitting and standing in seconds.",
              "fits neatly into a small home office.",
              "gives you room for two monitors and then some.",
            ],
            price: [120, 1500],
          },
        ],
      },
      {
        name: "Lighting & Decor",
        description: "Lamps, rugs and finishing touches.",
        leaves: [
          {
            name: "Lamps",
            description: "Desk, floor and smart lamps.",
            nouns: ["Desk Lamp", "Floor Lamp", "Table Lamp", "Reading Light"],
            adjectives: ["LED", "Dimmable", "Smart", "Arc", "Minimalist"],
            features: [
              "adjustable colour temperature",
              "a touch dimmer",
              "a USB charging port",
              "app control",
              "an energy-saving LED",
            ],
            blurbs: [
              "casts warm, flicker-free light for reading.",
              "sets the mood at the tap of a button.",
              "is easy on the eyes during late nights.",
            ],
            price: [15, 350],
          },
          {
            name: "Rugs",
            description: "Area, runner and washable rugs.",
            nouns: ["Rug", "Area Rug", "Runner"],
            adjectives: ["Wool", "Vintage", "Washable", "Hand-Woven", "Jute"],
            features: [
              "a non-slip backing",
              "stain resistance",
              "a low pile",
              "natural fibres",
              "machine-washable panels",
            ],
            blurbs: [
              "ties a room together.",
              "feels soft underfoot and hides everyday spills.",
              "brings warmth to hard floors.",
            ],
            price: [30, 900],
          },
        ],
      },
    ],
  },
  {
    name: "Sports & Outdoors",
    description: "Gear for training, camping and cycling.",
    groups: [
      {
        name: "Fitness",
        description: "Training gear for home and gym.",
        leaves: [
          {
            name: "Yoga Mats",
            description: "Mats and blocks for yoga and pilates.",
            nouns: ["Yoga Mat", "Exercise Mat"],
            adjectives: ["Non-Slip", "Extra Thick", "Eco-Friendly", "Travel", "Cork"],
            features: [
              "6 mm cushioning",
              "a carrying strap",
              "alignment markings",
              "natural rubber",
              "a sweat-resistant surface",
            ],
            blurbs: [
              "grips the floor even in a hot class.",
              "cushions your knees without feeling mushy.",
              "rolls up small enough for a carry-on.",
            ],
            price: [12, 150],
          },
          {
            name: "Weights",
            description: "Dumbbells, kettlebells and resistance bands.",
            nouns: ["Dumbbells", "Kettlebell", "Resistance Bands", "Weight Set"],
            adjectives: ["Adjustable", "Hex", "Neoprene", "Cast Iron", "Compact"],
            features: [
              "quick-change weight selection",
              "knurled handles",
              "a storage tray",
              "five resistance levels",
              "a floor-safe coating",
            ],
            blurbs: [
              "replaces a whole rack of weights.",
              "makes a home gym possible in a small flat.",
              "is built for years of daily workouts.",
            ],
            price: [15, 600],
          },
        ],
      },
      {
        name: "Camping & Hiking",
        description: "Tents, sleeping bags and packs.",
        leaves: [
          {
            name: "Tents",
            description: "Backpacking and family tents.",
            nouns: ["Tent", "Backpacking Tent", "Family Tent"],
            adjectives: ["Ultralight", "Waterproof", "2-Person", "4-Person", "Freestanding"],
            features: [
              "a full-coverage rainfly",
              "colour-coded poles",
              "two doors and vestibules",
              "taped seams",
              "a packed weight under 2 kg",
            ],
            blurbs: [
              "pitches in five minutes, even in the rain.",
              "stays dry through a night of storms.",
              "is light enough for long thru-hikes.",
            ],
            price: [60, 800],
          },
          {
            name: "Sleeping Bags",
            description: "Down and synthetic sleeping bags.",
            nouns: ["Sleeping Bag", "Quilt", "Sleeping Pad"],
            adjectives: ["Down", "Mummy", "Synthetic", "3-Season", "Ultralight"],
            features: [
              "a -5 °C comfort rating",
              "a draft collar",
              "a compression sack",
              "water-resistant down",
              "a two-way zip",
            ],
            blurbs: [
              "keeps you warm on cold mountain nights.",
              "compresses to the size of a water bottle.",
              "is roomy enough for side sleepers.",
            ],
            price: [40, 600],
          },
          {
            name: "Hiking Backpacks",
            description: "Daypacks and multi-day packs.",
            nouns: ["Backpack", "Daypack", "Hiking Pack"],
            adjectives: ["40L", "Lightweight", "Hydration", "Waterproof", "Trekking"],
            features: [
              "an adjustable torso length",
              "a hydration sleeve",
              "hip-belt pockets",
              "a built-in rain cover",
              "a ventilated back panel",
            ],
            blurbs: [
              "carries a weekend's gear comfortably.",
              "distributes weight so your shoulders don't ache.",
              "has a pocket for everything.",
            ],
            price: [30, 400],
          },
        ],
      },
      {
        name: "Cycling",
        description: "Helmets, lights and accessories for riders.",
        leaves: [
          {
            name: "Bike Helmets",
            description: "Road, mountain and commuter helmets.",
            nouns: ["Bike Helmet", "Cycling Helmet"],
            adjectives: ["MIPS", "Road", "Mountain", "Commuter", "Aero"],
            features: [
              "MIPS impact protection",
              "18 vents",
              "a dial-fit system",
              "an integrated rear light",
              "a removable visor",
            ],
            blurbs: [
              "keeps you cool on long climbs.",
              "is comfortable enough to forget you are wearing it.",
              "meets the latest safety standards.",
            ],
            price: [30, 300],
          },
          {
            name: "Bike Lights",
            description: "Front and rear lights.",
            nouns: ["Bike Light", "Headlight", "Tail Light", "Light Set"],
            adjectives: ["Rechargeable", "USB", "LED", "1000-Lumen", "Smart"],
            features: [
              "a daylight flash mode",
              "tool-free mounting",
              "a 10-hour runtime",
              "brake detection",
              "IPX6 weather sealing",
            ],
            blurbs: [
              "makes sure drivers see you at dusk.",
              "lights up unlit country lanes.",
              "charges from any USB port.",
            ],
            price: [10, 200],
          },
        ],
      },
    ],
  },
  {
    name: "Clothing & Shoes",
    description: "Outerwear, footwear and accessories.",
    groups: [
      {
        name: "Outerwear",
        description: "Jackets for every season.",
        leaves: [
          {
            name: "Rain Jackets",
            description: "Waterproof shells and rain jackets.",
            nouns: ["Rain Jacket", "Shell Jacket", "Raincoat"],
            adjectives: ["Waterproof", "Packable", "Breathable", "Hooded", "Lightweight"],
            features: ["sealed seams", "pit zips", "an adjustable hood", "a packable stuff pocket", "recycled fabric"],
            blurbs: [
              "keeps you dry in a downpour without the sweat.",
              "packs into its own pocket.",
              "works as well in the city as on the trail.",
            ],
            price: [40, 450],
          },
          {
            name: "Winter Jackets",
            description: "Down and insulated jackets.",
            nouns: ["Down Jacket", "Parka", "Puffer Jacket", "Fleece Jacket"],
            adjectives: ["Insulated", "Hooded", "Recycled", "Windproof", "Warm"],
            features: [
              "800-fill down",
              "a windproof shell",
              "fleece-lined pockets",
              "a two-way zip",
              "a water-repellent finish",
            ],
            blurbs: [
              "keeps the cold out on the bitterest days.",
              "is warm without feeling bulky.",
              "layers easily under a shell.",
            ],
            price: [50, 700],
          },
        ],
      },
      {
        name: "Footwear",
        description: "Running shoes, boots and sneakers.",
        leaves: [
          {
            name: "Running Shoes",
            description: "Road and trail running shoes.",
            nouns: ["Running Shoes", "Trail Running Shoes", "Trainers"],
            adjectives: ["Cushioned", "Lightweight", "Stability", "Trail", "Racing"],
            features: [
              "a responsive foam midsole",
              "a breathable knit upper",
              "a grippy outsole",
              "a carbon plate",
              "reflective details",
            ],
            blurbs: [
              "feels fast on race day and comfortable on easy runs.",
              "grips wet rocks and muddy trails.",
              "cushions every stride on long runs.",
            ],
            price: [50, 280],
          },
          {
            name: "Boots",
            description: "Hiking and everyday boots.",
            nouns: ["Hiking Boots", "Chelsea Boots", "Winter Boots"],
            adjectives: ["Waterproof", "Leather", "Insulated", "Lightweight", "Vibram"],
            features: [
              "a waterproof membrane",
              "a Vibram outsole",
              "ankle support",
              "full-grain leather",
              "a cushioned footbed",
            ],
            blurbs: [
              "needs almost no breaking in.",
              "keeps feet dry through streams and snow.",
              "looks good long after the first scuffs.",
            ],
            price: [60, 400],
          },
        ],
      },
      {
        name: "Accessories",
        description: "Watches, sunglasses and bags.",
        leaves: [
          {
            name: "Watches",
            description: "Smart, sport and classic watches.",
            nouns: ["Watch", "Smartwatch", "Fitness Tracker"],
            adjectives: ["Smart", "Automatic", "Sport", "Minimalist", "Solar"],
            features: [
              "GPS tracking",
              "a sapphire crystal",
              "heart-rate monitoring",
              "a 7-day battery",
              "water resistance to 100 m",
            ],
            blurbs: [
              "tracks your runs, your sleep and your meetings.",
              "goes from the office to the pool.",
              "is a quiet, classic piece that goes with everything.",
            ],
            price: [30, 900],
          },
          {
            name: "Sunglasses",
            description: "Polarised and sport sunglasses.",
            nouns: ["Sunglasses", "Sport Sunglasses"],
            adjectives: ["Polarized", "Aviator", "Wayfarer", "Sport", "Round"],
            features: [
              "UV400 protection",
              "scratch-resistant lenses",
              "spring hinges",
              "a hard case",
              "lightweight acetate frames",
            ],
            blurbs: [
              "cuts glare on the water and the road.",
              "stays put during runs and rides.",
              "suits almost every face shape.",
            ],
            price: [15, 350],
          },
        ],
      },
    ],
  },
];

const BRANDS = words(
  "Aurora Northwind Lumen Vertex Pinecrest Solace Kestrel Halcyon Nimbus Ember Atlas Meridian Tidewater Quill Orbit Juniper Cobalt Summit Fable Harbor Alder Basalt Cinder Drift Fjord Granite Helix Ironwood Marlow Sable",
);

const MODEL_SUFFIXES: readonly (readonly [string, number])[] = [
  ["", 55],
  ["Pro", 10],
  ["Mini", 5],
  ["Max", 5],
  ["Lite", 5],
  ["2", 5],
  ["Plus", 5],
  ["SE", 3],
  ["Air", 3],
  ["Classic", 4],
];

const CLOSERS = [
  "Backed by a two-year warranty.",
  "Ships in recyclable packaging.",
  "Free returns within 30 days.",
  "Rated highly by thousands of customers.",
  "Available while stocks last.",
  "Comes with everything you need to get started.",
] as const;

const REVIEW_TEXT = {
  positive: {
    openers: [
      "Absolutely love it.",
      "Exceeded my expectations.",
      "Great value for the price.",
      "Five stars, no hesitation.",
      "Really impressed.",
      "Exactly what I was looking for.",
      "Best purchase I have made this year.",
    ],
    details: [
      "Compared with my old {item}, this is a big step up.",
      "Build quality is excellent.",
      "Arrived quickly and well packed.",
      "Setup took about five minutes.",
      "Works exactly as described.",
      "My partner borrowed it and now wants one too.",
      "I use it every day and it still looks new.",
      "Worth every cent.",
    ],
    closers: ["Would buy again.", "Highly recommended.", "Already ordered a second one as a gift.", "Can't fault it."],
  },
  mixed: {
    openers: [
      "It's fine, does the job.",
      "Decent, but not amazing.",
      "Good, with a few quirks.",
      "Mixed feelings about this one.",
      "Okay for the price.",
    ],
    details: [
      "The {item} works, but the finish feels a bit cheap.",
      "Instructions were confusing.",
      "Smaller than I expected from the photos.",
      "Delivery took longer than promised.",
      "Does what it says, nothing more.",
      "I had higher hopes for the quality.",
    ],
    closers: ["Might look elsewhere next time.", "Three stars feels fair.", "Fine if it's on sale."],
  },
  negative: {
    openers: [
      "Disappointed.",
      "Not as described.",
      "Would not recommend.",
      "Returned it.",
      "Really frustrating purchase.",
    ],
    details: [
      "Stopped working after two weeks.",
      "Cheap materials throughout.",
      "The {item} arrived scratched.",
      "Customer service never replied.",
      "Nothing like the photos.",
      "Broke the first time I used it.",
    ],
    closers: ["Save your money.", "Giving it one more chance, then it goes back.", "Look elsewhere."],
  },
} as const;

const POST_TOPICS = [
  "home coffee brewing",
  "working from home",
  "trail running",
  "camping with kids",
  "building a home office",
  "choosing headphones",
  "cast iron care",
  "minimalist packing",
  "winter cycling",
  "standing desks",
  "ultralight backpacking",
  "mechanical keyboards",
  "knife sharpening",
  "home workouts",
  "rainy day hiking",
  "smart lighting",
  "sustainable shopping",
  "gift ideas",
  "better sleep outdoors",
  "running your first marathon",
] as const;

const POST_TITLES = [
  "A Beginner's Guide to {Topic}",
  "{n} Things We Learned About {Topic}",
  "Why {Topic} Is Worth Your Time",
  "{Topic}: Our Complete Checklist",
  "How We Test: {Topic}",
  "The {year} Buyer's Guide to {Topic}",
  "{n} Common Mistakes in {Topic}",
  "What Our Customers Taught Us About {Topic}",
] as const;

const POST_OPENERS = [
  "We get more questions about {topic} than almost anything else, so here is everything in one place.",
  "A year ago, nobody on our team knew much about {topic}.",
  "There is a lot of conflicting advice about {topic} out there.",
  "This guide grew out of a long thread in our customer forum about {topic}.",
] as const;

const POST_SENTENCES = [
  "Start simple: the basics matter more than the gear.",
  "Spending more does not always mean getting more.",
  "We tested every option for at least two weeks before writing this.",
  "Reviews from customers shaped most of our recommendations.",
  "When it comes to {topic}, comfort beats specifications.",
  "Our favourite setup costs less than you might think.",
  "Keep a checklist, and update it after every trip.",
  "Small habits make the biggest difference over time.",
  "Look for a good warranty; it says a lot about how a product is built.",
  "Most problems with {topic} come from skipping preparation.",
  "If you only change one thing, make it this.",
  "We will keep this post updated as new products arrive.",
  "Ask in the comments if something is unclear.",
  "Not every tip will suit everyone, and that is fine.",
] as const;

const FIRST_NAMES = words(
  "Liam Olivia Noah Emma Oliver Ava Elijah Sophia James Isabella William Mia Lucas Amelia Henry Harper Theo Evelyn Mateo Luna Kai Nora Arjun Priya Wei Mei Hiro Yuki Omar Layla Diego Sofia Ivan Anya Lars Freya Kwame Amara Tomas Zoe Jonas Lea Ravi Ananya Malik Nadia Finn Ines Samuel Chloe",
);

const LAST_NAMES = words(
  "Smith Johnson Williams Garcia Miller Davis Martinez Lopez Wilson Taylor Thomas Moore Martin Lee Clark Lewis Walker Hall Young King Wright Scott Green Baker Adams Nelson Hill Campbell Mitchell Roberts Nguyen Patel Kim Chen Singh Mueller Schmidt Rossi Dubois Jansen Novak Kowalski Okafor Haddad Tanaka Silva Costa Larsen Ahmed Ivanova",
);

// Reserved for documentation (RFC 2606): seeded addresses can never reach a real inbox.
const EMAIL_DOMAINS: readonly (readonly [string, number])[] = [
  ["example.com", 6],
  ["example.org", 2],
  ["example.net", 2],
];

const STREET_NAMES = words(
  "Maple Oak Cedar Elm Pine Willow Birch Station Church Mill High Park Lake River Hill Garden Bridge Market Chestnut Harbour",
);

interface PlaceSpec {
  city: string;
  region: string | null;
  country: string;
  street: (number: number, name: string) => string;
  postalCode: (rng: Random) => string;
}

const digits = (rng: Random, n: number) => Array.from({ length: n }, () => rng.int(0, 9)).join("");
const letter = (rng: Random) => String.fromCharCode(65 + rng.int(0, 25));
// Street suffixes are chosen from the house number so the PRNG stream does not depend on the country.
const english = (types: readonly string[]) => (n: number, name: string) => `${n} ${name} ${types[n % types.length]}`;
const US_STREET = english(["Street", "Avenue", "Road", "Lane", "Drive", "Boulevard"]);
const UK_STREET = english(["Street", "Road", "Lane", "Close", "Way"]);
const us = (city: string, region: string, prefix: string): PlaceSpec => ({
  city,
  region,
  country: "US",
  street: US_STREET,
  postalCode: (rng) => prefix + digits(rng, 5 - prefix.length),
});

const PLACES: readonly (readonly [PlaceSpec, number])[] = [
  [us("Portland", "OR", "972"), 4],
  [us("Seattle", "WA", "981"), 4],
  [us("Austin", "TX", "787"), 4],
  [us("Denver", "CO", "802"), 3],
  [us("Chicago", "IL", "606"), 4],
  [us("Boston", "MA", "021"), 3],
  [us("Brooklyn", "NY", "112"), 4],
  [us("San Diego", "CA", "921"), 3],
  [us("Atlanta", "GA", "303"), 3],
  [us("Minneapolis", "MN", "554"), 2],
  [
    {
      city: "Toronto",
      region: "ON",
      country: "CA",
      street: US_STREET,
      postalCode: (r) => `M${r.int(1, 9)}${letter(r)} ${r.int(1, 9)}${letter(r)}${r.int(0, 9)}`,
    },
    3,
  ],
  [
    {
      city: "Vancouver",
      region: "BC",
      country: "CA",
      street: US_STREET,
      postalCode: (r) => `V${r.int(5, 6)}${letter(r)} ${r.int(1, 9)}${letter(r)}${r.int(0, 9)}`,
    },
    2,
  ],
  [
    {
      city: "London",
      region: null,
      country: "GB",
      street: UK_STREET,
      postalCode: (r) =>
        `${r.pick(["N", "E", "SE", "SW", "W", "NW"])}${r.int(1, 19)} ${r.int(1, 9)}${letter(r)}${letter(r)}`,
    },
    3,
  ],
  [
    {
      city: "Manchester",
      region: null,
      country: "GB",
      street: UK_STREET,
      postalCode: (r) => `M${r.int(1, 40)} ${r.int(1, 9)}${letter(r)}${letter(r)}`,
    },
    2,
  ],
  [
    {
      city: "Berlin",
      region: "Berlin",
      country: "DE",
      street: (n, name) => `${name}straße ${n}`,
      postalCode: (r) => `1${digits(r, 4)}`,
    },
    2,
  ],
  [
    {
      city: "Paris",
      region: "Île-de-France",
      country: "FR",
      street: (n, name) => `${n} rue ${name}`,
      postalCode: (r) => `750${String(r.int(1, 20)).padStart(2, "0")}`,
    },
    2,
  ],
  [
    {
      city: "Amsterdam",
      region: "Noord-Holland",
      country: "NL",
      street: (n, name) => `${name}straat ${n}`,
      postalCode: (r) => `10${digits(r, 2)} ${letter(r)}${letter(r)}`,
    },
    1,
  ],
  [
    {
      city: "Melbourne",
      region: "VIC",
      country: "AU",
      street: english(["Street", "Road", "Parade"]),
      postalCode: (r) => `30${digits(r, 2)}`,
    },
    2,
  ],
];
