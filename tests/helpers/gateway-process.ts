// A gateway in a process of its own, for tests that need several instances (e.g. sharing one Redis).
// Configured by the environment like the real thing: over DATABASE_URL when set (a database the test
// prepared), else an empty in-memory PGlite (enough for operations that read no rows). Prints `listening <url>` once it accepts requests; SIGTERM stops it.
//
//   node --import tsx tests/helpers/gateway-process.ts
import "reflect-metadata";
import { loadConfig } from "../../src/config/index.js";
import { openDatabase } from "../../src/platform/db/database.js";
import { createLogger } from "../../src/platform/logger/index.js";
import { buildServer } from "../../src/server.js";

const config = loadConfig();
const db = await openDatabase({
  url: config.database.url,
  poolSize: config.database.url ? 3 : 1,
  // As main.ts passes them: behind PgBouncer in transaction mode (the scale-out test) both are off.
  preparedStatements: config.database.preparedStatements,
  statementTimeoutMs: config.database.statementTimeoutMs,
  replicaUrl: config.database.replicaUrl,
});
const gateway = await buildServer(config, { db, logger: createLogger(config.log.level) });
const address = await gateway.app.listen({ host: "127.0.0.1", port: 0 });
process.stdout.write(`listening ${address}\n`);
process.on("SIGTERM", () => {
  gateway.close().finally(() => process.exit(0));
});
