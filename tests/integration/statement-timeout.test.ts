import { describe, expect, it } from "vitest";
import { openDatabase } from "../../src/platform/db/database.js";
import { postgresSkipReason, postgresUrl } from "../helpers/database.js";

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
