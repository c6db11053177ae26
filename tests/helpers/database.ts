// Migrated databases for tests, on either backend.
//
//   pglite    in-memory PGlite in the test process: always available, nothing to install.
//   postgres  a real server, given by TEST_DATABASE_URL (e.g. postgresql://postgres@127.0.0.1:5432/postgres):
//             each call creates its own database there (test files run in parallel processes) and
//             close() drops it. Without the variable, suites that need it are reported skipped, with why.
//
// Per backend:
//   for (const backend of backends) {
//     describe.skipIf(backend.skip)(backend.name, () => {
//       let db: TestDatabase;
//       beforeAll(async () => { db = await createTestDatabase(backend.kind); });
//       afterAll(() => db?.close());
//       ...
//     });
//   }
import { randomUUID } from "node:crypto";
import pg from "pg";
import { type Database, openDatabase } from "../../src/platform/db/database.js";

export type BackendKind = Database["kind"];

/** A real PostgreSQL server for tests, or undefined when none is configured. */
export const postgresUrl: string | undefined = process.env.TEST_DATABASE_URL || undefined;

/** Why postgres suites are skipped; undefined when they run. */
export const postgresSkipReason: string | undefined = postgresUrl
  ? undefined
  : "TEST_DATABASE_URL is not set (e.g. postgresql://postgres@127.0.0.1:5432/postgres)";

export interface Backend {
  kind: BackendKind;
  /** Suite title; for a skipped backend it carries the reason, so the report says why. */
  name: string;
  skip: boolean;
}

export const backends: readonly Backend[] = Object.freeze([
  { kind: "pglite", name: "pglite", skip: false },
  {
    kind: "postgres",
    name: postgresSkipReason ? `postgres (skipped: ${postgresSkipReason})` : "postgres",
    skip: postgresSkipReason !== undefined,
  },
]);

/** Every statement the app sent since the last reset (BEGIN/COMMIT/ROLLBACK included; migrations not). */
export interface StatementCounter {
  readonly count: number;
  readonly statements: readonly string[];
  reset(): void;
}

export interface TestDatabase extends Database {
  statements: StatementCounter;
  /** Empties every table (but the migrations table), for tests that share one database. */
  truncateAll(): Promise<void>;
}

function createStatementCounter(): StatementCounter & { record(sql: string): void } {
  const statements: string[] = [];
  return {
    get count() {
      return statements.length;
    },
    statements,
    reset() {
      statements.length = 0;
    },
    record(sql) {
      statements.push(sql);
    },
  };
}

async function withAdminClient<T>(url: string, run: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await run(client);
  } finally {
    await client.end();
  }
}

export interface TestDatabaseOptions {
  /** Default true. */
  migrate?: boolean;
  /** pg pool size for postgres (default 5); PGlite has one connection. */
  poolSize?: number;
  /** postgres: longest wait for a pooled connection (default: none). */
  poolTimeoutMs?: number;
  /** postgres: the server to create the database on (default TEST_DATABASE_URL), e.g. a test's own cluster. */
  serverUrl?: string;
  /** postgres: a streaming replica of `serverUrl`; the database's `replica` client reads the same database there. */
  replicaServerUrl?: string;
}

const sameDatabase = (serverUrl: string, name: string) => {
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return url.toString();
};

export async function createTestDatabase(kind: BackendKind, options: TestDatabaseOptions = {}): Promise<TestDatabase> {
  const counter = createStatementCounter();
  let db: Database;
  let dropDatabase = async () => {};

  if (kind === "pglite") {
    db = await openDatabase({ poolSize: 1 }, { onQuery: counter.record });
  } else {
    const adminUrl = options.serverUrl ?? postgresUrl;
    if (!adminUrl) throw new Error(`createTestDatabase("postgres"): ${postgresSkipReason}`);
    // The prefix lets leftovers of killed runs be found: SELECT datname FROM pg_database WHERE datname LIKE 'gw_test_%'.
    const name = `gw_test_${process.pid}_${randomUUID().slice(0, 8)}`;
    await withAdminClient(adminUrl, (client) => client.query(`CREATE DATABASE "${name}"`));
    // A plain DROP first: it waits for the closed pool's connections to finish closing, whereas FORCE would
    // kill them mid-close and pg would raise an uncaught error. FORCE only if a test leaked a connection.
    dropDatabase = () =>
      withAdminClient(adminUrl, async (client) => {
        await client
          .query(`DROP DATABASE IF EXISTS "${name}"`)
          .catch(() => client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));
      });
    const url = new URL(sameDatabase(adminUrl, name));
    try {
      db = await openDatabase(
        {
          url: url.toString(),
          poolSize: options.poolSize ?? 5,
          poolTimeoutMs: options.poolTimeoutMs,
          replicaUrl: options.replicaServerUrl ? sameDatabase(options.replicaServerUrl, name) : undefined,
        },
        { onQuery: counter.record },
      );
    } catch (error) {
      await dropDatabase();
      throw error;
    }
  }

  try {
    if (options.migrate ?? true) await db.migrate();
  } catch (error) {
    await db.close().finally(dropDatabase);
    throw error;
  }

  let closed = false;
  return {
    ...db,
    statements: counter,
    async truncateAll() {
      const tables = await db.prisma.$queryRaw<{ name: string }[]>`
        SELECT quote_ident(tablename) AS name FROM pg_tables
        WHERE schemaname = 'public' AND tablename <> '_prisma_migrations'`;
      if (tables.length > 0) {
        await db.prisma.$executeRawUnsafe(`TRUNCATE ${tables.map((t) => t.name).join(", ")} RESTART IDENTITY CASCADE`);
      }
    },
    async close() {
      if (closed) return;
      closed = true;
      try {
        await db.close();
      } finally {
        await dropDatabase();
      }
    },
  };
}
