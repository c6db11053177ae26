import { Prisma } from "../../generated/prisma/client.js";
import type { PageRequest } from "./page.js";

/** Prisma `where` for "after the cursor", in the page's direction, with `id` breaking ties. */
export function keysetWhere<Row>(page: PageRequest<Row>): Record<string, unknown> {
  if (!page.after) return {};
  const op = page.direction === "asc" ? "gt" : "lt";
  const { value, id } = page.after;
  return { OR: [{ [page.field]: { [op]: value } }, { [page.field]: value, id: { [op]: id } }] };
}

export function keysetOrderBy<Row>(page: PageRequest<Row>): Record<string, "asc" | "desc">[] {
  return [{ [page.field]: page.direction }, { id: page.direction }];
}

/** Column cast for a cursor value sent as a parameter; timestamps travel as ISO strings. */
export type SqlColumnType = "timestamp" | "int" | "float" | "text";

const casts: Record<SqlColumnType, Prisma.Sql> = {
  timestamp: Prisma.raw("timestamp(3)"),
  int: Prisma.raw("integer"),
  float: Prisma.raw("double precision"),
  text: Prisma.raw("text"),
};

/** `AND (col, id) > (value, id)` — a row comparison PostgreSQL answers from a (col, id) index. */
export function keysetSql<Row>(page: PageRequest<Row>, alias: string, columnType: SqlColumnType): Prisma.Sql {
  if (!page.after) return Prisma.empty;
  const op = Prisma.raw(page.direction === "asc" ? ">" : "<");
  return Prisma.sql`AND (${column(alias, page.field)}, ${column(alias, "id")}) ${op} (${page.after.value}::${casts[columnType]}, ${page.after.id}::uuid)`;
}

/** The page's sort as SQL (without ORDER BY), so it can follow other sort keys. */
export function sortSql<Row>(page: PageRequest<Row>, alias: string): Prisma.Sql {
  const direction = Prisma.raw(page.direction === "asc" ? "ASC" : "DESC");
  return Prisma.sql`${column(alias, page.field)} ${direction}, ${column(alias, "id")} ${direction}`;
}

/**
 * `LIMIT <take>` with the number written into the statement. As a parameter it would make PostgreSQL plan a
 * prepared statement afresh on every call: a generic plan cannot know how many rows the limit keeps, so
 * the planner keeps preferring custom plans (measured: the planned catalog read 0.81 → 0.63 ms of server
 * time). The value is a page size from `pageRequest` (at most 101), never a client's text.
 */
export function limitSql(take: number): Prisma.Sql {
  if (!Number.isSafeInteger(take) || take < 0) throw new RangeError(`not a row count: ${take}`);
  return Prisma.raw(`LIMIT ${take}`);
}

/** A quoted column reference. Names come from our own code (model field names), never from clients. */
export function column(alias: string, name: string): Prisma.Sql {
  return Prisma.raw(`${alias}."${name}"`);
}

export function columnList(alias: string, names: readonly string[]): Prisma.Sql {
  return Prisma.raw(names.map((name) => `${alias}."${name}"`).join(", "));
}
