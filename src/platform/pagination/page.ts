import { badUserInput } from "../errors/index.js";
import { type CursorPosition, decodeCursor, encodeCursor } from "./cursor.js";

export const MAX_PAGE_SIZE = 100;
export const DEFAULT_PAGE_SIZE = 20;

export type ConnectionArguments = {
  first?: number | null;
  after?: string | null;
  last?: number | null;
  before?: string | null;
};

/** How a list is ordered: a column with a unique tie-breaker on `id` in the same direction. */
export type SortOrder<Row> = Readonly<{
  /** Name carried in cursors; must differ between orders of the same list. */
  key: string;
  field: keyof Row & string;
  direction: "asc" | "desc";
}>;

/** One page to fetch, already turned around for `last`/`before`: callers always read "forwards". */
export type PageRequest<Row> = Readonly<{
  size: number;
  /** Fetch `size + 1` rows; the extra one only says whether more exist. */
  take: number;
  field: keyof Row & string;
  direction: "asc" | "desc";
  after: CursorPosition | undefined;
  backwards: boolean;
  sortKey: string;
}>;

export function pageRequest<Row>(args: ConnectionArguments, order: SortOrder<Row>): PageRequest<Row> {
  const { first, after, last, before } = args;
  if (first != null && last != null) {
    throw badUserInput("Pass either `first` or `last`, not both.", "last");
  }
  for (const [name, value] of [
    ["first", first],
    ["last", last],
  ] as const) {
    if (value != null && (value < 0 || value > MAX_PAGE_SIZE)) {
      throw badUserInput(
        `\`${name}\` must be between 0 and ${MAX_PAGE_SIZE}; got ${value}. Page through longer lists with cursors.`,
        name,
      );
    }
  }
  const backwards = last != null || (first == null && before != null);
  const size = (backwards ? last : first) ?? DEFAULT_PAGE_SIZE;
  const cursorArgument = backwards ? "before" : "after";
  const cursor = backwards ? before : after;
  const flipped = order.direction === "asc" ? "desc" : "asc";
  return {
    size,
    take: size + 1,
    field: order.field,
    direction: backwards ? flipped : order.direction,
    after: cursor != null ? decodeCursor(cursor, cursorArgument, order.key) : undefined,
    backwards,
    sortKey: order.key,
  };
}

export type Edge<Node> = { cursor: string; node: Node };
export type PageInfo = {
  hasNextPage: boolean;
  hasPreviousPage: boolean;
  startCursor: string | null;
  endCursor: string | null;
};
export type ConnectionResult<Node> = {
  edges: Edge<Node>[];
  pageInfo: PageInfo;
  /** Counted only when a client selects it (a getter), since a count is a query of its own. */
  readonly totalCount: Promise<number>;
};

export function cursorValue(value: unknown): string | number {
  if (value instanceof Date) return value.toISOString();
  if (typeof value === "number" || typeof value === "string") return value;
  throw new TypeError(`cannot page on a ${typeof value} sort value`);
}

/** An edge whose cursor is made only when a client selects it: most lists are shown, not paged through. */
class PageEdge<Row extends { id: string }> implements Edge<Row> {
  readonly #page: PageRequest<Row>;

  constructor(
    readonly node: Row,
    page: PageRequest<Row>,
  ) {
    this.#page = page;
  }

  get cursor(): string {
    const { sortKey, field } = this.#page;
    return encodeCursor({ sortKey, value: cursorValue(this.node[field]), id: this.node.id });
  }
}

/** Builds a Relay connection from `take` rows fetched for `page`. */
export function toConnection<Row extends { id: string }>(
  rows: readonly Row[],
  page: PageRequest<Row>,
  count: () => Promise<number>,
): ConnectionResult<Row> {
  const hasMore = rows.length > page.size;
  const kept = rows.slice(0, page.size);
  if (page.backwards) kept.reverse();
  const edges = kept.map((node) => new PageEdge(node, page));
  // Relay lets a server answer `false` for the direction it is not paging in when knowing costs a query;
  // a cursor means there was something on the other side of it when it was issued.
  const hasCursor = page.after !== undefined;
  let counted: Promise<number> | undefined;
  return {
    edges,
    pageInfo: {
      hasNextPage: page.backwards ? hasCursor : hasMore,
      hasPreviousPage: page.backwards ? hasMore : hasCursor,
      get startCursor() {
        return edges[0]?.cursor ?? null;
      },
      get endCursor() {
        return edges.at(-1)?.cursor ?? null;
      },
    },
    get totalCount() {
      counted ??= count();
      return counted;
    },
  };
}
