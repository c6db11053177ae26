// The records the README's examples name. They are existing generated rows given a fixed name and slug (not extra
// rows), chosen by a rule over the generated data, so every other row, count and PRNG stream stays as it was and
// the choice is the same at every scale.
import type { Prisma } from "../generated/prisma/client.js";
import type { GenProduct } from "./products.js";

/** Slugs a reader can paste from the README; tests/contract/readme-examples.test.ts runs the examples. */
export const DEMO_SLUGS = {
  /** An active, in-stock pair of headphones under $100 with reviews, not yet reviewed by alice. */
  product: "aurora-wireless-headphones",
  /** alice's first published post. */
  post: "welcome-to-our-blog",
} as const;

const DEMO_PRODUCT_NAME = "Aurora Wireless Headphones";
const DEMO_POST_TITLE = "Welcome to our blog";

export function applyDemoRecords(
  products: (GenProduct & { row: Prisma.ProductCreateManyInput })[],
  reviewCounts: ReadonlyMap<string, { count: number }>,
  reviews: readonly Prisma.ReviewCreateManyInput[],
  posts: Prisma.PostCreateManyInput[],
  aliceId: string,
): void {
  const reviewedByAlice = new Set(reviews.filter((r) => r.authorId === aliceId).map((r) => r.productId));
  const product = products.find(
    (p) =>
      p.leaf.name === "Headphones" &&
      p.status === "ACTIVE" &&
      p.deletedMs === null &&
      p.priceCents <= 10_000 &&
      (p.row.stock ?? 0) >= 10 &&
      (reviewCounts.get(p.id)?.count ?? 0) > 0 &&
      !reviewedByAlice.has(p.id),
  );
  if (!product) throw new Error("seed: no product fits the demo headphones");
  const oldName = product.row.name;
  product.row.name = DEMO_PRODUCT_NAME;
  product.row.slug = DEMO_SLUGS.product;
  product.row.description = product.row.description?.replaceAll(oldName, DEMO_PRODUCT_NAME);
  product.row.imageUrls = (product.row.imageUrls as string[]).map(
    (_, n) => `https://images.example.com/products/${DEMO_SLUGS.product}-${n + 1}.jpg`,
  );

  const post = posts.find((p) => p.authorId === aliceId && p.status === "PUBLISHED");
  if (!post) throw new Error("seed: alice has no published post");
  post.title = DEMO_POST_TITLE;
  post.slug = DEMO_SLUGS.post;
}
