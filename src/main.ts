// Must load before any type-graphql decorator runs (they read design-time metadata through it).
import "reflect-metadata";
import { openDatabase } from "./platform/db/database.js";
import { createLogger } from "./platform/logger/index.js";
import { buildServer } from "./server.js";
import { loadConfigOrExit } from "./startup.js";

async function main() {
  const config = loadConfigOrExit();
  const logger = createLogger(config.log.level);
  // Until the server is up there is nothing to drain: a signal (an orchestrator giving up on a slow start)
  // stops the process at once. Said explicitly because under a container's PID 1 a signal without a
  // handler is ignored, and the start-up (migrations, a demo seed) would run on until SIGKILL.
  const stopDuringStartUp = (signal: string) => {
    logger.info({ signal }, "stopping during start-up");
    process.exit(0);
  };
  process.on("SIGTERM", stopDuringStartUp);
  process.on("SIGINT", stopDuringStartUp);

  const db = await openDatabase(
    {
      url: config.database.url,
      pgliteDir: config.database.url ? undefined : config.database.pgliteDir,
      poolSize: config.database.poolSize,
      poolTimeoutMs: config.database.poolTimeoutMs,
      statementTimeoutMs: config.database.statementTimeoutMs,
      preparedStatements: config.database.preparedStatements,
      replicaUrl: config.database.replicaUrl,
    },
    { onConnectionError: (error) => logger.warn({ err: error }, "database connection lost; the pool reconnects") },
  );
  logger.info(
    { database: db.kind, ...(db.kind === "pglite" ? { dir: config.database.pgliteDir } : {}) },
    db.kind === "pglite"
      ? "using the embedded PostgreSQL (PGlite); set DATABASE_URL for a server"
      : "using PostgreSQL server",
  );
  if (config.database.migrateOnStart) await db.migrate();
  if (config.database.seedOnStart) {
    // Loaded only here: the demo data generator is large and a start without seeding has no use for it.
    const { randomSeedPasswords, SEED_ACCOUNTS, seedDatabase } = await import("./seed/index.js");
    // Only a production demo gets here in production (config refuses the rest); its accounts must not
    // open with the README's password, so each gets a random one, shown once below and never again.
    const passwords = config.database.seedRandomPasswords ? randomSeedPasswords() : undefined;
    // A no-op once the database has users, so restarts keep whatever the demo user changed.
    const summary = await seedDatabase(db.prisma, {
      scale: config.database.seedScale,
      log: (msg) => logger.info(msg),
      passwords,
    });
    if (summary.seeded) logger.info({ counts: summary.counts, durationMs: summary.durationMs }, "seeded demo data");
    if (summary.seeded && passwords) {
      const demoAccounts = Object.fromEntries(
        Object.entries(SEED_ACCOUNTS).map(([name, account]) => [
          account.email,
          passwords[name as keyof typeof SEED_ACCOUNTS],
        ]),
      );
      logger.warn(
        { demoAccounts, otherDemoUsers: passwords.others },
        "DEMO_MODE: demo accounts seeded with these random passwords; they are not shown again",
      );
    }
  }

  const gateway = await buildServer(config, { db, logger });

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    const graceMs = config.http.shutdownGraceMs;
    logger.info({ signal, graceMs }, "shutting down: finishing in-flight requests");
    // The drain answers what is left at graceMs with 503; this is only for a close that hangs after that
    // (a database that does not let go).
    const backstop = setTimeout(() => {
      logger.error({ graceMs }, "shutdown did not complete; exiting anyway");
      process.exit(1);
    }, graceMs + 5_000);
    backstop.unref();
    gateway.close({ drainMs: graceMs }).then(
      () => {
        logger.info("stopped");
        process.exit(0);
      },
      (error: unknown) => {
        logger.error({ err: error }, "error while shutting down");
        process.exit(1);
      },
    );
  };

  const address = await gateway.app.listen({ host: config.http.host, port: config.http.port });
  process.off("SIGTERM", stopDuringStartUp);
  process.off("SIGINT", stopDuringStartUp);
  process.on("SIGTERM", () => stop("SIGTERM"));
  process.on("SIGINT", () => stop("SIGINT"));
  if (gateway.metricsApp && config.metrics?.port) {
    const metricsAddress = await gateway.metricsApp.listen({ host: config.metrics.host, port: config.metrics.port });
    logger.info(`metrics at ${metricsAddress}/metrics`);
  }
  logger.info(`GraphQL at ${address}/graphql`);
}

await main();
