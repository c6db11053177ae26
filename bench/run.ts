// npm run bench — throughput of the nested products query on the same server code, database and data,
// measured in one run (the machine's speed drifts between runs, so only ratios within a run mean much):
//   - DataLoader batching on and off;
//   - the protection stack (query cost and budgets, field limits, depth/alias/directive/token limits,
//     deadline, security headers) on and off. Those two run interleaved (on off off on on off off on, a
//     quarter of the time each), so a drift in the machine's speed hits both alike.
// Prints requests/s, latency percentiles and SQL statements per request for each mode.
//
//   BENCH_DATABASE_URL  a PostgreSQL server to use (a fresh database is created there and dropped);
//                       without it the embedded PGlite is used, in a temporary folder
//   BENCH_REDIS_URL     also measure the protection stack with budgets in this Redis
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
import { createLogger } from "../src/platform/logger/index.js";
import { seedDatabase } from "../src/seed/index.js";
import { buildServer } from "../src/server.js";

const seconds = Number(process.env.BENCH_SECONDS ?? 10);
const connections = Number(process.env.BENCH_CONNECTIONS ?? 10);
const seedScale = Number(process.env.BENCH_SEED_SCALE ?? 0.2);
const serverUrl = process.env.BENCH_DATABASE_URL;
const redisUrl = process.env.BENCH_REDIS_URL;

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

type Db = Awaited<ReturnType<typeof openDatabase>>;
type ServerMode = { batch: boolean; protection: boolean; redis?: string };

/** A listening server in the given mode, with the statement count of one request measured alone. */
async function startServer(db: Db, countStatements: () => number, mode: ServerMode) {
  const config = loadConfig({
    NODE_ENV: "production",
    // Production settings over the database the benchmark seeded itself (embedded unless BENCH_DATABASE_URL).
    DEMO_MODE: "true",
    LOG_LEVEL: "warn",
    DATALOADER_BATCH: String(mode.batch),
    JWT_PRIVATE_KEY: benchKey,
    // The benchmark measures what the checks cost, not throttling: the one client never runs dry.
    RATE_LIMIT_BUDGET: "1000000000",
    RATE_LIMIT_RESTORE_RATE: "1000000000",
    ...(mode.redis ? { REDIS_URL: mode.redis, REDIS_KEY_PREFIX: `bench:${process.pid}:` } : {}),
  });
  const gateway = await buildServer(config, {
    db,
    logger: createLogger("warn"),
    withoutProtection: !mode.protection,
  });
  const address = await gateway.app.listen({ host: "127.0.0.1", port: 0 });
  const request = {
    url: `${address}/graphql`,
    method: "POST" as const,
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ query: nestedProductsQuery }),
  };
  // One request alone first: its statement count is exact (under load, requests straddle the window).
  const before = countStatements();
  const probe = await fetch(request.url, request);
  if (!probe.ok || ((await probe.json()) as { errors?: unknown }).errors)
    throw new Error(`the benchmark query failed (${probe.status})`);
  const statementsPerRequest = countStatements() - before;
  await autocannon({ ...request, connections, duration: 2 }); // warm-up: JIT, pools, PostgreSQL caches
  return { gateway, request, statementsPerRequest };
}

type Server = Awaited<ReturnType<typeof startServer>>;

/** Stops a server but not the shared database (gateway.close() would close that too). */
async function stop(server: Server) {
  await server.gateway.app.close();
  await server.gateway.redis?.close();
}
type Segment = { requests: number; seconds: number; p50: number; p99: number; errors: number };

async function run(server: Server, duration: number): Promise<Segment> {
  const result = await autocannon({ ...server.request, connections, duration });
  return {
    requests: result.requests.total,
    seconds: duration,
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors: result.errors + result.non2xx,
  };
}

function combine(mode: string, server: Server, segments: Segment[]): Result {
  const seconds = segments.reduce((sum, segment) => sum + segment.seconds, 0);
  const average = (pick: (segment: Segment) => number) =>
    Math.round(segments.reduce((sum, segment) => sum + pick(segment), 0) / segments.length);
  return {
    mode,
    requestsPerSecond: segments.reduce((sum, segment) => sum + segment.requests, 0) / seconds,
    p50: average((segment) => segment.p50),
    p99: average((segment) => segment.p99),
    statementsPerRequest: server.statementsPerRequest,
    errors: segments.reduce((sum, segment) => sum + segment.errors, 0),
  };
}

/** Measures modes one after another. */
async function measure(db: Db, countStatements: () => number, mode: string, serverMode: ServerMode): Promise<Result> {
  const server = await startServer(db, countStatements, serverMode);
  try {
    return combine(mode, server, [await run(server, seconds)]);
  } finally {
    await stop(server);
  }
}

/**
 * Measures two modes interleaved A B B A A B B A, a quarter of the time per segment, so that drift in
 * the machine's speed (other processes, thermal) hits both modes alike.
 */
async function measureInterleaved(
  db: Db,
  countStatements: () => number,
  a: [string, ServerMode],
  b: [string, ServerMode],
): Promise<[Result, Result]> {
  const serverA = await startServer(db, countStatements, a[1]);
  const serverB = await startServer(db, countStatements, b[1]);
  try {
    const quarter = Math.max(1, Math.round(seconds / 4));
    const segmentsA: Segment[] = [];
    const segmentsB: Segment[] = [];
    for (const turn of ["A", "B", "B", "A", "A", "B", "B", "A"]) {
      if (turn === "A") segmentsA.push(await run(serverA, quarter));
      else segmentsB.push(await run(serverB, quarter));
    }
    return [combine(a[0], serverA, segmentsA), combine(b[0], serverB, segmentsB)];
  } finally {
    await stop(serverA);
    await stop(serverB);
  }
}

// A throw-away Ed25519 key so the server runs in production mode (no landing page, no introspection), as deployed.
const { generateKeyPairSync } = await import("node:crypto");
const benchKey = generateKeyPairSync("ed25519").privateKey.export({ type: "pkcs8", format: "pem" }).toString();

const results = await withDatabase(async (db, count) => {
  const [protectedRun, unprotectedRun] = await measureInterleaved(
    db,
    count,
    ["batching + protection stack", { batch: true, protection: true }],
    ["batching, no protection stack", { batch: true, protection: false }],
  );
  const measured = [protectedRun, unprotectedRun];
  if (redisUrl) {
    const [withRedis, without] = await measureInterleaved(
      db,
      count,
      ["batching + protection stack (Redis)", { batch: true, protection: true, redis: redisUrl }],
      ["batching, no protection stack", { batch: true, protection: false }],
    );
    measured.push(withRedis, { ...without, mode: "batching, no protection stack (2nd pair)" });
  }
  measured.push(await measure(db, count, "no batching (N+1) + protection", { batch: false, protection: true }));
  return measured;
});

const byMode = (mode: string) => results.find((r) => r.mode === mode) as Result;
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
const batched = byMode("batching + protection stack");
const unbatched = byMode("no batching (N+1) + protection");
const unprotected = byMode("batching, no protection stack");
console.log(
  `batching gives ${(batched.requestsPerSecond / unbatched.requestsPerSecond).toFixed(2)}x the throughput ` +
    `with ${unbatched.statementsPerRequest} → ${batched.statementsPerRequest} SQL statements per request`,
);
const cost = (withStack: Result, without: Result) =>
  `${(withStack.requestsPerSecond / without.requestsPerSecond).toFixed(3)} of the throughput without it ` +
  `(costs ${((1 - withStack.requestsPerSecond / without.requestsPerSecond) * 100).toFixed(1)} %)`;
console.log(`protection stack, in-process budgets: ${cost(batched, unprotected)}`);
if (redisUrl) {
  console.log(
    `protection stack, Redis budgets: ${cost(byMode("batching + protection stack (Redis)"), byMode("batching, no protection stack (2nd pair)"))}`,
  );
}
if (results.some((r) => r.errors > 0)) {
  console.error("some requests failed: the figures above are not trustworthy");
  process.exitCode = 1;
}
