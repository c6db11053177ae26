import { Prisma } from "../../generated/prisma/client.js";
import type { Db } from "../../platform/db/transaction.js";

/**
 * The tables whose rows are `Node`s, by GraphQL type. Ids are UUIDv7 from one generator, so an id is in
 * at most one of them; a new entity type is one row here and one in node.service.ts.
 */
export const nodeTables = {
  User: "users",
  Address: "addresses",
  Category: "categories",
  Product: "products",
  Review: "reviews",
  Order: "orders",
  OrderItem: "order_items",
  Post: "posts",
} as const;

export type NodeTypeName = keyof typeof nodeTables;

// Type names and tables are the constants above, never input, so they are written into the SQL text.
const typeLookup = Prisma.join(
  Object.entries(nodeTables).map(
    ([typeName, table]) =>
      Prisma.sql`SELECT id::text AS id, ${Prisma.raw(`'${typeName}'`)} AS "typeName" FROM ${Prisma.raw(`"${table}"`)} WHERE id IN (SELECT id FROM wanted)`,
  ),
  " UNION ALL ",
);

export function nodeRepository(db: Db) {
  return {
    /** Which type each id belongs to, in one statement over every table's primary key index. */
    findTypes: (ids: readonly string[]) =>
      db.$queryRaw<{ id: string; typeName: NodeTypeName }[]>`
        WITH wanted(id) AS (SELECT unnest(${[...ids]}::uuid[]))
        ${typeLookup}`,
  };
}
