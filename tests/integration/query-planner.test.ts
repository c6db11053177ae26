import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { backends } from "../helpers/database.js";
import { startTestGateway, type TestGateway } from "../helpers/gateway.js";

// The planner (src/platform/planner) reads a root field's selected tree in the root's statement. Its
// answers must be the loaders' answers: every query here runs on two gateways over identical seeds, one
// with QUERY_PLANNER off, and the responses (data and errors) must be equal.

const nested = `query Nested($first: Int!) {
  products(first: $first) {
    edges { node { name priceCents category { name } reviews(first: 5) { edges { node { rating author { name } } } } } }
  }
}`;

const wide = `query Wide($first: Int, $last: Int, $after: String, $before: String, $sort: ProductSort, $filter: ProductFilter, $withBody: Boolean!) {
  products(first: $first, last: $last, after: $after, before: $before, sort: $sort, filter: $filter) {
    totalCount
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
    edges {
      cursor
      node {
        __typename id name slug description priceCents currency stock status imageUrls averageRating reviewCount createdAt updatedAt
        ...Where
        reviews(first: 3) {
          totalCount
          pageInfo { hasNextPage endCursor }
          edges {
            cursor
            node {
              id rating body @include(if: $withBody) createdAt updatedAt
              product { slug status }
              author { id username name email role createdAt reviews(first: 2) { totalCount pageInfo { hasNextPage } } }
            }
          }
        }
        newest: reviews(last: 1) { pageInfo { startCursor } edges { node { ... on Node { id } rating } } }
      }
    }
  }
}
fragment Where on Product {
  category { id name slug description createdAt parent { name } products(first: 2) { edges { node { slug } } } }
}`;

/**
 * What must match: the data and the errors, less each request's own id. Errors in path order: their order
 * in the response follows when each field settled, which GraphQL leaves open.
 */
function comparable(response: { data?: unknown; errors?: { path?: unknown; extensions?: Record<string, unknown> }[] }) {
  const errors = response.errors
    ?.map(({ extensions, ...error }) => {
      const { requestId: _, ...rest } = extensions ?? {};
      return { ...error, extensions: rest };
    })
    .sort((a, b) => JSON.stringify(a.path).localeCompare(JSON.stringify(b.path)));
  return { data: response.data as Products | undefined, errors };
}

type Products = { products: { edges: { node: Record<string, unknown> }[]; pageInfo: { endCursor: string } } };

for (const backend of backends) {
  describe.skipIf(backend.skip)(`query planner (${backend.name})`, () => {
    let planned: TestGateway;
    let loaders: TestGateway;
    beforeAll(async () => {
      planned = await startTestGateway(backend.kind);
      loaders = await startTestGateway(backend.kind, { env: { QUERY_PLANNER: "false" } });
    });
    afterAll(async () => {
      await planned?.close();
      await loaders?.close();
    });

    /** The query on both gateways, one after the other so each statement count is the query's own. */
    const both = async (query: string, variables: Record<string, unknown>, as?: "admin" | "alice") => {
      const run = async (gw: TestGateway) => {
        gw.db.statements.reset();
        const response = comparable(await gw.graphql<Products>(query, { variables, as: as && gw.users[as] }));
        return { response, statements: gw.db.statements.count };
      };
      const a = await run(planned);
      const b = await run(loaders);
      return { planned: a.response, loaders: b.response, statements: { planned: a.statements, loaders: b.statements } };
    };

    it("answers the nested products query in one statement, whatever `first` is", async () => {
      for (const first of [10, 50]) {
        planned.db.statements.reset();
        const response = await planned.graphql<Products>(nested, { variables: { first } });
        expect(response.errors).toBeUndefined();
        expect(response.data?.products.edges).toHaveLength(first);
        expect(planned.db.statements.count).toBe(1);
      }
    });

    it("gives the loaders' answer, for every caller, page direction, sort and filter", async () => {
      const cases: [Record<string, unknown>, ("admin" | "alice")?][] = [
        [{ first: 8, withBody: true }],
        [{ first: 5, withBody: false, sort: "PRICE_ASC" }, "alice"],
        [{ last: 4, withBody: true, sort: "RATING" }, "admin"],
        [{ first: 6, withBody: true, filter: { status: ["ACTIVE", "DRAFT", "ARCHIVED"] } }, "admin"],
        [{ first: 3, withBody: true, filter: { search: "wireless" } }],
      ];
      for (const [variables, as] of cases) {
        const first = await both(wide, variables, as);
        expect(first.planned).toEqual(first.loaders);
        expect(first.planned.data?.products.edges.length).toBeGreaterThan(0);
        // Planned: the tree in one statement, plus the counts (totalCount), which stay with the loaders.
        expect(first.statements.planned).toBeLessThan(first.statements.loaders);
        expect(first.statements.planned).toBeLessThanOrEqual(5);
        // The next page, from the planned answer's own cursor.
        const cursor = first.planned.data?.products.pageInfo.endCursor;
        const next = await both(wide, { ...variables, after: cursor }, as);
        expect(next.planned).toEqual(next.loaders);
      }
    });

    it("plans each set of variables of an operation on its own, run after run", async () => {
      // Plans are remembered per operation and variables: a plan made for one page size must not answer another.
      const query = `query Pages($reviews: Int!) {
        products(first: 4, sort: RATING) { edges { node { name reviews(first: $reviews) { edges { node { rating } } } } } }
      }`;
      for (const reviews of [1, 3, 1, 3, 2]) {
        const result = await both(query, { reviews });
        expect(result.planned).toEqual(result.loaders);
        expect(result.statements.planned).toBe(1);
        const sizes = result.planned.data?.products.edges.map(
          ({ node }) => (node.reviews as { edges: [] }).edges.length,
        );
        expect(Math.max(...(sizes ?? []))).toBe(reviews);
      }
    });

    it("gives the loaders' answer for fields the rules deny on some rows", async () => {
      // email and role are the account's own (or an admin's): alice sees hers among other authors' nulls.
      const result = await both(wide, { first: 20, withBody: false }, "alice");
      expect(result.planned).toEqual(result.loaders);
      expect(result.planned.errors?.some((error) => error.extensions?.code === "FORBIDDEN")).toBe(true);
    });

    it("leaves invalid nested arguments to the field's resolver, which reports them where they are", async () => {
      const query = `{ products(first: 2) { edges { node { name reviews(first: 500) { edges { node { id } } } } } } }`;
      const result = await both(query, {});
      expect(result.planned).toEqual(result.loaders);
      expect(result.planned.errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
      expect(result.planned.errors?.[0]?.path).toEqual(["products", "edges", 0, "node", "reviews"]);
    });

    it("reads a product page (by slug or id, hidden products for admins only) as the loaders do", async () => {
      const page = `query Page($id: ID, $slug: String, $withBody: Boolean!) {
        product(id: $id, slug: $slug) {
          id name slug description priceCents stock status averageRating reviewCount
          category { name slug parent { name } }
          reviews(first: 10) {
            totalCount pageInfo { hasNextPage endCursor }
            edges { cursor node { id rating body @include(if: $withBody) createdAt author { username name } } }
          }
        }
      }`;
      const drafts = await planned.graphql<Products>(
        `{ products(first: 1, filter: { status: [DRAFT] }) { edges { node { id slug } } } }`,
        { as: planned.users.admin },
      );
      const draft = drafts.data?.products.edges[0]?.node as { id: string; slug: string };
      const cases: [Record<string, unknown>, ("admin" | "alice")?][] = [
        [{ slug: "aurora-wireless-headphones", withBody: true }],
        [{ slug: "aurora-wireless-headphones", withBody: false }, "alice"],
        [{ id: draft.id, withBody: true }],
        [{ slug: draft.slug, withBody: true }, "admin"],
        [{ slug: "no-such-product", withBody: true }],
        [{ id: draft.id, slug: draft.slug, withBody: true }],
        [{ id: "not-an-id", withBody: true }],
      ];
      for (const [variables, as] of cases) {
        const result = await both(page, variables, as);
        expect(result.planned).toEqual(result.loaders);
        // One statement, plus the review count.
        expect(result.statements.planned).toBeLessThanOrEqual(2);
      }
      const shown = await both(page, { slug: "aurora-wireless-headphones", withBody: true });
      expect(shown.planned.data).toMatchObject({ product: { slug: "aurora-wireless-headphones" } });
      expect((await both(page, { id: draft.id, withBody: true })).planned.data).toEqual({ product: null });
    });

    it("reads a category page with its products and their reviews as the loaders do", async () => {
      const listed = await planned.graphql<Products>(`{ products(first: 1) { edges { node { category { slug } } } } }`);
      const category = listed.data?.products.edges[0]?.node.category as { slug: string } | undefined;
      const slug = category?.slug;
      expect(slug).toBeTypeOf("string");
      const categoryPage = `query Category($slug: String!) {
        category(slug: $slug) {
          id name description parent { name } children { name }
          products(first: 5) {
            totalCount
            edges { node { name priceCents reviews(first: 2) { edges { node { rating author { name } } } } } }
          }
        }
      }`;
      for (const as of [undefined, "admin"] as const) {
        const result = await both(categoryPage, { slug }, as);
        expect(result.planned).toEqual(result.loaders);
        expect(result.planned.data).toMatchObject({ category: { products: { edges: expect.any(Array) } } });
        // The category, its parent and product pages in one statement; children and the count through loaders.
        expect(result.statements.planned).toBeLessThanOrEqual(3);
        expect(result.statements.planned).toBeLessThan(result.statements.loaders);
      }
    });

    it("reads only the selected columns, never the password hash", async () => {
      planned.db.statements.reset();
      const response = await planned.graphql(
        `{ products(first: 3) { edges { node { name reviews(first: 2) { edges { node { author { name } } } } } } } }`,
      );
      expect(response.errors).toBeUndefined();
      const [sql] = planned.db.statements.statements;
      expect(sql).toContain('"name"');
      expect(sql).not.toContain('"description"');
      expect(sql).not.toContain("passwordHash");
      expect(sql).not.toContain('"email"');
      // Nor a relation's key when the relation is read in the statement (or not selected at all).
      for (const key of ["authorId", "productId", "categoryId"]) expect(sql).not.toContain(`'${key}',`);
      // The loaders (what the planner falls back to) never read the hash either.
      loaders.db.statements.reset();
      await loaders.graphql(nested, { variables: { first: 5 } });
      expect(loaders.db.statements.statements.some((statement) => statement.includes('"users"'))).toBe(true);
      expect(loaders.db.statements.statements.join("\n")).not.toContain("passwordHash");
    });
  });
}
