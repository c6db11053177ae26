// The category tree: a fixed taxonomy of 4 roots, 12 groups and 28 leaves, with the word lists products draw from.
import type { Prisma } from "../generated/prisma/client.js";
import { DAY, HISTORY, NOW } from "./constants.js";
import { type Random, slugify } from "./random.js";

export function generateCategories(rng: Random): { levels: Prisma.CategoryCreateManyInput[][]; leaves: LeafWithId[] } {
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

export interface LeafSpec {
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

export interface LeafWithId extends LeafSpec {
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
