// The records the README's examples name. They are existing generated rows given a fixed name and slug (not extra
// rows), chosen by a rule over the generated data, so every other row, count and PRNG stream stays as it was and
// the choice is the same at every scale.
import type { Prisma } from "../generated/prisma/client.js";
import type { GenProduct } from "./products.js";

/** Slugs a reader can paste from the README; tests/contract/readme-examples.test.ts runs the examples. */
export const DEMO_SLUGS = {
  /** An active pair of headphones (under $100, in stock, with reviews where the scale allows), not reviewed by alice. */
  product: "aurora-wireless-headphones",
  /** alice's first published post (anyone's at tiny scales). */
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
  headphonesLeafId: string,
): void {
  // On sale and not yet reviewed by alice (the README's createReview example is hers) are musts; the rest are
  // preferences, in order, so that small test scales, which may have no such headphones, still get a product.
  const reviewedByAlice = new Set(reviews.filter((r) => r.authorId === aliceId).map((r) => r.productId));
  const candidates = products.filter(
    (p) => p.status === "ACTIVE" && p.deletedMs === null && !reviewedByAlice.has(p.id),
  );
  const score = (p: (typeof products)[number]) =>
    (p.leaf.name === "Headphones" ? 8 : 0) +
    (p.priceCents <= 10_000 ? 4 : 0) + // the README's search example caps the price at $100
    ((reviewCounts.get(p.id)?.count ?? 0) > 0 ? 2 : 0) +
    ((p.row.stock ?? 0) >= 10 ? 1 : 0);
  const product = candidates.reduce<(typeof products)[number] | undefined>(
    (best, p) => (best === undefined || score(p) > score(best) ? p : best),
    undefined,
  );
  if (!product) throw new Error("seed: no active product alice has not reviewed, for the demo headphones");
  const oldName = product.row.name;
  product.row.name = DEMO_PRODUCT_NAME;
  product.row.slug = DEMO_SLUGS.product;
  product.row.categoryId = headphonesLeafId;
  // The README's checkout example buys two.
  product.row.stock = Math.max(product.row.stock ?? 0, 10);
  product.row.description = product.row.description?.replaceAll(oldName, DEMO_PRODUCT_NAME);
  product.row.imageUrls = (product.row.imageUrls as string[]).map(
    (_, n) => `https://images.example.com/products/${DEMO_SLUGS.product}-${n + 1}.jpg`,
  );

  // alice's first published post, or anyone's at scales too small for alice to have one.
  const published = posts.filter((p) => p.status === "PUBLISHED");
  const post = published.find((p) => p.authorId === aliceId) ?? published[0];
  if (!post) throw new Error("seed: no published post for the demo post");
  post.title = DEMO_POST_TITLE;
  post.slug = DEMO_SLUGS.post;
}
