// Driver adapter factories for the two backends, with the fixes the shipped adapters need.
import { createHash, randomUUID } from "node:crypto";
import { PGlite } from "@electric-sql/pglite";
import { PrismaPg } from "@prisma/adapter-pg";
import {
  ColumnTypeEnum,
  DriverAdapterError,
  type SqlDriverAdapter,
  type SqlMigrationAwareDriverAdapterFactory,
  type SqlQueryable,
  type Transaction,
} from "@prisma/driver-adapter-utils";
import pg from "pg";
import { PrismaPGlite } from "pglite-prisma-adapter";
import { traceStatement } from "../tracing/index.js";

/**
 * Runs a migration script as one simple-protocol query, which PostgreSQL runs as one implicit transaction:
 * a failing migration leaves nothing half-applied (tests/contract/migrations.test.ts checks it).
 * The shipped adapters get this wrong: adapter-pg splits the script on every ";" (breaking `$$` bodies and
 * string literals, and committing statement by statement); the PGlite adapter does not await `exec`, so a
 * failing migration was reported as applied.
 */
function withWholeScripts(adapter: SqlDriverAdapter, exec: (script: string) => Promise<unknown>): SqlDriverAdapter {
  adapter.executeScript = async (script: string) => {
    await exec(script).catch((error: unknown) => {
      throw toDriverAdapterError(error);
    });
  };
  return adapter;
}

/**
 * The engine reports any other error as "external connector error, id#0"; a DriverAdapterError of kind
 * "postgres" makes it print PostgreSQL's own message (e.g. which statement of a migration failed and why).
 */
function toDriverAdapterError(error: unknown): unknown {
  if (!(error instanceof Error) || typeof (error as { code?: unknown }).code !== "string") return error;
  const { code, severity, detail, column, hint } = error as Error & Record<string, string | undefined>;
  return new DriverAdapterError({
    kind: "postgres",
    code: code as string,
    severity: severity ?? "ERROR",
    message: error.message,
    detail,
    column,
    hint,
  });
}

/** Closes what the adapter was opened on when the engine disposes it (shadow databases). */
function withDispose(adapter: SqlDriverAdapter, dispose: () => Promise<void>): SqlDriverAdapter {
  const inner = adapter.dispose.bind(adapter);
  adapter.dispose = async () => {
    await inner();
    await dispose();
  };
  return adapter;
}

async function connectPglite(client: PGlite): Promise<SqlDriverAdapter> {
  const adapter = await new PrismaPGlite(client).connect();
  return withWholeScripts(adapter, (script) => client.exec(script));
}

async function connectScratchPglite(): Promise<SqlDriverAdapter> {
  const client = await PGlite.create();
  return withDispose(await connectPglite(client), () => client.close());
}

/** PGlite (PostgreSQL in WebAssembly, one connection). Its shadow databases are in-memory instances. */
export function pgliteAdapterFactory(client: PGlite): SqlMigrationAwareDriverAdapterFactory {
  return {
    provider: "postgres",
    adapterName: "pglite-prisma-adapter",
    connect: () => connectPglite(client),
    connectToShadowDb: connectScratchPglite,
  };
}

/**
 * Throwaway in-memory PGlite instances for both the main and the shadow database: enough for the schema
 * engine to diff migrations against a schema without any server.
 */
export function pgliteScratchAdapterFactory(): SqlMigrationAwareDriverAdapterFactory {
  return {
    provider: "postgres",
    adapterName: "pglite-prisma-adapter",
    connect: connectScratchPglite,
    connectToShadowDb: connectScratchPglite,
  };
}

type PrismaPgAdapter = Awaited<ReturnType<PrismaPg["connect"]>>;

const CHAR_OID = 18;
const TEXT_OID = 25;

/**
 * The engine introspects the shadow database through catalog columns of PostgreSQL's one-byte `"char"`
 * type (pg_attribute.attgenerated, pg_constraint.contype, ...), which adapter-pg 7.10 rejects as an
 * unsupported column type (the PGlite adapter maps them to Character). pg already parses them as strings:
 * relabel them as text for adapter-pg, then report them to the engine as Character, which it insists on.
 */
function withCharColumns(adapter: PrismaPgAdapter): PrismaPgAdapter {
  const pool = adapter.underlyingDriver();
  // Keyed by the rows array, which adapter-pg passes through unchanged: safe with concurrent queries.
  const charColumns = new WeakMap<unknown[], number[]>();
  const query = pool.query.bind(pool) as (...args: unknown[]) => Promise<pg.QueryResult>;
  pool.query = (async (...args: unknown[]) => {
    const result = await query(...args);
    const indexes = (result.fields ?? []).flatMap((field, i) => (field.dataTypeID === CHAR_OID ? [i] : []));
    for (const i of indexes) (result.fields[i] as pg.FieldDef).dataTypeID = TEXT_OID;
    if (indexes.length > 0) charColumns.set(result.rows, indexes);
    return result;
  }) as typeof pool.query;
  const queryRaw = adapter.queryRaw.bind(adapter);
  adapter.queryRaw = async (sqlQuery) => {
    const resultSet = await queryRaw(sqlQuery);
    for (const i of charColumns.get(resultSet.rows) ?? []) resultSet.columnTypes[i] = ColumnTypeEnum.Character;
    return resultSet;
  };
  return adapter;
}

function withPgScripts(adapter: PrismaPgAdapter): PrismaPgAdapter {
  const pool = adapter.underlyingDriver();
  withWholeScripts(adapter, (script) => pool.query(script));
  return adapter;
}

function withDatabase(options: pg.PoolConfig, database: string): pg.PoolConfig {
  if (!options.connectionString) return { ...options, database };
  const url = new URL(options.connectionString);
  url.pathname = `/${database}`;
  return { ...options, connectionString: url.toString() };
}

/**
 * A temporary database on the same server, dropped when the engine disposes the adapter. Not adapter-pg's
 * own connectToShadowDb: with a pool built from a connection string, pg lets the URL's database override
 * the `database` it sets, so the "shadow" migrations ran on the main database.
 */
async function connectPgShadow(pool: pg.Pool): Promise<SqlDriverAdapter> {
  const name = `prisma_migrate_shadow_db_${randomUUID().replaceAll("-", "")}`;
  await pool.query(`CREATE DATABASE "${name}"`);
  const shadowPool = new pg.Pool({ ...withDatabase(pool.options, name), max: 1 });
  const drop = async () => {
    await shadowPool.end();
    // Not WITH (FORCE): pool.end() resolves before its connections have closed, and killing one that is
    // closing makes pg raise an uncaught error. A plain DROP waits (up to 5 s) for them to go.
    await pool.query(`DROP DATABASE IF EXISTS "${name}"`);
  };
  try {
    // The engine replays every migration here: being anywhere else would be destructive.
    const { rows } = await shadowPool.query<{ db: string }>("SELECT current_database() AS db");
    if (rows[0]?.db !== name) throw new Error(`Shadow database connection reached ${rows[0]?.db}, not ${name}`);
  } catch (error) {
    await drop();
    throw error;
  }
  return withDispose(withPgScripts(withCharColumns(await new PrismaPg(shadowPool).connect())), drop);
}

// Distinct statements given a name. The app's statements are a bounded set (Prisma's queries, the planner's
// per selection shape), but a client can vary shapes: past this many, further ones run unnamed, so neither
// this map nor the server's per-connection statement cache grows without end.
const MAX_NAMED_STATEMENTS = 2_000;

/**
 * Names for adapter-pg's `statementNameGenerator`: pg then prepares each distinct statement once per
 * connection and afterwards only binds and executes it, sparing PostgreSQL the parse and plan of every call
 * (for the planner's one-statement reads most of the server's CPU). The name is a digest of the text, so one
 * name never stands for two texts.
 */
export function statementNames(): (query: { sql: string }) => string {
  const names = new Map<string, string>();
  const nameOf = ({ sql }: { sql: string }) => {
    let name = names.get(sql);
    if (name === undefined && names.size < MAX_NAMED_STATEMENTS) {
      name = `gw_${createHash("sha1").update(sql).digest("base64url")}`;
      names.set(sql, name);
    }
    return name;
  };
  // adapter-pg types the name as a string, but hands it to pg, for which undefined means unnamed.
  return nameOf as (query: { sql: string }) => string;
}

/** A PostgreSQL server through `pg`, on a pool the caller owns (and ends). */
export function pgAdapterFactory(
  pool: pg.Pool,
  options: { preparedStatements: boolean } = { preparedStatements: false },
): SqlMigrationAwareDriverAdapterFactory {
  const inner = new PrismaPg(pool, options.preparedStatements ? { statementNameGenerator: statementNames() } : {});
  return {
    provider: "postgres",
    adapterName: inner.adapterName,
    connect: async () => withPgScripts(await inner.connect()),
    connectToShadowDb: () => connectPgShadow(pool),
  };
}

function instrumentQueryable<T extends SqlQueryable>(queryable: T, onQuery: (sql: string) => void): T {
  const queryRaw = queryable.queryRaw.bind(queryable);
  const executeRaw = queryable.executeRaw.bind(queryable);
  queryable.queryRaw = (query) => {
    onQuery(query.sql);
    return traceStatement(query.sql, () => queryRaw(query));
  };
  queryable.executeRaw = (query) => {
    onQuery(query.sql);
    return traceStatement(query.sql, () => executeRaw(query));
  };
  return queryable;
}

/**
 * Reports every statement Prisma sends through the adapter, inside transactions too. Transaction
 * boundaries are reported as "BEGIN" / "COMMIT" / "ROLLBACK" whichever way the adapter sends them
 * (adapter-pg sends BEGIN itself and COMMIT through Prisma; PGlite sends both itself), so both backends
 * count the same statements for the same work. Within a traced request each statement is also a span
 * (platform/tracing): Prisma's own instrumentation would add its client-side phases around every query and
 * hook the process-wide tracer, where this is one span per statement on the server's own tracer.
 */
export function instrumentAdapterFactory(
  factory: SqlMigrationAwareDriverAdapterFactory,
  onQuery: (sql: string) => void,
): SqlMigrationAwareDriverAdapterFactory {
  const instrument = (adapter: SqlDriverAdapter): SqlDriverAdapter => {
    const startTransaction = adapter.startTransaction.bind(adapter);
    adapter.startTransaction = async (isolationLevel) => {
      const tx: Transaction = await traceStatement("BEGIN", () => startTransaction(isolationLevel));
      onQuery("BEGIN");
      if (isolationLevel) onQuery(`SET TRANSACTION ISOLATION LEVEL ${isolationLevel}`);
      if (!tx.options.usePhantomQuery) return instrumentQueryable(tx, onQuery);
      // The driver ends the transaction itself: Prisma sends no COMMIT/ROLLBACK statement to count.
      const commit = tx.commit.bind(tx);
      const rollback = tx.rollback.bind(tx);
      tx.commit = () => {
        onQuery("COMMIT");
        return traceStatement("COMMIT", commit);
      };
      tx.rollback = () => {
        onQuery("ROLLBACK");
        return traceStatement("ROLLBACK", rollback);
      };
      return instrumentQueryable(tx, onQuery);
    };
    return instrumentQueryable(adapter, onQuery);
  };
  return {
    provider: factory.provider,
    adapterName: factory.adapterName,
    connect: async () => instrument(await factory.connect()),
    connectToShadowDb: async () => instrument(await factory.connectToShadowDb()),
  };
}
