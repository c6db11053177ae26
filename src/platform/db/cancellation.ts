// Cancelling the statements of one piece of work (a GraphQL request past its deadline).
//
// The request deadline stops new resolvers, but a statement already running in PostgreSQL goes on until it
// ends or hits DATABASE_STATEMENT_TIMEOUT_MS: after a flood of slow searches the server stayed busy for
// 26 s. Prisma's pg adapter takes a pooled connection for every statement (and one for each transaction)
// through `pool.connect`, so that is where the work's connections are noted: AsyncLocalStorage carries
// the work through Prisma, DataLoader batches and the adapter. Cancelling sends PostgreSQL's CancelRequest
// for each connection the work holds (on a fresh socket, so it works even when the pool is exhausted),
// refuses the work any further connection, and destroys the connections it held when they come back, so a
// late cancel can never hit another request's statement.
//
// Alternatives considered: `SET LOCAL statement_timeout` needs a transaction around every request (a
// round trip and a held connection per request); `pg_cancel_backend()` needs a free connection, which is
// exactly what an attack leaves none of.
//
// PGlite runs each statement synchronously inside this process: nothing else (not even the deadline's
// timer) runs until it ends, so it cannot be cancelled; `cancel()` does nothing there.
import { AsyncLocalStorage } from "node:async_hooks";
import pg from "pg";

export type CancellableWork<T> = Readonly<{
  result: Promise<T>;
  /**
   * Cancels the statements the work has running, and makes its further statements fail at once.
   * Resolves with the number of connections a cancel was sent for, once they are sent.
   */
  cancel(): Promise<number>;
}>;

/** Runs `work` so that its database statements can be cancelled together. */
export type RunCancellable = <T>(work: () => Promise<T>) => CancellableWork<T>;

/** What a statement of cancelled work fails with (the client has already been answered by then). */
export class StatementsCancelledError extends Error {
  constructor() {
    super("the request's database statements were cancelled (past its deadline)");
    this.name = "StatementsCancelledError";
  }
}

type Scope = { clients: Set<pg.PoolClient>; cancelled: boolean };

type Connect = (callback?: (error: Error | undefined, client?: pg.PoolClient, done?: () => void) => void) => unknown;

/** For PGlite, and for callers that need no cancellation. */
export const uncancellable: RunCancellable = (work) => ({ result: work(), cancel: async () => 0 });

/** Makes work run through `cancellable` on this pool cancellable. Patches `pool.connect` once. */
export function cancellableStatements(pool: pg.Pool): RunCancellable {
  const scopes = new AsyncLocalStorage<Scope>();
  const connect = pool.connect.bind(pool) as Connect;

  const adopt = (scope: Scope, client: pg.PoolClient): pg.PoolClient => {
    if (scope.cancelled) {
      client.release();
      throw new StatementsCancelledError();
    }
    scope.clients.add(client);
    const release = client.release;
    client.release = (error?: Error | boolean) => {
      scope.clients.delete(client);
      // A connection the work held when it was cancelled may still receive that cancel: never reuse it.
      return release.call(client, error ?? (scope.cancelled ? new StatementsCancelledError() : undefined));
    };
    return client;
  };

  (pool as unknown as { connect: Connect }).connect = (callback) => {
    const scope = scopes.getStore();
    if (!scope) return connect(callback);
    if (!callback) {
      if (scope.cancelled) return Promise.reject(new StatementsCancelledError());
      return (connect() as Promise<pg.PoolClient>).then((client) => adopt(scope, client));
    }
    if (scope.cancelled) {
      callback(new StatementsCancelledError(), undefined, () => {});
      return undefined;
    }
    return connect((error, client, done) => {
      if (error || !client) return callback(error, client, done);
      let adopted: pg.PoolClient;
      try {
        adopted = adopt(scope, client);
      } catch (refused) {
        return callback(refused as Error, undefined, () => {});
      }
      callback(undefined, adopted, adopted.release);
    });
  };

  return (work) => {
    const scope: Scope = { clients: new Set(), cancelled: false };
    return {
      // Awaited inside the scope: Prisma's queries are lazy thenables that start only when awaited.
      result: scopes.run(scope, async () => await work()),
      async cancel() {
        scope.cancelled = true;
        const held = [...scope.clients];
        await Promise.all(held.map((client) => sendCancelRequest(pool, client)));
        return held.length;
      },
    };
  };
}

type ConnectionInternals = {
  connect(portOrPath: number | string, host?: string): void;
  cancel(processID: number, secretKey: number): void;
  on(event: string, listener: () => void): void;
};

/**
 * PostgreSQL's CancelRequest for `client`'s backend, on a connection of its own, as `pg`'s own
 * `Client#cancel` does (which needs the query object, and throws an unhandled error if the server is
 * unreachable). PostgreSQL ignores it when nothing is running. Never rejects.
 */
function sendCancelRequest(pool: pg.Pool, client: pg.PoolClient): Promise<void> {
  const { processID, secretKey } = client as unknown as { processID?: number; secretKey?: number };
  if (processID === undefined || secretKey === undefined) return Promise.resolve();
  return new Promise((resolve) => {
    const canceller = new pg.Client(pool.options) as unknown as {
      host: string;
      port: number;
      connection: ConnectionInternals;
    };
    const con = canceller.connection;
    const timer = setTimeout(resolve, 2_000);
    timer.unref();
    const done = () => {
      clearTimeout(timer);
      resolve();
    };
    con.on("error", done);
    con.on("end", done);
    con.on("connect", () => con.cancel(processID, secretKey));
    if (canceller.host?.startsWith("/")) con.connect(`${canceller.host}/.s.PGSQL.${canceller.port}`);
    else con.connect(canceller.port, canceller.host);
  });
}
