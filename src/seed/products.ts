// Products: brand, adjectives, noun and model suffix over a leaf category, with retail-looking prices.
import type { Prisma } from "../generated/prisma/client.js";
import type { LeafSpec, LeafWithId } from "./categories.js";
import { DAY, HISTORY, NOW } from "./constants.js";
import { type Random, slugify, words } from "./random.js";

export interface GenProduct {
  id: string;
  leaf: LeafSpec;
  noun: string;
  priceCents: number;
  status: "DRAFT" | "ACTIVE" | "ARCHIVED";
  createdMs: number;
  deletedMs: number | null;
}

export function generateProducts(
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

// ---------------------------------------------------------------------------------------------------------------
// Word lists

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
