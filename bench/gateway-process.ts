// The real gateway in a process of its own, started by bench/run.ts (never on its own): production
// settings over the bench database, budgets too large to throttle, reports its address and its SQL
// statement count over IPC (ipc.ts).
//
//   argv[2]  the bench database URL
//   argv[3]  "protected" (as deployed, sources through tsx), "dist" (the same from the production build),
//            "unprotected" (buildServer's withoutProtection), "loaders" (as
//            deployed with QUERY_PLANNER=false: every relation through its loader), "graphql-js" (as deployed
//            with COMPILED_EXECUTION=false: graphql-js's execute) or "login" (as deployed
//            but without field limits: the login scenario measures the work behind them)
//            or "cache" (as deployed with the response cache on; bench/cache.ts)
//            or "subscriptions" (as deployed, with room for any number of WebSocket connections from one
//            address, and /metrics on the API port with BENCH_METRICS_TOKEN; bench/subscriptions.ts)
//   BENCH_REDIS_URL  budgets (and, in "cache" mode, the shared response cache) in this Redis
//   BENCH_REDIS_PREFIX  key prefix (default per process): instances given the same one share their cache
import "reflect-metadata";
import { generateKeyPairSync } from "node:crypto";
import { serveHarness } from "./ipc.js";

export type GatewayMode =
  | "protected"
  | "dist"
  | "unprotected"
  | "loaders"
  | "graphql-js"
  | "login"
  | "cache"
  | "subscriptions";

const [databaseUrl, mode = "protected"] = process.argv.slice(2);
if (!databaseUrl)
  throw new Error(
    "usage: gateway-process.ts <database url> [protected|dist|unprotected|loaders|graphql-js|login|cache|subscriptions]",
  );

// "dist": the production build (`npm run build`), as `node dist/main.js` runs it; every other mode runs the
// sources through tsx, as `npm start` does. Both load the same four entry points from their own tree.
const root = mode === "dist" ? "../dist" : "../src";
const { loadConfig } = (await import(`${root}/config/index.js`)) as typeof import("../src/config/index.js");
const { openDatabase } = (await import(
  `${root}/platform/db/database.js`
)) as typeof import("../src/platform/db/database.js");
const { createLogger } = (await import(
  `${root}/platform/logger/index.js`
)) as typeof import("../src/platform/logger/index.js");
const { buildServer } = (await import(`${root}/server.js`)) as typeof import("../src/server.js");
const redisUrl = process.env.BENCH_REDIS_URL;

// A throw-away Ed25519 key so the server runs in production mode (no landing page, no introspection), as deployed.
const benchKey = generateKeyPairSync("ed25519").privateKey.export({ type: "pkcs8", format: "pem" }).toString();
const config = loadConfig({
  NODE_ENV: "production",
  DEMO_MODE: "true",
  LOG_LEVEL: "warn",
  DATABASE_URL: databaseUrl,
  JWT_PRIVATE_KEY: benchKey,
  // The bench measures what the checks cost, not throttling: the clients never run dry.
  RATE_LIMIT_BUDGET: "1000000000",
  RATE_LIMIT_RESTORE_RATE: "1000000000",
  ...(mode === "loaders" ? { QUERY_PLANNER: "false" } : {}),
  ...(mode === "graphql-js" ? { COMPILED_EXECUTION: "false" } : {}),
  // The comparisons with the reference measure execution: only the cache scenario answers from the cache.
  RESPONSE_CACHE: mode === "cache" ? "true" : "false",
  // Every bench client connects from 127.0.0.1.
  ...(mode === "subscriptions"
    ? { SUBSCRIPTION_MAX_CONNECTIONS_PER_ADDRESS: "1000000", METRICS_TOKEN: process.env.BENCH_METRICS_TOKEN }
    : {}),
  ...(redisUrl
    ? { REDIS_URL: redisUrl, REDIS_KEY_PREFIX: process.env.BENCH_REDIS_PREFIX || `bench:${process.pid}:` }
    : {}),
});
const logger = createLogger("warn");

let statements = 0;
const db = await openDatabase(
  {
    url: config.database.url,
    poolSize: config.database.poolSize,
    poolTimeoutMs: config.database.poolTimeoutMs,
    statementTimeoutMs: config.database.statementTimeoutMs,
  },
  {
    onQuery: () => {
      statements++;
    },
  },
);
const gateway = await buildServer(config, {
  db,
  logger,
  withoutProtection: mode === "unprotected",
  ...(mode === "login" ? { fieldLimits: {} } : {}),
});
const address = await gateway.app.listen({ host: "127.0.0.1", port: 0 });
serveHarness(
  address,
  () => statements,
  () => gateway.close(),
);
