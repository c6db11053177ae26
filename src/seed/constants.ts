// The fixed inputs every generator shares. Kept apart from index.ts so the table files can use them without
// importing the module that imports them.

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

/**
 * Passwords instead of SEED_PASSWORD, per named account and `others` for every generated user (a
 * production demo must not open with the documented password). Omitted ones keep SEED_PASSWORD.
 */
export type SeedPasswords = Readonly<Partial<Record<keyof typeof SEED_ACCOUNTS | "others", string>>>;

export const DAY = 86_400_000;
export const HOUR = 3_600_000;
export const HISTORY = 730 * DAY;
export const NOW = SEED_NOW.getTime();
