// npm run bench (last part) — subscriptions (README, "Subscriptions"): memory per idle WebSocket subscriber
// on one gateway process, and how long one event takes to reach every subscriber, next to the response
// time of the same mutation with no subscriber (measured in the same run).
//
//   BENCH_DATABASE_URL          the PostgreSQL server holding the bench database (run.ts seeds it)
//   BENCH_SUBSCRIBERS           idle subscribers for the memory figure (default 10000)
//   BENCH_DELIVERY_SUBSCRIBERS  subscribers an event is timed to (default 1000)
//   BENCH_EVENTS                events timed per round (default 20), 2 rounds
//
// All subscribers watch one product (`productUpdated(id)`) from this process; each event is an admin's
// `updateProduct` of its price over HTTP. Latency is from sending the mutation to each subscriber's message
// arriving (so it includes this process reading 1000 sockets on the same 2 cores as the gateway).
import { randomBytes } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";
import { type Client, createClient } from "graphql-ws";
import pg from "pg";
import { WebSocket } from "ws";
import { SEED_PASSWORD } from "../src/seed/index.js";
import { seededDatabase } from "./database.js";
import { loginBody } from "./login.js";
import { rssMiB } from "./proc.js";
import { postGraphQL, type ServerProcess, startGateway } from "./servers.js";
import { settings } from "./settings.js";

const log = (line: string) => console.log(line);
const idleSubscribers = Number(process.env.BENCH_SUBSCRIBERS ?? 10_000);
const deliverySubscribers = Number(process.env.BENCH_DELIVERY_SUBSCRIBERS ?? 1_000);
const eventsPerRound = Number(process.env.BENCH_EVENTS ?? 20);

if (!settings.databaseUrl) {
  log("\nsubscriptions: skipped (set BENCH_DATABASE_URL)");
  process.exit(0);
}

const percentile = (values: number[], fraction: number) =>
  [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.ceil(fraction * values.length) - 1)] ?? Number.NaN;
const f = (value: number, digits = 0) => value.toFixed(digits);

const database = await seededDatabase(settings.databaseUrl, { scale: settings.seedScale, reseed: false, log });
const db = new pg.Client({ connectionString: database.url });
await db.connect();
const [product] = (
  await db.query<{ id: string; priceCents: number }>(
    `SELECT id, "priceCents" FROM products WHERE status = 'ACTIVE' AND "deletedAt" IS NULL LIMIT 1`,
  )
).rows;
await db.end();
if (!product) throw new Error("no product on sale in the bench database");

const metricsToken = randomBytes(24).toString("hex");
process.env.BENCH_METRICS_TOKEN = metricsToken;
let gateway: ServerProcess | null = null;
const clients: Client[] = [];
// Arrival times of the current event, one per subscriber.
let arrivals: number[] = [];

const post = <Data>(body: object, token?: string) => postGraphQL<Data>(gateway as ServerProcess, body, token);

async function activeSubscriptions(): Promise<number> {
  const url = (gateway as ServerProcess).graphqlUrl.replace(/\/graphql$/, "/metrics");
  const text = await (await fetch(url, { headers: { authorization: `Bearer ${metricsToken}` } })).text();
  return Number(/^gateway_subscriptions (\d+)/m.exec(text)?.[1] ?? 0);
}

/** Opens subscribers until there are `total`, 200 at a time, and waits until the gateway counts them all. */
async function subscribeUpTo(total: number) {
  const url = (gateway as ServerProcess).graphqlUrl.replace(/^http/, "ws");
  while (clients.length < total) {
    const batch = Math.min(200, total - clients.length);
    for (let i = 0; i < batch; i++) {
      const client = createClient({ url, webSocketImpl: WebSocket, retryAttempts: 0, lazy: false });
      client.subscribe(
        {
          query: "subscription($id: ID!) { productUpdated(id: $id) { product { priceCents } } }",
          variables: { id: product?.id },
        },
        {
          next: () => arrivals.push(performance.now()),
          error: (error) => log(`subscriber failed: ${JSON.stringify(error)}`),
          complete: () => {},
        },
      );
      clients.push(client);
    }
    while ((await activeSubscriptions()) < clients.length) await sleep(50);
  }
  // The count goes up as a subscription is admitted; its listener is attached a moment later.
  await sleep(1_000);
}

try {
  gateway = await startGateway("gateway", database.url, "subscriptions");
  const login = JSON.parse(loginBody("admin@example.com", SEED_PASSWORD)) as object;
  const { login: admin } = await post<{ login: { accessToken: string } }>(login);
  let price = product.priceCents;
  const update = () =>
    post(
      {
        query:
          "mutation($id: ID!, $input: UpdateProductInput!) { updateProduct(id: $id, input: $input) { userErrors { code } } }",
        variables: { id: product.id, input: { priceCents: ++price } },
      },
      admin.accessToken,
    );

  /** Times `count` events to every current subscriber: delivery latencies and the mutations' own. */
  async function timeEvents(count: number) {
    const latencies: number[] = [];
    const responses: number[] = [];
    for (let i = 0; i < count; i++) {
      arrivals = [];
      const sent = performance.now();
      await update();
      responses.push(performance.now() - sent);
      const deadline = Date.now() + 30_000;
      while (arrivals.length < clients.length && Date.now() < deadline) await sleep(5);
      if (arrivals.length < clients.length) log(`  event ${i}: only ${arrivals.length}/${clients.length} arrived`);
      for (const at of arrivals) latencies.push(at - sent);
      await sleep(100);
    }
    return { latencies, responses };
  }

  await update(); // warm-up: the first write compiles what it needs
  const idleRss = rssMiB(gateway.pid);
  log(`\nsubscriptions: one gateway process, subscribers on one product, PostgreSQL server`);
  log(`gateway RSS with no subscriber: ${f(idleRss)} MiB`);

  const alone = await timeEvents(eventsPerRound);
  log(`updateProduct with no subscriber (the reference): response p50 ${f(percentile(alone.responses, 0.5), 1)} ms`);

  await subscribeUpTo(deliverySubscribers);
  log(`\ndelivery of one updateProduct event to ${deliverySubscribers} subscribers (from sending the mutation):`);
  log("round | mutation response p50 | delivery p50 | delivery p99 | delivery max");
  for (let round = 1; round <= 2; round++) {
    const { latencies, responses } = await timeEvents(eventsPerRound);
    log(
      `${round}     | ${f(percentile(responses, 0.5), 1)} ms | ${f(percentile(latencies, 0.5), 1)} ms | ` +
        `${f(percentile(latencies, 0.99), 1)} ms | ${f(Math.max(...latencies), 1)} ms`,
    );
  }

  await subscribeUpTo(idleSubscribers);
  await sleep(2_000);
  const fullRss = rssMiB(gateway.pid);
  log(
    `\n${idleSubscribers} idle subscribers: gateway RSS ${f(fullRss)} MiB, ` +
      `${f(((fullRss - idleRss) * 1024) / idleSubscribers, 1)} KiB per subscriber (connection + subscription)`,
  );
  const { latencies, responses } = await timeEvents(3);
  log(
    `one event to all ${idleSubscribers}: mutation response p50 ${f(percentile(responses, 0.5), 1)} ms, ` +
      `delivery p50 ${f(percentile(latencies, 0.5))} ms, p99 ${f(percentile(latencies, 0.99))} ms`,
  );
} finally {
  for (const client of clients) client.dispose();
  await gateway?.stop();
}
