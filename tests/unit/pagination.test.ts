import { describe, expect, it } from "vitest";
import { ClientError } from "../../src/platform/errors/index.js";
import { encodeCursor } from "../../src/platform/pagination/cursor.js";
import { pageRequest, type SortOrder, toConnection } from "../../src/platform/pagination/index.js";

type Row = { id: string; createdAt: Date };
const newest: SortOrder<Row> = { key: "newest", field: "createdAt", direction: "desc" };
const row = (n: number): Row => ({ id: `id-${n}`, createdAt: new Date(Date.UTC(2024, 0, n)) });

const badInput = (fn: () => unknown) => {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(ClientError);
    return (error as ClientError).extensions;
  }
  throw new Error("expected BAD_USER_INPUT");
};

describe("pageRequest", () => {
  it("defaults to the first 20 and fetches one extra row to learn whether more exist", () => {
    expect(pageRequest({}, newest)).toMatchObject({ size: 20, take: 21, direction: "desc", backwards: false });
  });

  it("refuses pages above 100 and negative sizes, naming the argument", () => {
    expect(badInput(() => pageRequest({ first: 101 }, newest))).toMatchObject({
      code: "BAD_USER_INPUT",
      field: "first",
    });
    expect(badInput(() => pageRequest({ last: -1 }, newest))).toMatchObject({ field: "last" });
    expect(pageRequest({ first: 100 }, newest).size).toBe(100);
  });

  it("refuses first together with last", () => {
    expect(badInput(() => pageRequest({ first: 1, last: 1 }, newest))).toMatchObject({ field: "last" });
  });

  it("turns last/before around and reads the cursor", () => {
    const before = encodeCursor({ sortKey: "newest", value: "2024-01-05T00:00:00.000Z", id: "id-5" });
    const page = pageRequest({ last: 2, before }, newest);
    expect(page).toMatchObject({ size: 2, direction: "asc", backwards: true, after: { id: "id-5" } });
  });

  it("refuses garbage cursors and cursors from another sort order", () => {
    expect(badInput(() => pageRequest({ after: "not-a-cursor" }, newest))).toMatchObject({ field: "after" });
    const priceCursor = encodeCursor({ sortKey: "price-asc", value: 100, id: "x" });
    expect(() => pageRequest({ after: priceCursor }, newest)).toThrow(/sorted by price-asc/);
  });
});

describe("toConnection", () => {
  it("drops the probe row, reports more pages and builds cursors that round-trip", async () => {
    const page = pageRequest({ first: 2 }, newest);
    const connection = toConnection([row(3), row(2), row(1)], page, async () => 3);
    expect(connection.edges.map((edge) => edge.node.id)).toEqual(["id-3", "id-2"]);
    expect(connection.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: false });
    const next = pageRequest({ first: 2, after: connection.pageInfo.endCursor }, newest);
    expect(next.after).toEqual({ sortKey: "newest", value: "2024-01-02T00:00:00.000Z", id: "id-2" });
    expect(await connection.totalCount).toBe(3);
  });

  it("restores the order of a backwards page", () => {
    const page = pageRequest({ last: 2 }, newest);
    const connection = toConnection([row(1), row(2)], page, async () => 2);
    expect(connection.edges.map((edge) => edge.node.id)).toEqual(["id-2", "id-1"]);
    expect(connection.pageInfo).toMatchObject({ hasPreviousPage: false, hasNextPage: false });
  });

  it("counts only when totalCount is read", () => {
    let counted = 0;
    toConnection([], pageRequest({}, newest), async () => ++counted);
    expect(counted).toBe(0);
  });
});
