// prisma/migrations is the only way the database schema changes: it must produce exactly what
// schema.prisma describes, apply cleanly on both backends, and carry the SQL Prisma cannot express
// (the full-text search column, CHECK constraints).
import { existsSync } from "node:fs";
import { cp, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import type { SqlMigrationAwareDriverAdapterFactory } from "@prisma/driver-adapter-utils";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { pgAdapterFactory, pgliteAdapterFactory } from "../../src/platform/db/adapters.js";
import { applyMigrations, defaultSchemaPaths, diffMigrationsToSchema } from "../../src/platform/db/schema-engine.js";
import {
  backends,
  createTestDatabase,
  postgresSkipReason,
  postgresUrl,
  type TestDatabase,
} from "../helpers/database.js";

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

type RunQuery = (sql: string) => Promise<unknown[]>;

/** Applies the migrations plus one that fails halfway, and checks that its first half was rolled back. */
async function expectFailingMigrationContained(adapterFactory: SqlMigrationAwareDriverAdapterFactory, query: RunQuery) {
  const copy = await scratchCopy();
  try {
    const broken = path.join(copy.migrations, "99990101000000_broken");
    await mkdir(broken);
    await writeFile(
      path.join(broken, "migration.sql"),
      'CREATE TABLE "half_done" ("id" INTEGER);\nSELECT "missing" FROM "no_such_table";\n',
    );
    await expect(applyMigrations(adapterFactory, copy.migrations)).rejects.toThrow(/99990101000000_broken/);
    expect(await query(`SELECT to_regclass('half_done')::text AS t`)).toEqual([{ t: null }]);
    expect(
      await query(`SELECT migration_name, finished_at IS NOT NULL AS finished FROM _prisma_migrations ORDER BY 1`),
    ).toEqual([
      ...(await migrationNames()).map((name) => ({ migration_name: name, finished: true })),
      { migration_name: "99990101000000_broken", finished: false },
    ]);
  } finally {
    await copy.dispose();
  }
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
    const client = await PGlite.create();
    try {
      await expectFailingMigrationContained(
        pgliteAdapterFactory(client),
        async (sql) => (await client.query(sql)).rows,
      );
    } finally {
      await client.close();
    }
  });

  describe.skipIf(!postgresUrl)(
    `agrees with schema.prisma on a real server too${postgresSkipReason ? ` (skipped: ${postgresSkipReason})` : ""}`,
    () => {
      // PGlite is a newer PostgreSQL; this catches catalog output (e.g. the generated column's
      // expression) that differs on the server version deployed.
      it("a failing migration is neither applied in part nor recorded as applied", async () => {
        const name = `gw_test_broken_${process.pid}`;
        const admin = new pg.Client({ connectionString: postgresUrl });
        await admin.connect();
        await admin.query(`DROP DATABASE IF EXISTS "${name}"`);
        await admin.query(`CREATE DATABASE "${name}"`);
        const url = new URL(postgresUrl ?? "");
        url.pathname = `/${name}`;
        const pool = new pg.Pool({ connectionString: url.toString(), max: 2 });
        try {
          await expectFailingMigrationContained(pgAdapterFactory(pool), async (sql) => (await pool.query(sql)).rows);
        } finally {
          await pool.end();
          await admin.query(`DROP DATABASE IF EXISTS "${name}"`);
          await admin.end();
        }
      });

      it("no drift with PostgreSQL itself as the shadow database, and a change is noticed", async () => {
        const pool = new pg.Pool({ connectionString: postgresUrl, max: 2 });
        const copy = await scratchCopy();
        try {
          const shadow = pgAdapterFactory(pool);
          expect(await diffMigrationsToSchema({ shadow })).toBe("");
          const schema = await readFile(copy.schema, "utf8");
          await writeFile(
            copy.schema,
            schema.replace(/^model EmailOutbox \{$/m, "model EmailOutbox {\n  attempts Int?"),
          );
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

    // Not migrations, but the database layer every other test stands on: the statement counter (onQuery)
    // and the single-connection PGlite under concurrent use.
    describe("database layer", () => {
      it("reports every statement sent, transaction boundaries included", async () => {
        db.statements.reset();
        await db.prisma.category.count();
        expect(db.statements.count).toBe(1);

        db.statements.reset();
        await db.prisma.$transaction(async (tx) => {
          await tx.category.count();
          await tx.product.count();
        });
        expect(db.statements.statements[0]).toBe("BEGIN");
        expect(db.statements.statements.at(-1)).toBe("COMMIT");
        expect(db.statements.count).toBe(4);

        db.statements.reset();
        await db.prisma.$transaction([db.prisma.category.count(), db.prisma.product.count()]);
        expect(db.statements.count).toBe(4);

        db.statements.reset();
        await expect(
          db.prisma.$transaction(async (tx) => {
            await tx.category.count();
            throw new Error("roll back");
          }),
        ).rejects.toThrow("roll back");
        expect(db.statements.statements).toEqual(["BEGIN", expect.stringContaining("SELECT"), "ROLLBACK"]);
      });

      it("serves concurrent queries with a transaction interleaved", async () => {
        const slug = `concurrent-${backend.kind}`;
        const results = await Promise.all([
          ...Array.from({ length: 20 }, (_, i) =>
            i % 2 === 0 ? db.prisma.category.count() : db.prisma.$queryRaw<{ i: number }[]>`SELECT ${i}::int AS i`,
          ),
          db.prisma.$transaction(async (tx) => {
            const category = await tx.category.create({ data: { name: "Concurrent", slug, path: "/" } });
            await new Promise((resolve) => setTimeout(resolve, 20));
            return tx.category.update({ where: { id: category.id }, data: { name: "Concurrent, renamed" } });
          }),
        ]);
        expect(results).toHaveLength(21);
        expect(results[1]).toEqual([{ i: 1 }]);
        const category = await db.prisma.category.findUniqueOrThrow({ where: { slug } });
        expect(category.name).toBe("Concurrent, renamed");
        await db.prisma.category.delete({ where: { slug } });
      });
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
        await expect(db.prisma.product.update({ where: { id: productId }, data: { priceCents: -1 } })).rejects.toThrow(
          /products_priceCents_check/,
        );
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
