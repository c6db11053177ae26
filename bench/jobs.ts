// npm run bench (fourth part) — background jobs: how many e-mail jobs one worker process delivers per second
// with an instant fake transport (the queue's own cost: fetch, handler's outbox read and update, completion),
// and what enqueueing the confirmation mail adds to `placeOrder`, next to the same gateway with a no-op
// outbox (the feature switched off), interleaved in one run.
//
//   BENCH_DATABASE_URL   a PostgreSQL server: a database gw_bench_jobs is created afresh there (default: PGlite)
//   BENCH_JOBS           jobs to drain per measurement (default 2000)
//   BENCH_ORDERS         placeOrder calls per variant and round (default 100), 4 rounds
import "reflect-metadata";
import { generateKeyPairSync, randomUUID } from "node:crypto";
import pg from "pg";
import { pino } from "pino";
import { loadConfig } from "../src/config/index.js";
import { startJobs } from "../src/jobs.js";
import { passwordResetMail } from "../src/modules/account/account.mail.js";
import { openDatabase } from "../src/platform/db/database.js";
import { inTransaction } from "../src/platform/db/transaction.js";
import type { MailTransport } from "../src/platform/mail/index.js";
import { seedDatabase } from "../src/seed/index.js";
import { buildServer } from "../src/server.js";

const serverUrl = process.env.BENCH_DATABASE_URL;
const jobCount = Number(process.env.BENCH_JOBS ?? 2_000);
const ordersPerRound = Number(process.env.BENCH_ORDERS ?? 100);
const log = pino({ level: "warn" });
const instant: MailTransport = { deliver: async () => {} };
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? Number.NaN;

async function freshDatabaseUrl(): Promise<string | undefined> {
  if (!serverUrl) return undefined;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query("DROP DATABASE IF EXISTS gw_bench_jobs WITH (FORCE)");
  await admin.query("CREATE DATABASE gw_bench_jobs");
  await admin.end();
  const url = new URL(serverUrl);
  url.pathname = "/gw_bench_jobs";
  return url.toString();
}

const url = await freshDatabaseUrl();
let statements = 0;
const db = await openDatabase({ url, poolSize: 10 }, { onQuery: () => statements++ });
await db.migrate();
await seedDatabase(db.prisma, { scale: 0.05 });
await db.prisma.product.updateMany({ where: { status: "ACTIVE" }, data: { stock: 1_000_000_000 } });
const env = {
  NODE_ENV: "test",
  LOG_LEVEL: "warn",
  RATE_LIMIT_BUDGET: "1000000000",
  RATE_LIMIT_RESTORE_RATE: "1000000000",
  JOBS_POLL_INTERVAL_SECONDS: "0.5",
  // One key for both gateways below, so a token one signs is valid on the other.
  JWT_PRIVATE_KEY: generateKeyPairSync("ed25519").privateKey.export({ type: "pkcs8", format: "pem" }).toString(),
  ...(url ? { DATABASE_URL: url } : {}),
};
console.log(`background jobs on ${url ? "a PostgreSQL server" : "PGlite"}`);

// 1. placeOrder with its confirmation mail enqueued, and with a no-op outbox.
{
  const config = loadConfig({ ...env, JOBS_WORKER: "false" });
  const withMail = await buildServer(config, { db, logger: log, fieldLimits: {} });
  const withoutMail = await buildServer(config, {
    db,
    logger: log,
    fieldLimits: {},
    mailOutbox: { send: async () => {} },
  });
  const alice = await db.prisma.user.findUniqueOrThrow({ where: { username: "alice" } });
  const address = await db.prisma.address.findFirstOrThrow({ where: { userId: alice.id } });
  const products = await db.prisma.product.findMany({ where: { status: "ACTIVE", deletedAt: null }, take: 2 });
  const { token } = await withMail.tokens.sign({ id: alice.id, role: alice.role, sessionId: randomUUID() });
  const document = `mutation($input: PlaceOrderInput!) { placeOrder(input: $input) { order { id } userErrors { code } } }`;
  const place = async (gateway: typeof withMail) => {
    const started = performance.now();
    const response = await gateway.app.inject({
      method: "POST",
      url: "/graphql",
      headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
      payload: JSON.stringify({
        query: document,
        variables: {
          input: {
            items: products.map((product) => ({ productId: product.id, quantity: 1 })),
            addressId: address.id,
            idempotencyKey: randomUUID(),
          },
        },
      }),
    });
    const elapsed = performance.now() - started;
    if (!response.json().data?.placeOrder?.order) throw new Error(`placeOrder failed: ${response.body}`);
    return elapsed;
  };
  const count = async (gateway: typeof withMail) => {
    const before = statements;
    await place(gateway);
    return statements - before;
  };
  console.log(
    `SQL statements per placeOrder: with the mail ${await count(withMail)}, without ${await count(withoutMail)}`,
  );
  for (let i = 0; i < 20; i++) await Promise.all([place(withMail), place(withoutMail)]); // warm-up

  console.log("\nplaceOrder, one client   with mail ms  no-op outbox ms  added ms");
  const rows: { on: number; off: number }[] = [];
  for (let round = 1; round <= 4; round++) {
    const times = { on: [] as number[], off: [] as number[] };
    // Mirrored halves (on, off, off, on) so a drift in the machine's speed hits both alike.
    for (const variant of ["on", "off", "off", "on"] as const) {
      for (let i = 0; i < ordersPerRound / 2; i++)
        times[variant].push(await place(variant === "on" ? withMail : withoutMail));
    }
    const row = { on: median(times.on), off: median(times.off) };
    rows.push(row);
    console.log(
      `round ${round}                  ${row.on.toFixed(2).padStart(12)}  ${row.off.toFixed(2).padStart(15)}  ${(row.on - row.off).toFixed(2).padStart(8)}`,
    );
  }
  const on = median(rows.map((row) => row.on));
  const off = median(rows.map((row) => row.off));
  console.log(
    `median                   ${on.toFixed(2).padStart(12)}  ${off.toFixed(2).padStart(15)}  ${(on - off).toFixed(2).padStart(8)}  (+${(((on - off) / off) * 100).toFixed(0)} %)`,
  );
  // Not close(): that would close the database both share.
  await withMail.jobs.stop();
  await withoutMail.jobs.stop();
}

// 2. Draining a backlog: `jobCount` delivery jobs, enqueued first, then one worker process's worth of workers.
console.log(`\njobs/s, ${jobCount} e-mail jobs, instant transport`);
for (const concurrency of [2, 4, 16]) {
  const config = loadConfig({ ...env, JOBS_WORKER: "false", JOBS_CONCURRENCY: String(concurrency) });
  const producer = await startJobs(db, config, instant, log);
  for (let batch = 0; batch < jobCount / 100; batch++) {
    await inTransaction(db.prisma, async (tx) => {
      for (let i = 0; i < 100; i++) {
        await producer.outbox.send(tx, passwordResetMail, `bench${i}@example.com`, {
          subject: "s",
          text: "t",
          html: "h",
        });
      }
    });
  }
  // Part 1 left its order confirmations unsent too: they count, and are drained, alike.
  const pending = () => db.prisma.emailOutbox.count({ where: { sentAt: null } });
  const backlog = await pending();
  const started = performance.now();
  const worker = await startJobs(db, { ...config, jobs: { ...config.jobs, worker: true } }, instant, log);
  while ((await pending()) > 0) await new Promise((resolve) => setTimeout(resolve, 50));
  const seconds = (performance.now() - started) / 1000;
  console.log(
    `concurrency ${String(concurrency).padStart(2)}: ${(backlog / seconds).toFixed(0)} jobs/s (${backlog} in ${seconds.toFixed(2)} s)`,
  );
  await worker.queue.stop();
  await producer.queue.stop();
}

await db.close();
process.exit(0);
