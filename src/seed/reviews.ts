// Reviews: ratings around each product's quality, bodies from the review texts, and the per-product totals.
import type { Prisma } from "../generated/prisma/client.js";
import { HOUR, NOW } from "./constants.js";
import type { GenProduct } from "./products.js";
import { clamp, type Random } from "./random.js";
import type { GenUser } from "./users.js";

export function generateReviews(
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

// ---------------------------------------------------------------------------------------------------------------
// Word lists

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
