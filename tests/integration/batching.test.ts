import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { backends } from "../helpers/database.js";
import { startTestGateway, type TestGateway } from "../helpers/gateway.js";

const nestedProducts = `query Nested($first: Int!) {
  products(first: $first) {
    edges { node { name category { name } reviews(first: 5) { edges { node { rating author { name } } } } } }
  }
}`;

type Nested = {
  products: {
    edges: { node: { category: { name: string }; reviews: { edges: { node: { author: { name: string } } }[] } } }[];
  };
};

for (const backend of backends) {
  describe.skipIf(backend.skip)(`batching through the loaders, planner off (${backend.name})`, () => {
    let gw: TestGateway;
    beforeAll(async () => {
      // The planner reads this query in one statement (query-planner.test.ts); the loaders are what is
      // left when it is off, and what any selection it does not cover falls back to.
      gw = await startTestGateway(backend.kind, { env: { QUERY_PLANNER: "false" } });
    });
    afterAll(() => gw?.close());

    const statementsFor = async (first: number) => {
      gw.db.statements.reset();
      const response = await gw.graphql<Nested>(nestedProducts, { variables: { first } });
      expect(response.errors).toBeUndefined();
      return {
        count: gw.db.statements.count,
        data: response.data as Nested,
        statements: [...gw.db.statements.statements],
      };
    };

    it("answers the nested products query in four statements, one per level, whatever `first` is", async () => {
      const ten = await statementsFor(10);
      const fifty = await statementsFor(50);
      expect(fifty.data.products.edges).toHaveLength(50);
      const reviews = fifty.data.products.edges.flatMap((edge) => edge.node.reviews.edges);
      expect(reviews.length).toBeGreaterThan(50); // the data really is nested, so N+1 would show
      expect(fifty.count).toBeLessThanOrEqual(5);
      expect(fifty.count).toBe(ten.count);
      expect(fifty.count).toBe(4);
    });

    it("reads each product's review page with LIMIT inside one LATERAL statement, not every review", async () => {
      const { statements } = await statementsFor(50);
      const reviewStatements = statements.filter((sql) => sql.includes('"reviews"'));
      expect(reviewStatements).toHaveLength(1);
      expect(reviewStatements[0]).toMatch(/CROSS JOIN LATERAL[\s\S]*LIMIT/);
    });
  });
}
