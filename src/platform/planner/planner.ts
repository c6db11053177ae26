import {
  type FieldNode,
  type GraphQLField,
  type GraphQLFieldResolver,
  type GraphQLObjectType,
  type GraphQLResolveInfo,
  type GraphQLSchema,
  getArgumentValues,
  getNamedType,
  isObjectType,
} from "graphql";
import { Prisma } from "../../generated/prisma/client.js";
import type { Db } from "../db/transaction.js";
import {
  type ConnectionArguments,
  column,
  keysetSql,
  limitSql,
  type PageRequest,
  pageRequest,
  type SortOrder,
  type SqlColumnType,
  sortSql,
  toConnection,
} from "../pagination/index.js";
import { rememberedPerOperation } from "../per-operation.js";
import { type FieldsByKey, type OperationScope, subfields } from "./selection.js";

/** How a column's JSON value becomes the row's: as it is, or a timestamp (JSON has it as text, the row a Date). */
export type ColumnDecoding = "value" | "timestamp";

/** How to read one GraphQL object type straight from its table. */
export type EntityPlan = Readonly<{
  /** The SQL table (a name from our own code). */
  table: string;
  /** GraphQL fields that are the column of the same name. */
  columns: Readonly<Record<string, ColumnDecoding>>;
  /**
   * The key column a to-one relation field's resolver reads from the row, by field name: read only when
   * the field is selected and left to its resolver (or some resolver gets the whole row). A relation the
   * planner reads needs no key, and an unread key is JSON built, sent and parsed for nothing.
   */
  foreignKeys?: Readonly<Record<string, string>>;
}>;

/**
 * SQL tying the related row (alias `child`) to the parent row (alias `parent`), row-level rules included.
 * For a to-one relation it is a join condition that matches at most one row (by its key).
 */
export type Join = (parent: string, child: string) => Prisma.Sql;

/**
 * A relation field the planner reads inside its parent's statement. The field's resolver (a loader) stays
 * what answers it when the planner did not read it.
 */
export type RelationPlan<Context> =
  /** One row (or null): a to-one relation. */
  | Readonly<{ kind: "one"; target: string; join: Join }>
  /** A Relay connection: one page of related rows (`first`/`after`/`last`/`before`), in `order`. */
  | Readonly<{
      kind: "page";
      target: string;
      order: SortOrder<Row>;
      sortColumnType: SqlColumnType;
      join: Join;
      /** The whole list's size, for `totalCount` (only asked when selected): the field's own count loader. */
      count(parent: Row, context: Context): Promise<number>;
    }>;

/** What a module tells the planner: how to read its types, and the relation fields it owns. */
export type PlanContribution<Context> = Readonly<{
  entities?: Readonly<Record<string, EntityPlan>>;
  relations?: Readonly<Record<string, Readonly<Record<string, RelationPlan<Context>>>>>;
}>;

/** The selected rows of one entity type: a JSON expression per row, and how to turn its value into a row. */
export type PlannedRows<Row, Context> = Readonly<{
  /** One JSON value per row of the root alias, with every planned relation nested in it. */
  json: Prisma.Sql;
  /**
   * The LEFT JOINs its to-one relations need, to follow the root table in FROM (`FROM products p ${joins}`).
   * Each joins on a key, so it never adds rows.
   */
  joins: Prisma.Sql;
  /**
   * The row with the selected columns only (with its `id` and the keys of relations left to their
   * resolvers), typed as the full row because resolvers read no other; it holds its planned relations,
   * finished (a row, null, or a connection), for the fields that `answerPlannedRelations` wrapped.
   */
  hydrate(json: unknown, context: Context): Row;
}>;

/**
 * Runs a planned read, `SELECT <json> FROM <from> <joins> <rest>`, and hydrates its rows. `from` names the
 * root table and the alias the plan was made for (`products p`); `rest` is the root's WHERE, ORDER BY, LIMIT.
 */
export async function readPlanned<Row, Context>(
  db: Pick<Db, "$queryRaw">,
  planned: PlannedRows<Row, Context>,
  from: string,
  rest: Prisma.Sql,
  context: Context,
): Promise<Row[]> {
  const rows = await db.$queryRaw<{ row: unknown }[]>`
    SELECT ${planned.json} AS row FROM ${Prisma.raw(from)} ${planned.joins} ${rest}`;
  return rows.map(({ row }) => planned.hydrate(row, context));
}

const PLANNED = Symbol("planned relations");
type WithPlanned = { [PLANNED]?: Record<string, unknown> };

/**
 * Makes each relation field the planner knows answer with what its parent row holds, when the planner read
 * it (by response key, so aliases with different arguments stay apart), and with its own resolver (a
 * loader) otherwise. Planned values skip the resolver machinery altogether: no argument objects, no
 * promise, for the hundreds of relation fields a list response can hold.
 */
export function answerPlannedRelations(schema: GraphQLSchema, planner: QueryPlanner<never>): void {
  for (const [typeName, fieldName] of planner.relationFields()) {
    const type = schema.getType(typeName);
    const field = isObjectType(type) ? type.getFields()[fieldName] : undefined;
    const resolve = field?.resolve;
    if (!field || !resolve)
      throw new Error(`planned relation ${typeName}.${fieldName} has no resolver to fall back on`);
    field.resolve = plannedOr(resolve);
  }
}

function plannedOr(resolve: GraphQLFieldResolver<unknown, unknown>): GraphQLFieldResolver<unknown, unknown> {
  return (parent, args, context, info) => {
    const held = (parent as WithPlanned)[PLANNED];
    const key = info.path.key as string;
    return held !== undefined && key in held ? held[key] : resolve(parent, args, context, info);
  };
}

// PostgreSQL takes at most 100 arguments per function call, i.e. 50 key/value pairs per json_build_object.
const MAX_JSON_PAIRS = 50;
/** Plans kept per field of an operation, one per set of variables: a bound for variables that vary per request. */
const PLANS_PER_FIELD = 64;
/** Read whatever was selected: cache tags, cursors and the loaders key on it. */
const KEY_COLUMN = "id";

// A related row, as far as the planner knows it.
type Row = Record<string, unknown>;

/** A relation's JSON value, decoded into what its field returns. */
type Decoder<Context> = (json: unknown, parent: Row, context: Context) => unknown;

/**
 * Root planning for reads: a root resolver hands the planner its `info`, and gets back one SQL expression
 * that builds each row it returns together with every relation below it that the planner knows (to-one
 * rows, connection pages), reading only the selected columns; those relation fields then answer with what
 * the parent row holds (`answerPlannedRelations`) instead of going to a loader. What the planner does not
 * know (a field with its own logic, unusual arguments) is left to the resolvers and their loaders, which
 * still find the keys they need (`id`, `foreignKeys`). Row-level rules live in each relation's
 * `join`, as in the loaders' SQL.
 */
export class QueryPlanner<Context> {
  readonly #entities = new Map<string, EntityPlan>();
  readonly #relations = new Map<string, Map<string, RelationPlan<Context>>>();
  readonly #plans = rememberedPerOperation<readonly FieldNode[], PlannedRows<Row, Context> | null>(PLANS_PER_FIELD);

  constructor(contributions: readonly PlanContribution<Context>[]) {
    for (const contribution of contributions) {
      for (const [typeName, plan] of Object.entries(contribution.entities ?? {})) {
        if (this.#entities.has(typeName)) throw new Error(`two entity plans for ${typeName}`);
        this.#entities.set(typeName, plan);
      }
      for (const [typeName, fields] of Object.entries(contribution.relations ?? {})) {
        const relations = this.#relations.get(typeName) ?? new Map<string, RelationPlan<Context>>();
        this.#relations.set(typeName, relations);
        for (const [fieldName, relation] of Object.entries(fields)) {
          if (relations.has(fieldName)) throw new Error(`two relation plans for ${typeName}.${fieldName}`);
          relations.set(fieldName, relation);
        }
      }
    }
  }

  /** The relation fields it can read, as [type name, field name]. */
  *relationFields(): Generator<[string, string]> {
    for (const [typeName, fields] of this.#relations)
      for (const fieldName of fields.keys()) yield [typeName, fieldName];
  }

  /** Rows of the field being resolved, which returns objects (or a list of them) of a planned type. */
  objects<Row>(info: GraphQLResolveInfo, alias: string): PlannedRows<Row, Context> | null {
    return this.#remembered(info, alias, () => {
      const type = getNamedType(info.returnType);
      return isObjectType(type) ? this.#entity(info, type, info.fieldNodes, alias, []) : null;
    }) as PlannedRows<Row, Context> | null;
  }

  /**
   * Rows of a connection field being resolved (its `edges { node { … } }`), sorted on `page.field`,
   * which is read too when a cursor is selected: cursors are made from it.
   */
  connectionNodes<Row>(
    info: GraphQLResolveInfo,
    alias: string,
    page: PageRequest<Row>,
  ): PlannedRows<Row, Context> | null {
    return this.#remembered(info, `${alias} ${page.field}`, () => {
      const type = getNamedType(info.returnType);
      const node = isObjectType(type) ? connectionNode(info, type, info.fieldNodes) : null;
      return node ? this.#entity(info, node.type, node.nodes, alias, node.cursors ? [page.field] : []) : null;
    }) as PlannedRows<Row, Context> | null;
  }

  /**
   * A plan is made once per field of an operation and variables, and kept with the operation's parsed
   * document (Apollo keeps one per query text; compiled execution hands every run the same field nodes):
   * what an operation selects and which pages it asks for are fixed by them, and planning every request
   * again (walking the selection, building the SQL fragments) cost CPU and garbage for the same answer.
   */
  #remembered(info: GraphQLResolveInfo, key: string, plan: () => PlannedRows<Row, Context> | null) {
    return this.#plans(info.fieldNodes, `${key}\n${JSON.stringify(info.variableValues)}`, plan);
  }

  #entity(
    scope: OperationScope,
    type: GraphQLObjectType,
    nodes: readonly FieldNode[],
    alias: string,
    alsoRead: readonly string[],
  ): PlannedRows<Row, Context> | null {
    const entity = this.#entities.get(type.name);
    if (!entity) return null;
    const fields = subfields(scope, type, nodes);
    const columns = new Map<string, ColumnDecoding>([[KEY_COLUMN, "value"]]);
    for (const name of alsoRead) columns.set(name, entity.columns[name] ?? "value");
    const relations: { key: string; json: Prisma.Sql; joins: Prisma.Sql; decode: Decoder<Context> }[] = [];
    let wholeRow = false;
    for (const [responseKey, fieldNodes] of fields) {
      const name = fieldNodes[0]?.name.value ?? "";
      if (name === "__typename") continue;
      const decoding = entity.columns[name];
      if (decoding) {
        columns.set(name, decoding);
        continue;
      }
      const relation = this.#relations.get(type.name)?.get(name);
      const field = type.getFields()[name];
      const planned =
        relation && field ? this.#relation(scope, relation, field, fieldNodes, `${alias}_${relations.length}`) : null;
      if (planned) {
        relations.push({
          key: responseKey,
          json: planned.json(alias),
          joins: planned.joins(alias),
          decode: planned.decode,
        });
        continue;
      }
      const foreignKey = entity.foreignKeys?.[name];
      if (foreignKey) {
        columns.set(foreignKey, "value");
        continue;
      }
      // A field with logic of its own: its resolver gets the whole row.
      wholeRow = true;
    }
    if (wholeRow) {
      for (const [name, decoding] of Object.entries(entity.columns)) columns.set(name, decoding);
      for (const column of Object.values(entity.foreignKeys ?? {})) columns.set(column, "value");
    }
    if (columns.size + relations.length > MAX_JSON_PAIRS) return null;

    const pairs = [
      ...[...columns.keys()].map((name) => Prisma.raw(`'${name}', ${alias}."${name}"`)),
      ...relations.map((relation, index) => Prisma.sql`${Prisma.raw(`'@${index}'`)}, ${relation.json}`),
    ];
    const timestamps = [...columns].filter(([, decoding]) => decoding === "timestamp").map(([name]) => name);
    return {
      json: Prisma.sql`json_build_object(${Prisma.join(pairs)})`,
      // Prisma.join refuses an empty list.
      joins:
        relations.length > 0
          ? Prisma.join(
              relations.map((relation) => relation.joins),
              " ",
            )
          : Prisma.empty,
      hydrate: (json, context) => {
        const row = json as Row & WithPlanned;
        // PostgreSQL's JSON spells a `timestamp(3)` (UTC, without zone) without the zone.
        for (const name of timestamps) if (row[name] !== null) row[name] = new Date(`${row[name] as string}Z`);
        if (relations.length > 0) {
          // The `@n` keys stay: deleting them would turn every row into a slower dictionary-mode object.
          const held: Record<string, unknown> = {};
          relations.forEach((relation, index) => {
            held[relation.key] = relation.decode(row[`@${index}`], row, context);
          });
          row[PLANNED] = held;
        }
        return row;
      },
    };
  }

  /**
   * The relation's JSON expression over the parent alias, the joins it needs there, and how to decode its
   * value. A to-one relation is a LEFT JOIN (one index lookup, no subquery run per row: about a fifth less
   * server time for the nested catalog read); a page is a subquery with its own ORDER BY … LIMIT.
   */
  #relation(
    scope: OperationScope,
    relation: RelationPlan<Context>,
    field: GraphQLField<unknown, unknown>,
    nodes: readonly FieldNode[],
    alias: string,
  ): { json: (parent: string) => Prisma.Sql; joins: (parent: string) => Prisma.Sql; decode: Decoder<Context> } | null {
    const type = getNamedType(field.type);
    if (!isObjectType(type)) return null;
    const table = this.#entities.get(relation.target)?.table;
    if (table === undefined) return null;
    const from = Prisma.raw(`"${table}" ${alias}`);

    if (relation.kind === "one") {
      const target = this.#entity(scope, type, nodes, alias, []);
      if (!target) return null;
      return {
        json: () => Prisma.sql`CASE WHEN ${column(alias, "id")} IS NULL THEN NULL ELSE ${target.json} END`,
        joins: (parent) => Prisma.sql`LEFT JOIN ${from} ON ${relation.join(parent, alias)} ${target.joins}`,
        decode: (json, _parent, context) => (json === null ? null : target.hydrate(json, context)),
      };
    }

    const page = pageOf<Row>(scope, field, nodes, relation.order);
    const node = connectionNode(scope, type, nodes);
    const target =
      page && node ? this.#entity(scope, node.type, node.nodes, alias, node.cursors ? [page.field] : []) : null;
    if (!page || !target) return null;
    // The page in its own ORDER BY … LIMIT (an index walk per parent), aggregated in that order.
    const item = `${alias}_item`;
    const direction = Prisma.raw(page.direction === "asc" ? "ASC" : "DESC");
    return {
      joins: () => Prisma.empty,
      json: (parent) => Prisma.sql`(
        SELECT coalesce(json_agg(${Prisma.raw(`${item}.row ORDER BY ${item}.sort`)} ${direction}, ${Prisma.raw(`${item}.id`)} ${direction}), '[]'::json)
        FROM (
          SELECT ${target.json} AS row, ${column(alias, page.field)} AS sort, ${column(alias, "id")} AS id
          FROM ${from} ${target.joins}
          WHERE ${relation.join(parent, alias)} ${keysetSql<Row>(page, alias, relation.sortColumnType)}
          ORDER BY ${sortSql<Row>(page, alias)}
          ${limitSql(page.take)}
        ) ${Prisma.raw(item)})`,
      // The finished connection, as the field's resolver would build it from its loader's rows.
      decode: (json, parent, context) =>
        toConnection(
          (json as unknown[]).map((item) => target.hydrate(item, context) as Row & { id: string }),
          page,
          () => relation.count(parent, context),
        ),
    };
  }
}

/**
 * The node type and field nodes under a connection's `edges { node }`, when a single key selects each, and
 * whether any cursor is selected (an edge's, or `pageInfo`'s start or end): only then is the sort column
 * needed (the edges make cursors lazily, from it).
 */
function connectionNode(
  scope: OperationScope,
  connection: GraphQLObjectType,
  nodes: readonly FieldNode[],
): { type: GraphQLObjectType; nodes: FieldNode[]; cursors: boolean } | null {
  const connectionFields = subfields(scope, connection, nodes);
  const edges = only(connectionFields, "edges");
  const edgeType = getNamedType(connection.getFields().edges?.type);
  if (!edges || !isObjectType(edgeType)) return null;
  const edgeFields = subfields(scope, edgeType, edges);
  const node = only(edgeFields, "node");
  const nodeType = getNamedType(edgeType.getFields().node?.type);
  if (!node || !isObjectType(nodeType)) return null;
  const pageInfo = getNamedType(connection.getFields().pageInfo?.type);
  const pageInfoNodes = [...connectionFields.values()].filter((field) => field[0]?.name.value === "pageInfo").flat();
  const cursors =
    selects(edgeFields, "cursor") ||
    (isObjectType(pageInfo) &&
      pageInfoNodes.length > 0 &&
      ["startCursor", "endCursor"].some((name) => selects(subfields(scope, pageInfo, pageInfoNodes), name)));
  return { type: nodeType, nodes: node, cursors };
}

function selects(fields: FieldsByKey, name: string): boolean {
  for (const nodes of fields.values()) if (nodes[0]?.name.value === name) return true;
  return false;
}

/**
 * The field nodes of the one response key that selects `name`. Two keys selecting it (aliases with
 * different sub-selections) are left to the resolvers rather than merged.
 */
function only(fields: FieldsByKey, name: string): FieldNode[] | null {
  let found: FieldNode[] | null = null;
  for (const nodes of fields.values()) {
    if (nodes[0]?.name.value !== name) continue;
    if (found) return null;
    found = nodes;
  }
  return found;
}

/** The page a connection field's arguments ask for; null when they are invalid (its resolver reports that). */
function pageOf<Row>(
  scope: OperationScope,
  field: GraphQLField<unknown, unknown>,
  nodes: readonly FieldNode[],
  order: SortOrder<Row>,
): PageRequest<Row> | null {
  const [node] = nodes;
  if (!node) return null;
  try {
    return pageRequest(getArgumentValues(field, node, scope.variableValues) as ConnectionArguments, order);
  } catch {
    return null;
  }
}
