// Posts: mostly from a few regular writers, titles and paragraphs from the topic word lists.
import type { Prisma } from "../generated/prisma/client.js";
import { DAY, HOUR, NOW } from "./constants.js";
import { type Random, slugify, titleCase } from "./random.js";
import type { GenUser } from "./users.js";

export function generatePosts(rng: Random, total: number, users: readonly GenUser[]): Prisma.PostCreateManyInput[] {
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
// Word lists

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
