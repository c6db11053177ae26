// Must load before any type-graphql decorator runs (they read design-time metadata through it).
import "reflect-metadata";
import { type Config, ConfigError, loadConfig } from "./config/index.js";
import { openDatabase } from "./platform/db/database.js";
import { randomSeedPasswords, SEED_ACCOUNTS, type SeedPasswords, seedDatabase } from "./platform/db/seed.js";
import { createLogger } from "./platform/logger/index.js";
import { buildServer } from "./server.js";

async function main() {
  let config: Config;
  try {
    config = loadConfig();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    createLogger("info").fatal({ problems: error.problems }, error.message);
    process.exit(1);
  }
  const logger = createLogger(config.log.level);

  const db = await openDatabase(
    {
      url: config.database.url,
      pgliteDir: config.database.url ? undefined : config.database.pgliteDir,
      poolSize: config.database.poolSize,
      statementTimeoutMs: config.database.statementTimeoutMs,
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
        Object.entries(SEED_ACCOUNTS).map(([name, account]) => [account.email, passwords[name as keyof SeedPasswords]]),
      );
      logger.warn(
        { demoAccounts, otherDemoUsers: passwords.others },
        "DEMO_MODE: demo accounts seeded with these random passwords; they are not shown again",
      );
    }
  }

  const gateway = await buildServer(config, { db, logger });
  await gateway.app.listen({ host: config.http.host, port: config.http.port });
  logger.info(`GraphQL at http://${config.http.host}:${config.http.port}/graphql`);

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, "shutting down: finishing in-flight requests");
    const deadline = setTimeout(() => {
      logger.error({ graceMs: config.http.shutdownGraceMs }, "shutdown grace period over; exiting anyway");
      process.exit(1);
    }, config.http.shutdownGraceMs);
    deadline.unref();
    gateway.close().then(
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
  process.on("SIGTERM", () => stop("SIGTERM"));
  process.on("SIGINT", () => stop("SIGINT"));
}

await main();
