// `npm run worker`: the background job workers alone, for production deployments that run the gateway with
// JOBS_WORKER=false and scale workers separately. Same configuration as the gateway; needs DATABASE_URL
// (the embedded PGlite belongs to one process, so with it the gateway runs its own workers).
import "reflect-metadata";
import type { Config } from "./config/index.js";
import { defaultMailTransport, startJobs } from "./jobs.js";
import { openDatabase } from "./platform/db/database.js";
import { createLogger } from "./platform/logger/index.js";
import { loadConfigOrExit } from "./startup.js";

async function main() {
  const loaded = loadConfigOrExit();
  // This process is the workers, whatever JOBS_WORKER says (it tells the gateway to leave them here).
  const config: Config = { ...loaded, jobs: { ...loaded.jobs, worker: true } };
  const logger = createLogger(config.log.level);
  if (!config.database.url) {
    logger.fatal("npm run worker needs DATABASE_URL: with the embedded database, `npm start` runs the workers");
    process.exit(1);
  }
  const db = await openDatabase(
    {
      url: config.database.url,
      poolSize: config.jobs.concurrency + 1,
      poolTimeoutMs: config.database.poolTimeoutMs,
      statementTimeoutMs: config.database.statementTimeoutMs,
      preparedStatements: config.database.preparedStatements,
    },
    { onConnectionError: (error) => logger.warn({ err: error }, "database connection lost; the pool reconnects") },
  );
  if (config.database.migrateOnStart) await db.migrate();
  const jobs = await startJobs(db, config, defaultMailTransport(config, logger), logger);

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal, timeoutMs: config.jobs.shutdownTimeoutMs }, "worker stopping: finishing running jobs");
    jobs.queue
      .stop()
      .then(() => db.close())
      .then(
        () => {
          logger.info("worker stopped");
          process.exit(0);
        },
        (error: unknown) => {
          logger.error({ err: error }, "error while stopping the worker");
          process.exit(1);
        },
      );
  };
  process.on("SIGTERM", () => stop("SIGTERM"));
  process.on("SIGINT", () => stop("SIGINT"));
}

await main();
