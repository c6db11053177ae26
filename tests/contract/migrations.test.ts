// prisma/migrations is the only way the database schema changes: it must produce exactly what
// schema.prisma describes, apply cleanly on both backends, and carry the SQL Prisma cannot express
// (the full-text search column, CHECK constraints).
import { existsSync } from "node:fs";
import { cp, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { pgAdapterFactory, pgliteAdapterFactory } from "../../src/platform/db/adapters.js";
import { applyMigrations, defaultSchemaPaths, diffMigrationsToSchema } from "../../src/platform/db/schema-engine.js";
import { backends, createTestDatabase, postgresSkipReason, postgresUrl, type TestDatabase } from "../helpers/database.js";

async function migrationNames(): Promise<string[]> {
  const entries = await readdir(defaultSchemaPaths.migrations, { withFileTypes: true });
  return entries
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort();
}

/** A copy of schema.prisma and prisma/migrations in a temporary folder, for checks that must edit them. */
async function scratchCopy(): Promise<{ schema: string; migrations: string; dispose(): Promise<void> }> {
  const dir = await mkdtemp(path.join(os.tmpdir(), "migrations-test-"));
  const paths = { schema: path.join(dir, "schema.prisma"), migrations: path.join(dir, "migrations") };
  await cp(defaultSchemaPaths.schema, paths.schema);
  await cp(defaultSchemaPaths.migrations, paths.migrations, { recursive: true });
  return { ...paths, dispose: () => rm(dir, { recursive: true, force: true }) };
}

describe("prisma/migrations", () => {
  it("is a folder of <timestamp>_<name>/migration.sql with Prisma's lockfile", async () => {
    const names = await migrationNames();
    expect(names.length).toBeGreaterThan(0);
    for (const name of names) {
      expect(name).toMatch(/^\d{14}_[a-z0-9_]+$/);
      expect(existsSync(path.join(defaultSchemaPaths.migrations, name, "migration.sql"))).toBe(true);
    }
    const lockfile = await readFile(path.join(defaultSchemaPaths.migrations, "migration_lock.toml"), "utf8");
    expect(lockfile).toContain('provider = "postgresql"');
  });

  it("produces exactly what schema.prisma describes (no drift)", async () => {
    // On failure the SQL below is what `npm run db:migrate:create -- <name>` would write.
    expect(await diffMigrationsToSchema()).toBe("");
  });

  it("the drift check notices a schema change", async () => {
    const copy = await scratchCopy();
    try {
      const schema = await readFile(copy.schema, "utf8");
      await writeFile(copy.schema, schema.replace(/^model EmailOutbox \{$/m, "model EmailOutbox {\n  attempts Int?"));
      const sql = await diffMigrationsToSchema({ paths: copy });
      expect(sql).toContain('ALTER TABLE "email_outbox" ADD COLUMN');
      expect(sql).toContain('"attempts" INTEGER');
    } finally {
      await copy.dispose();
    }
  });

  it("a failing migration is neither applied in part nor recorded as applied", async () => {
    const copy = await scratchCopy();
    const client = await PGlite.create();
    try {
      const broken = path.join(copy.migrations, "99990101000000_broken");
      await cp(path.join(copy.migrations, (await migrationNames())[0] ?? ""), broken, { recursive: true });
      await writeFile(
        path.join(broken, "migration.sql"),
        'CREATE TABLE "half_done" ("id" INTEGER);\nSELECT "missing" FROM "no_such_table";\n',
      );
      await expect(applyMigrations(pgliteAdapterFactory(client), copy.migrations)).rejects.toThrow(/99990101000000_broken/);
      const halfDone = await client.query<{ t: string | null }>(`SELECT to_regclass('half_done')::text AS t`);
      expect(halfDone.rows[0]?.t).toBeNull();
      const record = await client.query<{ finished: boolean }>(
        `SELECT finished_at IS NOT NULL AS finished FROM _prisma_migrations WHERE migration_name = '99990101000000_broken'`,
      );
      expect(record.rows).toEqual([{ finished: false }]);
    } finally {
      await client.close();
      await copy.dispose();
    }
  });

  describe.skipIf(!postgresUrl)(
    `agrees with schema.prisma on a real server too${postgresSkipReason ? ` (skipped: ${postgresSkipReason})` : ""}`,
    () => {
      // PGlite is a newer PostgreSQL; this catches catalog output (e.g. the generated column's
      // expression) that differs on the server version deployed.
      it("no drift with PostgreSQL itself as the shadow database, and a change is noticed", async () => {
        const pool = new pg.Pool({ connectionString: postgresUrl, max: 2 });
        const copy = await scratchCopy();
        try {
          const shadow = pgAdapterFactory(pool);
          expect(await diffMigrationsToSchema({ shadow })).toBe("");
          const schema = await readFile(copy.schema, "utf8");
          await writeFile(copy.schema, schema.replace(/^model EmailOutbox \{$/m, "model EmailOutbox {\n  attempts Int?"));
          expect(await diffMigrationsToSchema({ shadow, paths: copy })).toContain('"attempts" INTEGER');
        } finally {
          await copy.dispose();
          await pool.end();
        }
      });
    },
  );
});

for (const backend of backends) {
  describe.skipIf(backend.skip)(`migrations on ${backend.name}`, () => {
    let db: TestDatabase;

    beforeAll(async () => {
      db = await createTestDatabase(backend.kind);
    });

    afterAll(async () => {
      await db?.close();
    });

    it("records every migration as applied, once, and a second run applies nothing", async () => {
      const applied = () =>
        db.prisma.$queryRaw<{ migration_name: string; finished: boolean }[]>`
          SELECT migration_name, finished_at IS NOT NULL AND rolled_back_at IS NULL AS finished
          FROM _prisma_migrations ORDER BY migration_name`;
      const expected = (await migrationNames()).map((name) => ({ migration_name: name, finished: true }));
      expect(await applied()).toEqual(expected);
      await db.migrate();
      expect(await applied()).toEqual(expected);
    });

    it("has the CHECK constraints", async () => {
      const rows = await db.prisma.$queryRaw<{ name: string }[]>`
        SELECT conname::text AS name FROM pg_constraint WHERE contype = 'c' ORDER BY conname`;
      expect(rows.map((row) => row.name)).toEqual(
        expect.arrayContaining([
          "order_items_quantity_check",
          "products_priceCents_check",
          "products_stock_check",
          "reviews_rating_check",
        ]),
      );
    });

    describe("with a product", () => {
      let categoryId: string;
      let productId: string;

      beforeAll(async () => {
        const category = await db.prisma.category.create({ data: { name: "Clothing", slug: "clothing", path: "/" } });
        categoryId = category.id;
        const product = await db.prisma.product.create({
          data: {
            name: "Red wool scarf",
            slug: "red-wool-scarf",
            description: "A warm, hand-knitted scarf for winter evenings.",
            priceCents: 2500,
            categoryId,
          },
        });
        productId = product.id;
      });

      const search = (query: string) =>
        db.prisma.$queryRaw<{ id: string }[]>`
          SELECT id::text FROM products WHERE "searchVector" @@ websearch_to_tsquery('english', ${query})`;

      it("finds it by full-text search on name and description, with English stemming", async () => {
        expect(await search("scarf")).toEqual([{ id: productId }]);
        expect(await search("knitted scarves")).toEqual([]); // "scarves" stems to "scarv", not "scarf"
        expect(await search("hand-knitted winter")).toEqual([{ id: productId }]);
        expect(await search("wool -silk")).toEqual([{ id: productId }]);
        expect(await search("silk")).toEqual([]);
      });

      it("keeps searchVector current on update (a generated column)", async () => {
        await db.prisma.product.update({ where: { id: productId }, data: { description: "Now in cashmere." } });
        expect(await search("cashmere")).toEqual([{ id: productId }]);
        expect(await search("winter")).toEqual([]);
        const [column] = await db.prisma.$queryRaw<{ generated: string }[]>`
          SELECT attgenerated::text AS generated FROM pg_attribute
          WHERE attrelid = 'products'::regclass AND attname = 'searchVector'`;
        expect(column?.generated).toBe("s"); // STORED
      });

      it("rejects a negative price or stock", async () => {
        await expect(
          db.prisma.product.update({ where: { id: productId }, data: { priceCents: -1 } }),
        ).rejects.toThrow(/products_priceCents_check/);
        await expect(db.prisma.product.update({ where: { id: productId }, data: { stock: -1 } })).rejects.toThrow(
          /products_stock_check/,
        );
      });

      it("rejects a rating outside 1..5 and an order item quantity of 0", async () => {
        const user = await db.prisma.user.create({
          data: { email: "check@example.com", username: "check", name: "Check", passwordHash: "x" },
        });
        for (const rating of [0, 6]) {
          await expect(
            db.prisma.review.create({ data: { productId, authorId: user.id, rating, body: "?" } }),
          ).rejects.toThrow(/reviews_rating_check/);
        }
        await db.prisma.review.create({ data: { productId, authorId: user.id, rating: 5, body: "Lovely" } });
        const order = await db.prisma.order.create({
          data: { userId: user.id, totalCents: 0, shippingAddress: {} },
        });
        await expect(
          db.prisma.orderItem.create({ data: { orderId: order.id, productId, quantity: 0, unitPriceCents: 2500 } }),
        ).rejects.toThrow(/order_items_quantity_check/);
      });
    });
  });
}
