// The database going away under a running gateway: a restart cutting a statement mid-flight, refused
// connections while it is down, a full pool, and the recovery. This suite runs a PostgreSQL cluster of its
// own (never the shared TEST_DATABASE_URL server), stops and starts it.
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type GraphQLResponse, startTestGateway, type TestGateway } from "../helpers/gateway.js";
import { type OwnPostgres, postgresServerSkipReason, startOwnPostgres } from "../helpers/postgres-server.js";

const title = postgresServerSkipReason
  ? `database outage (skipped: ${postgresServerSkipReason})`
  : "database outage: 503 SERVICE_UNAVAILABLE with Retry-After, not an internal error";

const read = "{ products(first: 2) { edges { node { name } } } }";
const nullableRead = '{ product(slug: "no-such-product") { name } }';

/** Answered as an outage: 503, Retry-After, SERVICE_UNAVAILABLE with retryAfter and the request id. */
function expectUnavailable(response: GraphQLResponse) {
  expect(response.status).toBe(503);
  expect(response.headers["retry-after"]).toBe("5");
  expect(response.errors?.length).toBeGreaterThan(0);
  for (const error of response.errors ?? []) {
    expect(error.extensions).toMatchObject({
      code: "SERVICE_UNAVAILABLE",
      retryAfter: 5,
      requestId: response.headers["x-request-id"],
    });
    expect(error.message).not.toMatch(/prisma|postgres|ECONN|terminat/i);
  }
}

describe.skipIf(postgresServerSkipReason !== undefined)(title, () => {
  let server: OwnPostgres;
  let gw: TestGateway;
  let locker: pg.Client | undefined;

  beforeAll(async () => {
    server = await startOwnPostgres();
    // One connection, so a request blocked on a lock holds the whole pool.
    gw = await startTestGateway("postgres", {
      serverUrl: server.url,
      poolSize: 1,
      poolTimeoutMs: 300,
      seedScale: 0.02,
    });
  });
  afterAll(async () => {
    // The cluster first: it is thrown away whole, and a test that failed half-way (a lock still held)
    // must not keep it running.
    await server?.destroy();
    await locker?.end().catch(() => {});
    await gw?.gateway.close().catch(() => {}); // its database went with the cluster
  });

  const internalErrorsLogged = () => gw.logs.filter((line) => line.level === 50).length;

  /** Takes an exclusive lock on products from outside the gateway, until `release`. */
  async function lockProducts() {
    locker = new pg.Client({ connectionString: dbUrl() });
    locker.on("error", () => {}); // the restart ends this session too
    await locker.connect();
    await locker.query("BEGIN");
    await locker.query("LOCK TABLE products IN ACCESS EXCLUSIVE MODE");
    const client = locker;
    return {
      /** Resolves, with their pids, once other sessions wait for the lock: the gateway's statement is in flight. */
      async waitForWaiter(): Promise<number[]> {
        for (let attempt = 0; attempt < 200; attempt++) {
          const { rows } = await client.query<{ pid: number }>(
            // pg_locks, not pg_stat_activity: the latter is a snapshot cached for the rest of this
            // transaction (stats_fetch_consistency), and other sessions (the job queue's) wait for locks too.
            "SELECT pid FROM pg_locks WHERE NOT granted AND relation = 'products'::regclass",
          );
          if (rows.length > 0) return rows.map((row) => row.pid);
          await new Promise((resolve) => setTimeout(resolve, 25));
        }
        throw new Error("no statement ever waited for the lock");
      },
      /** Ends these sessions as a fast shutdown does (57P01, "terminating connection due to administrator command"). */
      terminate: (pids: number[]) =>
        client.query("SELECT pg_terminate_backend(pid) FROM unnest($1::int[]) AS pid", [pids]),
      release: () => client.query("ROLLBACK").then(() => client.end()),
    };
  }
  // The test database's URL: the same server, the database createTestDatabase made.
  const dbUrl = () => {
    const url = new URL(server.url);
    url.pathname = `/${currentDatabase}`;
    return url.toString();
  };
  let currentDatabase = "";

  it("answers normally while the database is up", async () => {
    const [row] = await gw.db.prisma.$queryRaw<{ name: string }[]>`SELECT current_database() AS name`;
    currentDatabase = row?.name ?? "";
    const response = await gw.graphql(read);
    expect(response.status).toBe(200);
    expect(response.errors).toBeUndefined();
  });

  it("answers 503 when no pooled connection frees up in time, and serves the waiting request after", async () => {
    const lock = await lockProducts();
    const blocked = gw.graphql(read); // holds the pool's only connection, waiting for the lock
    await lock.waitForWaiter();
    const before = internalErrorsLogged();
    expectUnavailable(await gw.graphql(read));
    await lock.release();
    const served = await blocked;
    expect(served.status).toBe(200);
    expect(served.errors).toBeUndefined();
    expect(internalErrorsLogged()).toBe(before);
  });

  it("answers 503 to a request whose statement a database restart cuts off mid-flight", async () => {
    const lock = await lockProducts();
    const inFlight = gw.graphql(read);
    const waiting = await lock.waitForWaiter();
    const before = internalErrorsLogged();
    // A fast shutdown ends every session with 57P01, in no set order: if the lock holder went first, the
    // statement could finish before its own session ended. So its session is ended first, the same way.
    await lock.terminate(waiting);
    await server.stop("fast");
    expectUnavailable(await inFlight);
    expect(internalErrorsLogged()).toBe(before);
    expect(gw.logs.some((line) => line.msg === "database unavailable" && line.level === 40)).toBe(true);
  });

  it("answers 503 to every request while the database refuses connections, and /ready says so", async () => {
    const before = internalErrorsLogged();
    expectUnavailable(await gw.graphql(read));
    // A nullable root field that failed answered nothing either: 503 too.
    const nullable = await gw.graphql(nullableRead);
    expectUnavailable(nullable);
    expect(nullable.data).toEqual({ product: null });
    const login = await gw.graphql(
      'mutation { login(input: { email: "alice@example.com", password: "correct-horse-battery" }) { accessToken } }',
    );
    expectUnavailable(login);
    expect(internalErrorsLogged()).toBe(before);
    const ready = await gw.gateway.app.inject({ url: "/ready" });
    expect(ready.statusCode).toBe(503);
  });

  it("recovers on its own when the database is back", async () => {
    await server.start();
    let response = await gw.graphql(read);
    for (let attempt = 0; attempt < 50 && response.status !== 200; attempt++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      response = await gw.graphql(read);
    }
    expect(response.status).toBe(200);
    expect(response.errors).toBeUndefined();
  });
});
