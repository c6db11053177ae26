// npm run bench (second part) — sign-in cost with the chosen argon2id parameters, through the HTTP API:
// logins/s under load, and how long a failed login takes for a known vs an unknown e-mail (they should
// match: unknown e-mails are verified against a dummy hash).
//
//   BENCH_SECONDS   seconds of load (default 10)
import "reflect-metadata";
import { generateKeyPairSync } from "node:crypto";
import autocannon from "autocannon";
import { loadConfig } from "../src/config/index.js";
import { openDatabase } from "../src/platform/db/database.js";
import { createLogger } from "../src/platform/logger/index.js";
import { SEED_PASSWORD, seedDatabase } from "../src/seed/index.js";
import { buildServer } from "../src/server.js";

const seconds = Number(process.env.BENCH_SECONDS ?? 10);
const key = generateKeyPairSync("ed25519").privateKey.export({ type: "pkcs8", format: "pem" }).toString();

const db = await openDatabase({ poolSize: 1 });
await db.migrate();
await seedDatabase(db.prisma, { scale: 0.02 });
// DEMO_MODE: production settings over the embedded database the benchmark seeded itself.
const config = loadConfig({
  NODE_ENV: "production",
  DEMO_MODE: "true",
  LOG_LEVEL: "warn",
  JWT_PRIVATE_KEY: key,
  ...benchOverrides(),
});
// Without field limits (login's are 30 per address and 10 per e-mail): this measures the work behind them.
const gateway = await buildServer(config, { db, logger: createLogger("warn"), fieldLimits: {} });
const address = await gateway.app.listen({ host: "127.0.0.1", port: 0 });

const loginBody = (email: string, password: string) =>
  JSON.stringify({
    query: "mutation($input: LoginInput!) { login(input: $input) { accessToken userErrors { code } } }",
    variables: { input: { email, password } },
  });
const post = (body: string) =>
  fetch(`${address}/graphql`, { method: "POST", headers: { "content-type": "application/json" }, body });

async function timeOne(email: string, password: string): Promise<number> {
  const started = performance.now();
  const response = await post(loginBody(email, password));
  const result = (await response.json()) as { data?: { login: { accessToken: string | null } }; errors?: unknown };
  if (result.errors) throw new Error(`login failed unexpectedly: ${JSON.stringify(result.errors)}`);
  return performance.now() - started;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? Number.NaN;

try {
  for (let i = 0; i < 5; i++) await timeOne("alice@example.com", SEED_PASSWORD); // warm-up
  const timings = { known: [] as number[], unknown: [] as number[], success: [] as number[] };
  // Interleaved, so drift in machine speed hits all three alike.
  for (let i = 0; i < 30; i++) {
    timings.known.push(await timeOne("alice@example.com", "not-alices-password"));
    timings.unknown.push(await timeOne(`nobody-${i}@example.com`, "not-alices-password"));
    timings.success.push(await timeOne("alice@example.com", SEED_PASSWORD));
  }

  const load = await autocannon({
    url: `${address}/graphql`,
    method: "POST",
    headers: { "content-type": "application/json" },
    body: loginBody("alice@example.com", SEED_PASSWORD),
    connections: 4,
    duration: seconds,
  });

  console.log("\nSign-in (argon2id m=19456 KiB, t=2, p=1), embedded PGlite, production mode\n");
  console.table([
    { case: "failed login, known e-mail", "median ms": median(timings.known).toFixed(1) },
    { case: "failed login, unknown e-mail", "median ms": median(timings.unknown).toFixed(1) },
    { case: "successful login", "median ms": median(timings.success).toFixed(1) },
  ]);
  console.log(
    `unknown/known e-mail timing ratio: ${(median(timings.unknown) / median(timings.known)).toFixed(2)} ` +
      `(1.00 = indistinguishable)\nlogins/s under load (4 connections, ${seconds}s): ${Math.round(load.requests.average)} ` +
      `(p99 ${load.latency.p99} ms, ${load.non2xx + load.errors} failed)`,
  );
} finally {
  // autocannon drops its sockets at the deadline; let the requests it abandoned finish before closing.
  await new Promise((resolve) => setTimeout(resolve, 500));
  await gateway.close();
}

/** Rate limits protect login in production; the benchmark measures the work behind them, so it lifts them. */
function benchOverrides(): Record<string, string> {
  return { RATE_LIMIT_BUDGET: "1000000000", RATE_LIMIT_RESTORE_RATE: "1000000000" };
}
