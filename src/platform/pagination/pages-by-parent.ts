import { Prisma } from "../../generated/prisma/client.js";
import { columnList, keysetSql, limitSql, type SqlColumnType, sortSql } from "./keyset.js";
import type { PageRequest } from "./page.js";

export type ParentPagesQuery<Row> = Readonly<{
  /** Child table (its SQL name) and the columns that make a Row. */
  table: string;
  columns: readonly (keyof Row & string)[];
  /** Column type of the sort field, to cast the cursor parameter. */
  sortColumnType: SqlColumnType;
  /** Which children belong to `parent.id`; e.g. Prisma.sql`c."productId" = parent.id`. Alias of the child is `c`. */
  belongsToParent: Prisma.Sql;
  /** Extra row-level conditions on the child (visibility), starting with AND; alias `c`. */
  where?: Prisma.Sql;
}>;

/**
 * One page of children for every parent in a single statement: a LATERAL subquery per parent id
 * walks the (parent, sort, id) index and stops after `take` rows, so no parent's other children are read.
 */
export async function pagesByParent<Row extends { id: string }>(
  prisma: Prisma.TransactionClient,
  parentIds: readonly string[],
  page: PageRequest<Row>,
  query: ParentPagesQuery<Row>,
): Promise<Row[][]> {
  const rows = await prisma.$queryRaw<(Row & { __parentId: string })[]>`
    SELECT parent.id AS "__parentId", page.*
    FROM unnest(${parentIds as string[]}::uuid[]) WITH ORDINALITY AS parent(id, position)
    CROSS JOIN LATERAL (
      SELECT ${columnList("c", query.columns)}
      FROM ${Prisma.raw(`"${query.table}"`)} c
      WHERE ${query.belongsToParent} ${query.where ?? Prisma.empty} ${keysetSql(page, "c", query.sortColumnType)}
      ORDER BY ${sortSql(page, "c")}
      ${limitSql(page.take)}
    ) page
    ORDER BY parent.position, ${sortSql(page, "page")}`;
  const byParent = new Map<string, Row[]>(parentIds.map((id) => [id, []]));
  for (const { __parentId, ...row } of rows) byParent.get(__parentId)?.push(row as unknown as Row);
  return parentIds.map((id) => byParent.get(id) ?? []);
}
