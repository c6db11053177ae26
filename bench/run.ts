// npm run bench — throughput of the nested products query with DataLoader batching on and off, on the
// same server code, database and data, measured in one run (the machine's speed drifts between runs,
// so only ratios within a run mean much). Prints requests/s, latency percentiles and SQL statements per
// request for each mode.
//
//   BENCH_DATABASE_URL  a PostgreSQL server to use (a fresh database is created there and dropped);
//                       without it the embedded PGlite is used, in a temporary folder
//   BENCH_SECONDS       seconds per measurement (default 10)
//   BENCH_CONNECTIONS   concurrent HTTP connections (default 10)
//   BENCH_SEED_SCALE    seed size (default 0.2: ~600 products, ~6000 reviews)
import "reflect-metadata";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import autocannon from "autocannon";
import pg from "pg";
import { loadConfig } from "../src/config/index.js";
import { openDatabase } from "../src/platform/db/database.js";
import { seedDatabase } from "../src/platform/db/seed.js";
import { createLogger } from "../src/platform/logger/index.js";
import { buildServer } from "../src/server.js";

const seconds = Number(process.env.BENCH_SECONDS ?? 10);
const connections = Number(process.env.BENCH_CONNECTIONS ?? 10);
const seedScale = Number(process.env.BENCH_SEED_SCALE ?? 0.2);
const serverUrl = process.env.BENCH_DATABASE_URL;

/** The query from the batching test: 20 products, their category, 5 reviews each and the reviews' authors. */
export const nestedProductsQuery = `query Nested {
  products(first: 20) {
    edges { node { name priceCents category { name } reviews(first: 5) { edges { node { rating author { name } } } } } }
  }
}`;

type Result = {
  mode: string;
  requestsPerSecond: number;
  p50: number;
  p99: number;
  statementsPerRequest: number;
  errors: number;
};

async function withDatabase<T>(run: (db: Awaited<ReturnType<typeof openDatabase>>, count: () => number) => Promise<T>) {
  let statements = 0;
  const onQuery = () => {
    statements++;
  };
  let cleanup = async () => {};
  let db: Awaited<ReturnType<typeof openDatabase>>;
  if (serverUrl) {
    const name = `gw_bench_${process.pid}`;
    const admin = new pg.Client({ connectionString: serverUrl });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await admin.query(`CREATE DATABASE "${name}"`);
    const url = new URL(serverUrl);
    url.pathname = `/${name}`;
    db = await openDatabase({ url: url.toString(), poolSize: 10 }, { onQuery });
    cleanup = async () => {
      await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await admin.end();
    };
  } else {
    const dir = await mkdtemp(join(tmpdir(), "gw-bench-"));
    db = await openDatabase({ pgliteDir: dir, poolSize: 1 }, { onQuery });
    cleanup = () => rm(dir, { recursive: true, force: true });
  }
  try {
    await db.migrate();
    await seedDatabase(db.prisma, { scale: seedScale });
    return await run(db, () => statements);
  } finally {
    await db.close();
    await cleanup();
  }
}

async function measure(
  db: Awaited<ReturnType<typeof openDatabase>>,
  countStatements: () => number,
  mode: string,
  batch: boolean,
): Promise<Result> {
  const config = loadConfig({
    NODE_ENV: "production",
    LOG_LEVEL: "warn",
    DATALOADER_BATCH: String(batch),
    JWT_PRIVATE_KEY: benchKey,
  });
  const gateway = await buildServer(config, { db, logger: createLogger("warn") });
  const address = await gateway.app.listen({ host: "127.0.0.1", port: 0 });
  const request = {
    url: `${address}/graphql`,
    method: "POST" as const,
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ query: nestedProductsQuery }),
  };
  try {
    // One request alone first: its statement count is exact (under load, requests straddle the window).
    const before = countStatements();
    const probe = await fetch(request.url, request);
    if (!probe.ok || ((await probe.json()) as { errors?: unknown }).errors)
      throw new Error(`the benchmark query failed (${probe.status})`);
    const statementsPerRequest = countStatements() - before;
    await autocannon({ ...request, connections, duration: 2 }); // warm-up: JIT, pools, PostgreSQL caches
    const result = await autocannon({ ...request, connections, duration: seconds });
    return {
      mode,
      requestsPerSecond: result.requests.average,
      p50: result.latency.p50,
      p99: result.latency.p99,
      statementsPerRequest,
      errors: result.errors + result.non2xx,
    };
  } finally {
    await gateway.app.close();
  }
}

// A throw-away Ed25519 key so the server runs in production mode (no landing page, no introspection), as deployed.
const { generateKeyPairSync } = await import("node:crypto");
const benchKey = generateKeyPairSync("ed25519").privateKey.export({ type: "pkcs8", format: "pem" }).toString();

const results = await withDatabase(async (db, count) => {
  const batched = await measure(db, count, "DataLoader batching", true);
  const unbatched = await measure(db, count, "no batching (N+1)", false);
  return [batched, unbatched];
});

const [batched, unbatched] = results as [Result, Result];
console.log(
  `\nNested products query — ${serverUrl ? "PostgreSQL server" : "embedded PGlite"}, seed scale ${seedScale}, ${connections} connections, ${seconds}s each\n`,
);
console.table(
  results.map((r) => ({
    mode: r.mode,
    "req/s": Math.round(r.requestsPerSecond),
    "p50 ms": r.p50,
    "p99 ms": r.p99,
    "SQL/request": r.statementsPerRequest,
    errors: r.errors,
  })),
);
console.log(
  `batching gives ${(batched.requestsPerSecond / unbatched.requestsPerSecond).toFixed(2)}x the throughput ` +
    `with ${unbatched.statementsPerRequest} → ${batched.statementsPerRequest} SQL statements per request`,
);
if (results.some((r) => r.errors > 0)) {
  console.error("some requests failed: the figures above are not trustworthy");
  process.exitCode = 1;
}
