import { mkdir } from "node:fs/promises";
import { PGlite } from "@electric-sql/pglite";
import type { SqlMigrationAwareDriverAdapterFactory } from "@prisma/driver-adapter-utils";
import pg from "pg";
import { PrismaClient } from "../../generated/prisma/client.js";
import { instrumentAdapterFactory, pgAdapterFactory, pgliteAdapterFactory } from "./adapters.js";
import { cancellableStatements, type RunCancellable, uncancellable } from "./cancellation.js";
import { applyMigrations } from "./schema-engine.js";
import { noteStatement } from "./statement-count.js";

export interface DatabaseConfig {
  /** A PostgreSQL server (`postgresql://...`). Without it the database is PGlite, in this process. */
  url?: string;
  /** Where PGlite keeps its files (created if missing); in memory when undefined. Ignored with `url`. */
  pgliteDir?: string;
  /** Connections in the pg pool. PGlite always has exactly one. */
  poolSize: number;
  /**
   * PostgreSQL server only: longest wait for a connection, whether for a free one in a full pool or for a
   * new one to open (0 or unset: no limit). Past it the statement fails, and the request gets 503
   * SERVICE_UNAVAILABLE rather than waiting out its deadline on a database that is not answering.
   */
  poolTimeoutMs?: number;
  /**
   * PostgreSQL server only: the server cancels any statement running longer (0 or unset: no limit). The
   * request deadline stops new work, but only this stops a statement already running.
   */
  statementTimeoutMs?: number;
  /**
   * PostgreSQL server only (default true): statements are prepared once per connection under a name,
   * sparing the server their parse and plan on every call (adapters.ts, `statementNames`).
   */
  preparedStatements?: boolean;
  /**
   * PostgreSQL server only: a streaming replica of `url`, with a pool of its own (same size and settings),
   * for the reads that may be a little behind (platform/db/read-routing.ts).
   */
  replicaUrl?: string;
}

export interface DatabaseOptions {
  /**
   * Called with every SQL statement the app sends, before it is sent: Prisma's queries, raw queries,
   * and the statements of transactions (BEGIN and COMMIT/ROLLBACK included, on both backends).
   * Migrations are not reported.
   */
  onQuery?: (sql: string) => void;
  /**
   * An idle pooled connection failed (the server restarted, or an admin ended the session). The pool
   * drops that connection and opens a new one on demand; without a listener, pg would crash the process.
   */
  onConnectionError?: (error: Error) => void;
}

export interface Database {
  prisma: PrismaClient;
  /** A client of the streaming replica (`replicaUrl`); null without one. Never written through. */
  replica: PrismaClient | null;
  kind: "pglite" | "postgres";
  /**
   * Runs work (a request) so that the statements it has running can be cancelled at once, e.g. at its
   * deadline (cancellation.ts). PostgreSQL server only: on PGlite, `cancel()` does nothing.
   */
  cancellable: RunCancellable;
  /** Applies prisma/migrations not yet applied, as `prisma migrate deploy` would. */
  migrate(): Promise<void>;
  /** PostgreSQL server only: its URL, for what keeps connections of its own (the job queue). */
  url?: string;
  /** PGlite only: the in-process database itself, for what must share its one connection (the job queue). */
  pglite?: PGlite;
  /**
   * PostgreSQL server only: the pool's connections now (for metrics). PGlite has no pool: one in-process
   * connection whose queries queue inside PGlite, out of sight.
   */
  poolStats?: () => PoolStats;
  /** Disconnects Prisma, then ends the pool or closes PGlite. */
  close(): Promise<void>;
}

export type PoolStats = Readonly<{
  /** Connections open (in use or idle). */
  total: number;
  idle: number;
  /** Queries waiting for a connection: the pool is exhausted while this is above zero. */
  waiting: number;
  max: number;
}>;

export async function openDatabase(config: DatabaseConfig, options: DatabaseOptions = {}): Promise<Database> {
  let kind: Database["kind"];
  let adapterFactory: SqlMigrationAwareDriverAdapterFactory;
  let closeDriver: () => Promise<void>;
  let cancellable = uncancellable;
  let pglite: PGlite | undefined;
  let poolStats: (() => PoolStats) | undefined;

  const serverPool = (url: string) => {
    const pool = new pg.Pool({
      connectionString: url,
      max: config.poolSize,
      ...(config.poolTimeoutMs ? { connectionTimeoutMillis: config.poolTimeoutMs } : {}),
      ...(config.statementTimeoutMs ? { statement_timeout: config.statementTimeoutMs } : {}),
    });
    pool.on("error", (error) => options.onConnectionError?.(error));
    return pool;
  };
  let replicaPool: pg.Pool | undefined;

  if (config.url) {
    const pool = serverPool(config.url);
    if (config.replicaUrl) replicaPool = serverPool(config.replicaUrl);
    cancellable = cancellableStatements(pool);
    kind = "postgres";
    adapterFactory = pgAdapterFactory(pool, { preparedStatements: config.preparedStatements ?? true });
    closeDriver = async () => {
      await Promise.all([pool.end(), replicaPool?.end()]);
    };
    poolStats = () => ({
      total: pool.totalCount,
      idle: pool.idleCount,
      waiting: pool.waitingCount,
      max: config.poolSize,
    });
  } else {
    if (config.pgliteDir) await mkdir(config.pgliteDir, { recursive: true });
    const client = await PGlite.create(config.pgliteDir);
    pglite = client;
    kind = "pglite";
    adapterFactory = pgliteAdapterFactory(client);
    closeDriver = () => client.close();
  }

  const { onQuery } = options;
  const client = (factory: SqlMigrationAwareDriverAdapterFactory) =>
    new PrismaClient({
      adapter: instrumentAdapterFactory(factory, (sql) => {
        noteStatement();
        onQuery?.(sql);
      }),
    });
  const prisma = client(adapterFactory);
  const replica = replicaPool
    ? client(pgAdapterFactory(replicaPool, { preparedStatements: config.preparedStatements ?? true }))
    : null;

  return {
    prisma,
    replica,
    kind,
    cancellable,
    ...(pglite ? { pglite } : { url: config.url }),
    ...(poolStats ? { poolStats } : {}),
    async migrate() {
      // The uninstrumented factory: migration statements are not the app's queries.
      await applyMigrations(adapterFactory);
    },
    async close() {
      try {
        await Promise.all([prisma.$disconnect(), replica?.$disconnect()]);
      } finally {
        await closeDriver();
      }
    },
  };
}
