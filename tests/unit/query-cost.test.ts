import { type GraphQLSchema, getOperationAST, parse } from "graphql";
import { beforeAll, describe, expect, it } from "vitest";
import { operationCost } from "../../src/platform/cost/index.js";
import { SEARCH_MAX_TERMS, SEARCH_TERM_COST } from "../../src/platform/search/index.js";
import { buildTypeSchema } from "../../src/schema.js";

let schema: GraphQLSchema;
beforeAll(async () => {
  schema = await buildTypeSchema();
});

const cost = (query: string, variables?: Record<string, unknown>) => {
  const document = parse(query);
  const operation = getOperationAST(document);
  if (!operation) throw new Error("no operation");
  return operationCost(schema, document, operation, variables);
};

// The formula (README "Query cost"): object 1 + fields; connection 1 + n × edges + (totalCount 1);
// scalars 0; n = first ?? last ?? 20 (max 100); mutations +10 per root field; at least 1.
describe("operation cost", () => {
  it("prices the nested products query by the documented formula", () => {
    // products: 1 + 20 × (node 1 + category 1 + reviews (1 + 5 × (node 1 + author 1)))
    const nested = `{
      products(first: 20) {
        edges { node { name priceCents category { name } reviews(first: 5) { edges { node { rating author { name } } } } } }
      }
    }`;
    expect(cost(nested)).toBe(1 + 20 * (1 + 1 + (1 + 5 * (1 + 1))));
    expect(cost(nested)).toBe(261);
  });

  it("multiplies nested connections by their page sizes, from literals or variables", () => {
    const query = `query($n: Int, $m: Int) {
      products(first: $n) { edges { node { reviews(last: $m) { edges { node { rating } } } } } }
    }`;
    expect(cost(query, { n: 10, m: 3 })).toBe(1 + 10 * (1 + (1 + 3 * 1)));
    // Unset variables mean the default page size of 20.
    expect(cost(query, {})).toBe(1 + 20 * (1 + (1 + 20 * 1)));
    // Above the maximum counts as the maximum (execution refuses it anyway); nonsense as the default.
    expect(cost(query, { n: 1000, m: 1 })).toBe(1 + 100 * (1 + (1 + 1)));
    expect(cost(query, { n: "ten", m: 1 })).toBe(1 + 20 * (1 + (1 + 1)));
  });

  it("uses a variable's default when the variable is omitted, as execution does", () => {
    const query = `query($n: Int = 100) {
      products(first: $n) { edges { node { reviews(first: $n) { totalCount } } } }
    }`;
    // Runs with pages of 100: priced like sending { n: 100 }, not like the default page size.
    expect(cost(query, {})).toBe(1 + 100 * (1 + (1 + 1)));
    expect(cost(query)).toBe(cost(query, { n: 100 }));
    // An explicit value wins over the default; an explicit null means no page size (the default 20).
    expect(cost(query, { n: 5 })).toBe(1 + 5 * (1 + (1 + 1)));
    expect(cost(query, { n: null })).toBe(1 + 20 * (1 + (1 + 1)));
  });

  it("uses defaults for `last`, in nested connections, and under fragments and directives", () => {
    const query = `query($outer: Int = 50, $inner: Int = 10, $withAuthor: Boolean = true) {
      products(last: $outer) { ...Page }
    }
    fragment Page on ProductConnection {
      edges { node { reviews(last: $inner) { edges { node { rating author @include(if: $withAuthor) { name } } } } } }
    }`;
    expect(cost(query, {})).toBe(1 + 50 * (1 + (1 + 10 * (1 + 1))));
    expect(cost(query, { withAuthor: false })).toBe(1 + 50 * (1 + (1 + 10 * 1)));
    // A variable that does not coerce still gets the others' defaults (execution will refuse it).
    expect(cost(query, { outer: "many" })).toBe(1 + 20 * (1 + (1 + 10 * (1 + 1))));
  });

  it("prices full-text search per term, capped at the term limit, and substring search per search", () => {
    const page = (filter: string) => `{ products(first: 10, filter: ${filter}) { edges { node { name } } } }`;
    const plain = 1 + 10;
    expect(cost(page("{}"))).toBe(plain);
    expect(cost(page('{ search: "   " }'))).toBe(plain); // blank: no search runs
    expect(cost(page('{ search: "wireless" }'))).toBe(plain + SEARCH_TERM_COST);
    // `or` and `-` are operators, quotes group: three terms.
    expect(cost(page('{ search: "\\"noise cancelling\\" or -wired" }'))).toBe(plain + 3 * SEARCH_TERM_COST);
    // From variables too; past the limit (refused when it runs) it counts as the limit.
    const byVariable = "query($q: String) { products(first: 10, filter: { search: $q }) { edges { node { name } } } }";
    expect(cost(byVariable, { q: "a b" })).toBe(plain + 2 * SEARCH_TERM_COST);
    const flood = Array.from({ length: 5000 }, (_, i) => `t${i}`).join(" or ");
    expect(cost(byVariable, { q: flood })).toBe(plain + SEARCH_MAX_TERMS * SEARCH_TERM_COST);
    expect(cost('{ users(first: 10, filter: { search: "ali" }) { edges { node { name } } } }')).toBe(
      1 + 10 + SEARCH_TERM_COST,
    );
  });

  it("charges totalCount (a COUNT of its own) once per page, and pageInfo and cursors nothing", () => {
    expect(cost("{ products(first: 50) { totalCount pageInfo { hasNextPage endCursor } } }")).toBe(1 + 1);
    expect(cost("{ products(first: 50) { edges { cursor } } }")).toBe(1);
    expect(cost("{ products(first: 50) { edges { node { name } } } }")).toBe(1 + 50);
  });

  it("counts scalars as free, objects and plain lists as one each, and never less than 1", () => {
    expect(cost("{ __typename }")).toBe(1);
    expect(cost('{ product(slug: "x") { name priceCents } }')).toBe(1);
    expect(cost('{ product(slug: "x") { name category { name parent { name } } } }')).toBe(3);
    expect(cost("{ categories { name children { name children { name } } } }")).toBe(3);
  });

  it("prices nodes(ids:) per id, as that many node fields, and node as one object", () => {
    const ids = ["a", "b", "c"];
    const query = `query($ids: [ID!]!) { nodes(ids: $ids) { id ... on Product { category { name } } } }`;
    expect(cost(query, { ids })).toBe(3 * (1 + 1));
    expect(cost(`{ node(id: "a") { id ... on Product { category { name } } } }`)).toBe(1 + 1);
    // A nested connection multiplies per id; more than 100 ids count as 100 (execution refuses them).
    const reviews = `query($ids: [ID!]!) { nodes(ids: $ids) { ... on Product { reviews(first: 10) { edges { node { rating } } } } } }`;
    expect(cost(reviews, { ids: Array.from({ length: 150 }, () => "x") })).toBe(100 * (1 + (1 + 10 * 1)));
    expect(cost(`{ nodes(ids: []) { id } }`)).toBe(1);
  });

  it("counts every alias and every fragment, so repeating a field cannot hide its cost", () => {
    const aliased =
      "{ a: products(first: 10) { edges { node { name } } } b: products(first: 10) { edges { node { name } } } }";
    expect(cost(aliased)).toBe(2 * (1 + 10));
    const viaFragments = `
      query { products(first: 10) { ...Page } }
      fragment Page on ProductConnection { edges { ...Item } }
      fragment Item on ProductEdge { node { category { name } } }`;
    expect(cost(viaFragments)).toBe(1 + 10 * (1 + 1));
    const inline = "{ products(first: 10) { ... on ProductConnection { edges { node { name } } } } }";
    expect(cost(inline)).toBe(1 + 10);
  });

  it("leaves out what @skip and @include leave out", () => {
    const query = `query($full: Boolean!) {
      products(first: 10) { edges { node { name category @include(if: $full) { name } } } }
    }`;
    expect(cost(query, { full: true })).toBe(1 + 10 * 2);
    expect(cost(query, { full: false })).toBe(1 + 10);
  });

  it("adds 10 for each root field of a mutation", () => {
    const login = 'mutation { login(input: { email: "a@b.c", password: "x" }) { accessToken } }';
    expect(cost(login)).toBe(10 + 1);
    const twice = `mutation {
      a: login(input: { email: "a@b.c", password: "x" }) { accessToken }
      b: login(input: { email: "a@b.c", password: "x" }) { accessToken }
    }`;
    expect(cost(twice)).toBe(2 * (10 + 1));
  });
});

describe("operation cost of adversarial documents", () => {
  it("prices a document whose fragments fan out exponentially, in linear time", () => {
    // F0 spreads F1 twice, F1 spreads F2 twice, …: 2^40 paths, but 41 distinct fragments.
    const levels = 40;
    const fragments = Array.from({ length: levels }, (_, i) =>
      i === levels - 1
        ? `fragment F${i} on Category { parent { name } }`
        : `fragment F${i} on Category { ...F${i + 1} ...F${i + 1} }`,
    ).join("\n");
    const started = performance.now();
    // Priced at what it would really fetch (2^39 parents), so it is refused, and quickly.
    expect(cost(`{ categories { ...F0 } } ${fragments}`)).toBe(1 + 2 ** 39);
    expect(performance.now() - started).toBeLessThan(100);
  });
});
