import * as jit from "graphql-jit";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { backends } from "../helpers/database.js";
import { type GraphQLResponse, startTestGateway, type TestGateway } from "../helpers/gateway.js";

// Compiled execution (src/platform/execution, graphql-jit) must answer exactly as graphql-js's `execute`
// does: every operation here runs on two gateways over identical seeds, one with COMPILED_EXECUTION off
// (and twice on the other: its first run is graphql-js's, the repeat compiled), and the HTTP status, data
// and errors must be equal. The operations cover what compiled code handles
// differently from graphql-js: fields without resolvers, lists, abstract types, fragments, directives with
// variables, aliases, errors thrown by resolvers and by the shield, null propagation, bad variables.

const compileQuery = vi.hoisted(() => ({ calls: 0 }));
vi.mock("graphql-jit", async (importOriginal) => {
  const original = await importOriginal<typeof jit>();
  return {
    ...original,
    compileQuery: (...args: Parameters<typeof original.compileQuery>) => {
      compileQuery.calls++;
      return original.compileQuery(...args);
    },
  };
});

const operations: { name: string; query: string; variables?: Record<string, unknown>; as?: "alice" | "admin" }[] = [
  {
    name: "the nested catalog read",
    query: `{ products(first: 20) { edges { node { name priceCents category { name } reviews(first: 5) { edges { node { rating author { name } } } } } } } }`,
  },
  {
    name: "connections with cursors, counts, aliases, fragments and directives",
    query: `query Wide($withBody: Boolean!, $skipCount: Boolean!) {
      products(first: 3, sort: PRICE_ASC) {
        totalCount @skip(if: $skipCount)
        pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
        edges { cursor node { __typename id ...Product cheap: reviews(first: 2) { totalCount edges { node { body @include(if: $withBody) rating } } } } }
      }
    }
    fragment Product on Product { slug name stock status imageUrls averageRating reviewCount createdAt category { slug parent { name } } }`,
    variables: { withBody: true, skipCount: false },
  },
  {
    name: "Node lookups of several types, through inline fragments",
    query: `query Nodes($ids: [ID!]!) { nodes(ids: $ids) { __typename id ... on Product { name } ... on Category { slug } ... on Review { rating } } }`,
  },
  {
    name: "fields the rules deny (null with FORBIDDEN or UNAUTHENTICATED errors)",
    query: `{ products(first: 2) { edges { node { name reviews(first: 3) { edges { node { rating author { username email } } } } } } } }`,
  },
  {
    name: "the same denied fields for a signed-in customer",
    query: `{ products(first: 2) { edges { node { reviews(first: 3) { edges { node { author { username email } } } } } } } }`,
    as: "alice",
  },
  { name: "an argument a resolver refuses", query: `{ products(first: 500) { edges { node { name } } } }` },
  { name: "a root field that needs a signed-in caller", query: `{ me { username addresses { city } } }` },
  {
    name: "the signed-in caller's own data",
    query: `{ me { username email orders(first: 2) { totalCount } } }`,
    as: "alice",
  },
  {
    name: "a variable of the wrong type",
    query: `query ($first: Int) { products(first: $first) { edges { node { name } } } }`,
    variables: { first: "ten" },
  },
  { name: "only __typename", query: `{ __typename }` },
];

function comparable(response: GraphQLResponse) {
  const errors = response.errors
    ?.map(({ extensions, ...error }) => {
      const { requestId: _, ...rest } = extensions ?? {};
      return { ...error, extensions: rest };
    })
    .sort((a, b) => JSON.stringify(a.path).localeCompare(JSON.stringify(b.path)));
  return { status: response.status, data: response.data, errors };
}

for (const backend of backends) {
  describe.skipIf(backend.skip)(`compiled execution (${backend.name})`, () => {
    let compiled: TestGateway;
    let interpreted: TestGateway;
    let nodeIds: string[];
    beforeAll(async () => {
      compiled = await startTestGateway(backend.kind);
      interpreted = await startTestGateway(backend.kind, { env: { COMPILED_EXECUTION: "false" } });
      const listed = await interpreted.graphql<{
        products: { edges: { node: { id: string; category: { id: string } } }[] };
      }>(`{ products(first: 2) { edges { node { id category { id } } } } }`);
      nodeIds = (listed.data?.products.edges ?? []).flatMap(({ node }) => [node.id, node.category.id]);
      expect(nodeIds).toHaveLength(4);
    });
    afterAll(async () => {
      await compiled?.close();
      await interpreted?.close();
    });

    it.each(operations)("answers $name as graphql-js does", async ({ query, variables, as }) => {
      const run = (gw: TestGateway) =>
        gw.graphql(query, {
          variables: query.includes("$ids") ? { ids: [...nodeIds, nodeIds[0]] } : variables,
          as: as && gw.users[as],
        });
      const fromGraphqlJs = await run(interpreted);
      expect(fromGraphqlJs.data ?? fromGraphqlJs.errors).toBeTruthy();
      // The first run of an operation is graphql-js's; the repeat runs compiled.
      const compilations = compileQuery.calls;
      expect(comparable(await run(compiled))).toEqual(comparable(fromGraphqlJs));
      expect(compileQuery.calls).toBe(compilations);
      expect(comparable(await run(compiled))).toEqual(comparable(fromGraphqlJs));
      expect(compileQuery.calls).toBe(compilations + 1);
    });

    it("compiles an operation once, when it is repeated, and only when compiled execution is on", async () => {
      const query = `{ categories { name slug children { name } } }`;
      const before = compileQuery.calls;
      for (let i = 0; i < 3; i++) expect((await interpreted.graphql(query)).errors).toBeUndefined();
      expect(compileQuery.calls).toBe(before);
      for (let i = 0; i < 4; i++) expect((await compiled.graphql(query)).errors).toBeUndefined();
      expect(compileQuery.calls).toBe(before + 1);
      // Documents that are never repeated are never compiled.
      for (let i = 0; i < 3; i++) {
        expect((await compiled.graphql(`{ categories { name${" slug".repeat(i)} } }`)).errors).toBeUndefined();
      }
      expect(compileQuery.calls).toBe(before + 1);
    });
  });
}
