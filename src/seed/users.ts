// Users (the fixed accounts first) and their addresses.
import type { Prisma } from "../generated/prisma/client.js";
import { DAY, HISTORY, HOUR, NOW, SEED_ACCOUNTS } from "./constants.js";
import { type Random, words } from "./random.js";

export interface GenUser {
  id: string;
  name: string;
  createdMs: number;
}

export interface GenAddress {
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

export function generateUsers(
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

export function generateAddresses(
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

// ---------------------------------------------------------------------------------------------------------------
// Word lists

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
