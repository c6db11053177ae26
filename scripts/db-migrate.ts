// Migrations without the Prisma CLI's downloaded engine (see src/platform/db/schema-engine.ts).
//   npm run db:migrate                          apply pending migrations to DATABASE_URL, else PGlite at PGLITE_DIR (.data/pglite)
//   npm run db:migrate:create -- <name>         write a new migration from the schema.prisma diff
//   npm run db:migrate:create -- <name> --empty write it even when there is no diff (for hand-written SQL)
//   npm run db:migrate -- --check               exit 1 and print the SQL when schema.prisma and the migrations disagree
import { mkdir } from "node:fs/promises";
import path from "node:path";
import { parseArgs } from "node:util";
import { PGlite } from "@electric-sql/pglite";
import pg from "pg";
import { pgAdapterFactory, pgliteAdapterFactory } from "../src/platform/db/adapters.js";
import { applyMigrations, createMigration, diffMigrationsToSchema } from "../src/platform/db/schema-engine.js";

const { values, positionals } = parseArgs({
  options: {
    create: { type: "boolean", default: false },
    empty: { type: "boolean", default: false },
    check: { type: "boolean", default: false },
  },
  allowPositionals: true,
});

async function create(): Promise<number> {
  const name = positionals.join("_");
  if (!name) {
    console.error("Usage: npm run db:migrate:create -- <name> [--empty]");
    return 2;
  }
  const created = await createMigration(name, { allowEmpty: values.empty });
  if (!created) {
    console.log("schema.prisma and the migrations agree: no migration written (pass --empty to write one anyway).");
    return 0;
  }
  console.log(`Wrote ${path.relative(process.cwd(), created.file)}`);
  return 0;
}

async function check(): Promise<number> {
  const sql = await diffMigrationsToSchema();
  if (!sql) {
    console.log("No drift: the migrations produce what schema.prisma describes.");
    return 0;
  }
  console.error("Drift: schema.prisma and prisma/migrations disagree. A new migration would contain:\n");
  console.error(sql);
  console.error("Run `npm run db:migrate:create -- <name>` to write it.");
  return 1;
}

async function apply(): Promise<number> {
  const url = process.env.DATABASE_URL;
  let applied: string[];
  let target: string;
  if (url) {
    const pool = new pg.Pool({ connectionString: url, max: 1 });
    target = new URL(url).host + new URL(url).pathname;
    try {
      applied = await applyMigrations(pgAdapterFactory(pool));
    } finally {
      await pool.end();
    }
  } else {
    const dir = path.resolve(process.env.PGLITE_DIR ?? ".data/pglite");
    await mkdir(dir, { recursive: true });
    const client = await PGlite.create(dir);
    target = `PGlite at ${dir}`;
    try {
      applied = await applyMigrations(pgliteAdapterFactory(client));
    } finally {
      await client.close();
    }
  }
  console.log(
    applied.length > 0
      ? `Applied to ${target}:\n${applied.map((name) => `  ${name}`).join("\n")}`
      : `${target} is up to date.`,
  );
  return 0;
}

try {
  process.exitCode = values.create ? await create() : values.check ? await check() : await apply();
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
}
