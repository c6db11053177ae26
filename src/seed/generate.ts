// Generation: pure functions of (scale), no database access.
import * as argon2 from "argon2";
import type { Prisma } from "../generated/prisma/client.js";
import { generateCategories } from "./categories.js";
import { SEED_PASSWORD, type SeedPasswords } from "./constants.js";
import { applyDemoRecords } from "./demo.js";
import { generateOrders } from "./orders.js";
import { generatePosts } from "./posts.js";
import { generateProducts } from "./products.js";
import { Random } from "./random.js";
import { generateReviews } from "./reviews.js";
import { generateAddresses, generateUsers } from "./users.js";

const SEED = 0x5eed_2025;

// Parameters agreed for the whole project (OWASP's argon2id minimums); the hash is computed once per seed.
const PASSWORD_HASH_OPTIONS = { type: argon2.argon2id, memoryCost: 19456, timeCost: 2, parallelism: 1 } as const;

const BASE_COUNTS = { users: 300, products: 3000, reviews: 30000, orders: 1500, posts: 600 } as const;

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
  // users[1] is alice (SEED_ACCOUNTS order).
  const headphones = leaves.find((leaf) => leaf.name === "Headphones");
  if (!headphones) throw new Error("seed: the taxonomy has no Headphones leaf");
  applyDemoRecords(products, stats, reviews, posts, users[1]?.id ?? "", headphones.id);

  return {
    users: users.map((u, i) => ({
      id: u.id,
      email: u.email,
      username: u.username,
      name: u.name,
      passwordHash: namedHashes[i] ?? othersHash,
      // Demo accounts count as proven: password resets go only to verified addresses.
      emailVerified: true,
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
