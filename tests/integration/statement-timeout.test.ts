import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase } from "../../src/platform/db/database.js";
import { createTestDatabase, postgresSkipReason, postgresUrl } from "../helpers/database.js";
import { startTestGateway, type TestGateway } from "../helpers/gateway.js";

/** Polls `probe` until it returns true (at most `tries` times, 100 ms apart); returns its last answer. */
async function eventually(probe: () => Promise<boolean>, tries = 50): Promise<boolean> {
  for (let i = 0; i < tries; i++) {
    if (await probe()) return true;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return probe();
}

/** A connection of the test's own to the same server, for watching pg_stat_activity and holding locks. */
async function sideConnection(database?: string): Promise<pg.Client> {
  const url = new URL(postgresUrl as string);
  if (database) url.pathname = `/${database}`;
  const client = new pg.Client({ connectionString: url.toString() });
  await client.connect();
  return client;
}

const databaseName = async (prisma: TestGateway["db"]["prisma"]) =>
  (await prisma.$queryRaw<[{ name: string }]>`SELECT current_database() AS name`)[0].name;

const running = async (side: pg.Client, database: string, where: string) => {
  const { rows } = await side.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid() AND ${where}`,
    [database],
  );
  return rows[0]?.n ?? 0;
};

describe.skipIf(!postgresUrl)(
  `statement timeout on a PostgreSQL server${postgresSkipReason ? ` (skipped: ${postgresSkipReason})` : ""}`,
  () => {
    it("has the server cancel a statement that runs too long, and keeps the connection usable", async () => {
      const db = await openDatabase({ url: postgresUrl, poolSize: 1, statementTimeoutMs: 200 });
      try {
        const started = Date.now();
        await expect(db.prisma.$queryRaw`SELECT pg_sleep(5)`).rejects.toThrow(/statement timeout/);
        expect(Date.now() - started).toBeLessThan(4_000);
        expect(await db.prisma.$queryRaw`SELECT 1 AS ok`).toEqual([{ ok: 1 }]);
      } finally {
        await db.close();
      }
    });
  },
);

describe.skipIf(!postgresUrl)(
  `cancelling a piece of work's statements${postgresSkipReason ? ` (skipped: ${postgresSkipReason})` : ""}`,
  () => {
    it("cancels a running statement, in or out of a transaction, and refuses the work any further one", async () => {
      const db = await createTestDatabase("postgres", { poolSize: 3 });
      const name = await databaseName(db.prisma);
      const side = await sideConnection();
      try {
        const sleeping = () => running(side, name, "query LIKE '%pg_sleep(60)%' AND state = 'active'");
        const plain = db.cancellable(() => db.prisma.$queryRaw`SELECT pg_sleep(60)`);
        const inTransaction = db.cancellable(() =>
          db.prisma.$transaction(async (tx) => tx.$queryRaw`SELECT pg_sleep(60)`, { timeout: 120_000 }),
        );
        const plainOutcome = plain.result.catch((error: unknown) => error);
        const transactionOutcome = inTransaction.result.catch((error: unknown) => error);
        expect(await eventually(async () => (await sleeping()) === 2)).toBe(true);

        expect(await plain.cancel()).toBe(1);
        expect(String(await plainOutcome)).toMatch(/canceling statement due to user request/);
        expect(await inTransaction.cancel()).toBe(1);
        expect(String(await transactionOutcome)).toMatch(/canceling statement due to user request/);
        expect(await eventually(async () => (await sleeping()) === 0)).toBe(true);

        // The pool is fine for everyone else; the cancelled work gets no new statement.
        expect(await db.prisma.$queryRaw`SELECT 1 AS ok`).toEqual([{ ok: 1 }]);
        const late = db.cancellable(async () => {
          await new Promise((resolve) => setTimeout(resolve, 50));
          return db.prisma.$queryRaw`SELECT 1 AS ok`;
        });
        const lateOutcome = late.result.catch((error: unknown) => error);
        await late.cancel();
        expect(String(await lateOutcome)).toMatch(/cancelled/);
      } finally {
        await side.end();
        await db.close();
      }
    });

    it("does nothing on PGlite, which runs each statement synchronously in this process", {
      timeout: 60_000,
    }, async () => {
      const db = await openDatabase({ poolSize: 1 });
      try {
        const work = db.cancellable(() => db.prisma.$queryRaw<{ ok: number }[]>`SELECT 1 AS ok`);
        expect(await work.cancel()).toBe(0);
        expect(await work.result).toEqual([{ ok: 1 }]);
      } finally {
        await db.close();
      }
    });
  },
);

describe.skipIf(!postgresUrl)(
  `a request past its deadline leaves nothing running${postgresSkipReason ? ` (skipped: ${postgresSkipReason})` : ""}`,
  () => {
    let gw: TestGateway;
    let name: string;
    beforeAll(async () => {
      // No statement timeout: only the deadline's cancel can end the stuck statement.
      gw = await startTestGateway("postgres", {
        seedScale: 0.02,
        env: { REQUEST_TIMEOUT_MS: "300", DATABASE_STATEMENT_TIMEOUT_MS: "0" },
      });
      name = await databaseName(gw.db.prisma);
    });
    afterAll(() => gw?.close());

    it("answers TIMEOUT at the deadline and cancels the statement it was waiting on", async () => {
      const locker = await sideConnection(name);
      const side = await sideConnection();
      try {
        // A statement that cannot finish while the test holds the table: it waits on the lock.
        await locker.query("BEGIN");
        await locker.query("LOCK TABLE products IN ACCESS EXCLUSIVE MODE");
        const waiting = () => running(side, name, "wait_event_type = 'Lock'");
        const response = await gw.graphql("{ products(first: 5) { edges { node { name } } } }");
        expect(response.status).toBe(503);
        expect(response.errors?.[0]?.extensions.code).toBe("TIMEOUT");
        // Without the cancel it would wait as long as the lock is held (here: until the test ends).
        expect(await eventually(async () => (await waiting()) === 0)).toBe(true);
        const cancelled = async () =>
          gw.logs.some((line) => line.msg === "cancelled the statements of a request past its deadline");
        expect(await eventually(cancelled)).toBe(true);
      } finally {
        await locker.query("ROLLBACK").catch(() => {});
        await locker.end();
        await side.end();
      }
      // The gateway's pool still serves.
      const after = await gw.graphql("{ products(first: 1) { edges { node { name } } } }");
      expect(after.errors).toBeUndefined();
    });
  },
);
