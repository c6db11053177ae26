// Fills the configured database with deterministic demo data (see src/seed/index.ts).
//   npm run db:seed                         DATABASE_URL if set, else PGlite at PGLITE_DIR (.data/pglite)
//   npm run db:seed -- --scale 0.1          fewer rows (also SEED_SCALE=0.1); 1 is ~3000 products, ~30000 reviews
//   npm run db:seed -- --reset              empty every domain table first (destroys existing data)
// Pending migrations are applied first. Without --reset a database that already has users is left alone.
import path from "node:path";
import { parseArgs } from "node:util";
import { openDatabase } from "../src/platform/db/database.js";
import { randomSeedPasswords, SEED_ACCOUNTS, SEED_PASSWORD, seedDatabase } from "../src/seed/index.js";

const { values } = parseArgs({
  options: {
    scale: { type: "string" },
    reset: { type: "boolean", default: false },
  },
});

async function main(): Promise<number> {
  const scaleText = values.scale ?? process.env.SEED_SCALE ?? "1";
  const scale = Number(scaleText);
  if (!Number.isFinite(scale) || scale <= 0) {
    console.error(`--scale / SEED_SCALE must be a positive number, got "${scaleText}"`);
    return 2;
  }
  // As at start-up (README, "Production start-up"): no demo accounts in production unless it is a demo,
  // and then not with the documented password.
  const production = process.env.NODE_ENV === "production";
  const demo = ["true", "1", "yes", "on"].includes(process.env.DEMO_MODE ?? "");
  if (production && !demo) {
    console.error("Refusing to seed demo data with NODE_ENV=production; set DEMO_MODE=true for a demo deployment.");
    return 1;
  }
  const passwords = production ? randomSeedPasswords() : undefined;
  const db = await openDatabase({
    url: process.env.DATABASE_URL || undefined,
    // The same default as `npm run db:migrate` and the server, so all three see one database.
    pgliteDir: path.resolve(process.env.PGLITE_DIR || ".data/pglite"),
    poolSize: 2,
  });
  try {
    await db.migrate();
    const summary = await seedDatabase(db.prisma, {
      scale,
      reset: values.reset,
      log: (msg) => console.log(msg),
      passwords,
    });
    if (!summary.seeded) {
      console.log("The database already has users: nothing seeded. Pass --reset to replace its data.");
      return 0;
    }
    const rows = Object.entries(summary.counts).map(([table, count]) => `  ${table.padEnd(11)} ${count}`);
    console.log(
      `Seeded ${db.kind} at scale ${scale} in ${(summary.durationMs / 1000).toFixed(1)} s:\n${rows.join("\n")}`,
    );
    if (passwords) {
      const lines = Object.entries(SEED_ACCOUNTS).map(
        ([name, account]) => `  ${account.email}  ${passwords[name as keyof typeof SEED_ACCOUNTS]}`,
      );
      console.log(`Demo passwords (shown once):\n${lines.join("\n")}\n  any other seeded user  ${passwords.others}`);
      return 0;
    }
    const accounts = Object.values(SEED_ACCOUNTS).map((a) => a.email);
    console.log(`Sign in as ${accounts.join(", ")} (or any seeded user) with the password "${SEED_PASSWORD}".`);
    return 0;
  } finally {
    await db.close();
  }
}

try {
  process.exitCode = await main();
} catch (error) {
  console.error(error instanceof Error ? (error.stack ?? error.message) : error);
  process.exitCode = 1;
}
