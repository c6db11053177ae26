// npm run bench (fourth part, with BENCH_CACHE=1) — the response cache (README, "Caching"): req/s and Node
// CPU per request of the nested catalog query and a product page, answered from the cache (the same
// request again and again) and missing it (unique variables on every request, so every one executes,
// and is then stored), on a gateway with the cache on, next to the same gateway with the cache off
// answering the misses' requests; then how long after an `updateProduct` response another instance
// sharing the Redis answers the new price.
//
//   BENCH_CACHE=1          run it (skipped, with a note, otherwise)
//   BENCH_DATABASE_URL     the PostgreSQL server holding the bench database (run.ts seeds it)
//   BENCH_REDIS_URL        the Redis the two cache instances share (required)
//   BENCH_CACHE_SECONDS    seconds per segment (default 5; segments run hit, miss, off, off, miss, hit)
//   BENCH_CACHE_UPDATES    mutations timed for the invalidation latency (default 200)
import { randomUUID } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";
import autocannon from "autocannon";
import pg from "pg";
import { SEED_PASSWORD } from "../src/seed/index.js";
import { deleteSessionsSince, seededDatabase } from "./database.js";
import { loginBody } from "./login.js";
import { cpuTicks, ticksToMs } from "./proc.js";
import { nestedProductsQuery } from "./scenarios.js";
import { postGraphQL, type ServerProcess, startGateway } from "./servers.js";
import { settings } from "./settings.js";

const log = (line: string) => console.log(line);
const seconds = Number(process.env.BENCH_CACHE_SECONDS ?? 5);
const updates = Number(process.env.BENCH_CACHE_UPDATES ?? 200);

if (process.env.BENCH_CACHE !== "1" || !settings.databaseUrl || !settings.redisUrl) {
  log("\ncache: skipped (set BENCH_CACHE=1 with BENCH_DATABASE_URL and BENCH_REDIS_URL to measure the response cache)");
  process.exit(0);
}

// The nested query with a variable that changes its cache key but not its answer (a price ceiling above
// every price), so misses do the same work as hits would have.
const nestedMissable = nestedProductsQuery
  .replace("query Nested {", "query Nested($max: Int!) {")
  .replace("products(first: 20)", "products(first: 20, filter: { maxPriceCents: $max })");
const productPage = `query ProductPage($slug: String!) {
  product(slug: $slug) {
    id name description priceCents currency stock averageRating reviewCount imageUrls
    category { name parent { name } }
    reviews(first: 10) { totalCount edges { node { rating body createdAt author { name } } } }
  }
}`;

type Body = () => string;
type Result = { reqPerSecond: number; cpuMsPerRequest: number; p99Ms: number; failures: number };

async function load(server: ServerProcess, body: Body): Promise<Result> {
  const before = cpuTicks(server.pid);
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    autocannon(
      {
        url: server.graphqlUrl,
        connections: 10,
        duration: seconds,
        requests: [
          {
            method: "POST",
            headers: { "content-type": "application/json" },
            setupRequest: (request) => ({ ...request, body: body() }),
          },
        ],
      },
      (error, done) => (error ? reject(error) : resolve(done)),
    );
  });
  const ticks = cpuTicks(server.pid) - before;
  await sleep(300);
  return {
    reqPerSecond: result.requests.total / seconds,
    cpuMsPerRequest: ticksToMs(ticks) / Math.max(1, result.requests.total),
    p99Ms: result.latency.p99,
    failures: result.errors + result.timeouts + result.non2xx,
  };
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? Number.NaN;
const percentile = (values: number[], fraction: number) =>
  [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.ceil(fraction * values.length) - 1)] ?? Number.NaN;
const f = (value: number, digits = 0) => value.toFixed(digits);

const started = new Date(Date.now() - 1_000);
const database = await seededDatabase(settings.databaseUrl, { scale: settings.seedScale, reseed: false, log });
const client = new pg.Client({ connectionString: database.url });
await client.connect();
const slugs = (
  await client.query<{ slug: string }>(
    `SELECT slug FROM products WHERE status = 'ACTIVE' AND "deletedAt" IS NULL ORDER BY "reviewCount" DESC LIMIT 5000`,
  )
).rows.map((row) => row.slug);
await client.end();
const hotSlug = slugs[0] as string;

process.env.BENCH_REDIS_PREFIX = `bench-cache:${randomUUID().slice(0, 8)}:`;
const servers: ServerProcess[] = [];
let exitCode = 0;
try {
  const a = await startGateway("gateway, cache (A)", database.url, "cache");
  servers.push(a);
  const b = await startGateway("gateway, cache (B)", database.url, "cache");
  servers.push(b);
  const off = await startGateway("gateway, cache off", database.url, "protected");
  servers.push(off);

  let counter = 0;
  const scenarios: { name: string; hit: Body; miss: Body }[] = [
    {
      name: "nested catalog query",
      hit: () => JSON.stringify({ query: nestedMissable, variables: { max: 2_000_000_000 } }),
      miss: () => JSON.stringify({ query: nestedMissable, variables: { max: 2_000_000_000 - ++counter } }),
    },
    {
      name: "product page",
      hit: () => JSON.stringify({ query: productPage, variables: { slug: hotSlug } }),
      // The most reviewed products' pages, each once; then again with a review page of another size (an
      // unused variable would be refused), so no request repeats one stored before: a key the bench
      // repeated would be a hit counted as a miss (at 2 000 slugs, faster gateways ran out of them).
      miss: () => {
        counter++;
        const slug = slugs[counter % slugs.length];
        const pageSize = 10 + (Math.floor(counter / slugs.length) % 90);
        return JSON.stringify({
          query: productPage.replace("reviews(first: 10)", `reviews(first: ${pageSize})`),
          variables: { slug },
        });
      },
    },
  ];

  log(
    `\ncache: ${seconds} s segments at 10 connections, order hit, miss, off, off, miss, hit; seed scale ${settings.seedScale}`,
  );
  for (const scenario of scenarios) {
    counter = 0;
    await load(a, scenario.hit); // warm-up (and the entry)
    await load(off, scenario.hit);
    const runs: Record<"hit" | "miss" | "off", Result[]> = { hit: [], miss: [], off: [] };
    runs.hit.push(await load(a, scenario.hit));
    runs.miss.push(await load(a, scenario.miss));
    // The misses' requests: "miss ÷ cache off" is then what looking up, recording and storing add.
    runs.off.push(await load(off, scenario.miss));
    runs.off.push(await load(off, scenario.miss));
    runs.miss.push(await load(a, scenario.miss));
    runs.hit.push(await load(a, scenario.hit));
    log(`\n${scenario.name}`);
    log("                      req/s   Node CPU ms/req   p99 ms   failed");
    for (const kind of ["hit", "miss", "off"] as const) {
      const rs = runs[kind];
      const failures = rs.reduce((total, r) => total + r.failures, 0);
      if (failures > 0) exitCode = 1;
      log(
        `  ${kind === "off" ? "cache off" : `cache ${kind}`}`.padEnd(20) +
          `${f(median(rs.map((r) => r.reqPerSecond))).padStart(7)}   ${f(median(rs.map((r) => r.cpuMsPerRequest)), 3).padStart(15)}   ` +
          `${f(median(rs.map((r) => r.p99Ms))).padStart(6)}   ${failures}`,
      );
    }
    const ratio = (pick: (r: Result) => number, x: Result[], y: Result[]) => median(x.map(pick)) / median(y.map(pick));
    log(
      `  hit ÷ miss: req/s ${f(
        ratio((r) => r.reqPerSecond, runs.hit, runs.miss),
        1,
      )}×, Node CPU/req ` +
        `${f(
          ratio((r) => r.cpuMsPerRequest, runs.hit, runs.miss),
          3,
        )}×; miss ÷ cache off: req/s ` +
        `${f(
          ratio((r) => r.reqPerSecond, runs.miss, runs.off),
          2,
        )}×, Node CPU/req ${f(
          ratio((r) => r.cpuMsPerRequest, runs.miss, runs.off),
          2,
        )}×`,
    );
  }

  // Invalidation: B holds the product page; A changes the price; how long from A's response until B
  // answers the new price (polling B from the moment A answered).
  const login = JSON.parse(loginBody("admin@example.com", SEED_PASSWORD)) as object;
  const { login: signedIn } = await postGraphQL<{ login: { accessToken: string } }>(a, login);
  const { product } = await postGraphQL<{ product: { id: string; priceCents: number } }>(b, {
    query: productPage,
    variables: { slug: hotSlug },
  });
  const latencies: number[] = [];
  let polls = 0;
  const original = product.priceCents;
  for (let i = 1; i <= updates; i++) {
    await postGraphQL(b, { query: productPage, variables: { slug: hotSlug } }); // cached on B (first tier)
    const price = original + (i % 2);
    await postGraphQL(
      a,
      {
        query:
          "mutation($id: ID!, $input: UpdateProductInput!) { updateProduct(id: $id, input: $input) { userErrors { code } } }",
        variables: { id: product.id, input: { priceCents: price } },
      },
      signedIn.accessToken,
    );
    const answered = performance.now();
    for (;;) {
      polls++;
      const seen = await postGraphQL<{ product: { priceCents: number } }>(b, {
        query: productPage,
        variables: { slug: hotSlug },
      });
      if (seen.product.priceCents === price) break;
      if (performance.now() - answered > 5_000) throw new Error("the other instance never saw the new price");
    }
    latencies.push(performance.now() - answered);
  }
  log(
    `\ninvalidation, ${updates} updateProduct on A, product page polled on B from A's response: ` +
      `median ${f(median(latencies), 2)} ms, p99 ${f(percentile(latencies, 0.99), 2)} ms, max ${f(Math.max(...latencies), 2)} ms ` +
      `(target p99 ≤ 50 ms); B answered the old price ${polls - updates} time(s)`,
  );
  await postGraphQL(
    a,
    {
      query:
        "mutation($id: ID!, $input: UpdateProductInput!) { updateProduct(id: $id, input: $input) { userErrors { code } } }",
      variables: { id: product.id, input: { priceCents: original } },
    },
    signedIn.accessToken,
  );
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  exitCode = 1;
} finally {
  await Promise.all(servers.map((server) => server.stop()));
  await deleteSessionsSince(database.url, started); // the admin's sign-in
}
process.exitCode = exitCode;
