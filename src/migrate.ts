// `npm run db:migrate:dist` (node dist/migrate.js): applies pending migrations and exits, for production
// images, which hold the compiled code and no tsx (`npm run db:migrate` is its development twin). Run it once
// per release before the gateways start (deploy/), against the database server directly rather than through
// PgBouncer, as Prisma advises for migrations: one session, whatever the pooler does between transactions.
import { openDatabase } from "./platform/db/database.js";
import { createLogger } from "./platform/logger/index.js";
import { loadConfigOrExit } from "./startup.js";

const config = loadConfigOrExit();
const logger = createLogger(config.log.level);
const db = await openDatabase({
  url: config.database.url,
  pgliteDir: config.database.url ? undefined : config.database.pgliteDir,
  poolSize: 1,
  poolTimeoutMs: config.database.poolTimeoutMs,
});
try {
  await db.migrate();
  logger.info({ database: db.kind }, "migrations applied");
} finally {
  await db.close();
}
