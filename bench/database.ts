// The seeded database the bench runs on, kept on the PostgreSQL server between runs: seeding scale 5
// takes minutes. Its name carries the scale and a hash of what decides its contents (the migrations and
// the seed generator), so a change to either gets a fresh database; an old one is left for its owner.
// A database counts as ready only once its comment says so, written after seeding and ANALYZE finished.
import { createHash } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import pg from "pg";
import { openDatabase } from "../src/platform/db/database.js";
import { seedDatabase } from "../src/seed/index.js";

const root = resolve(import.meta.dirname, "..");
const READY = "gw_bench ready";
// Serialises harnesses that would create the same database at once (any constant will do).
const CREATE_LOCK_KEY = 7_331_011;

function contentHash(): string {
  const hash = createHash("sha256");
  for (const dir of ["prisma/migrations", "src/seed"]) {
    const files = (readdirSync(join(root, dir), { recursive: true, withFileTypes: true }) as import("node:fs").Dirent[])
      .filter((entry) => entry.isFile())
      .map((entry) => relative(root, join(entry.parentPath, entry.name)))
      .sort();
    for (const file of files)
      hash
        .update(`${file}\0`)
        .update(readFileSync(join(root, file)))
        .update("\0");
  }
  return hash.digest("hex").slice(0, 12);
}

export function benchDatabaseName(scale: number): string {
  return `gw_bench_s${String(scale).replace(/\W/g, "_")}_${contentHash()}`;
}

const withDatabase = (serverUrl: string, name: string) => {
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return url.toString();
};

/**
 * The URL of a database seeded at `scale`: reused when a complete one exists, else (or with `reseed`)
 * created, migrated, seeded and analysed.
 */
export async function seededDatabase(
  serverUrl: string,
  options: { scale: number; reseed: boolean; log: (line: string) => void },
): Promise<{ url: string; name: string; reused: boolean }> {
  const name = benchDatabaseName(options.scale);
  const url = withDatabase(serverUrl, name);
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  try {
    await admin.query("SELECT pg_advisory_lock($1)", [CREATE_LOCK_KEY]);
    const { rows } = await admin.query<{ comment: string | null }>(
      "SELECT shobj_description(oid, 'pg_database') AS comment FROM pg_database WHERE datname = $1",
      [name],
    );
    const others = await admin.query<{ datname: string }>(
      "SELECT datname FROM pg_database WHERE datname LIKE 'gw\\_bench\\_s%' AND datname <> $1 ORDER BY datname",
      [name],
    );
    if (others.rows.length > 0) {
      const names = others.rows.map((row) => row.datname).join(", ");
      options.log(
        `other bench databases on this server (other scales, or older migrations or seed: drop what is stale): ${names}`,
      );
    }
    const ready = rows[0]?.comment?.startsWith(READY) ?? false;
    if (ready && !options.reseed) return { url, name, reused: true };

    options.log(`creating ${name} (seed scale ${options.scale}; this can take minutes at scale 5)`);
    await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await admin.query(`CREATE DATABASE "${name}"`);
    const db = await openDatabase({ url, poolSize: 4 });
    try {
      await db.migrate();
      const summary = await seedDatabase(db.prisma, { scale: options.scale, log: (line) => options.log(`  ${line}`) });
      options.log(`  seeded in ${(summary.durationMs / 1000).toFixed(1)} s: ${JSON.stringify(summary.counts)}`);
      await db.prisma.$executeRawUnsafe("ANALYZE");
    } finally {
      await db.close();
    }
    const stamp = `${READY}: seed scale ${options.scale}, seeded ${new Date().toISOString()}`;
    await admin.query(`COMMENT ON DATABASE "${name}" IS '${stamp}'`);
    return { url, name, reused: false };
  } finally {
    await admin.end();
  }
}

/**
 * Deletes the sessions the login scenario opened (created at or after `since`), so reruns start alike.
 * Prisma keeps DateTime columns as UTC in \`timestamp\` columns, hence the conversion.
 */
export async function deleteSessionsSince(url: string, since: Date): Promise<number> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const deleted = await client.query(
      `DELETE FROM sessions WHERE "createdAt" >= ($1::timestamptz AT TIME ZONE 'UTC')`,
      [since],
    );
    return deleted.rowCount ?? 0;
  } finally {
    await client.end();
  }
}
