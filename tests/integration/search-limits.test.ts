// Free-text filters are bounded (length, and terms for full-text search) and priced: a search too big
// to run is refused as BAD_USER_INPUT naming the argument, before any SQL; one that runs is charged per
// term in extensions.cost. On PGlite and on a PostgreSQL server.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  SEARCH_MAX_LENGTH,
  SEARCH_MAX_TERMS,
  SEARCH_TERM_COST,
  SUBSTRING_SEARCH_MAX_LENGTH,
} from "../../src/platform/search/index.js";
import { backends } from "../helpers/database.js";
import { type GraphQLResponse, startTestGateway, type TestGateway } from "../helpers/gateway.js";

const productSearch = `query Search($q: String) {
  products(first: 5, filter: { search: $q }) { totalCount edges { node { name } } }
}`;
const userSearch = `query Users($q: String) { users(first: 5, filter: { search: $q }) { edges { node { username } } } }`;
const costOf = (response: GraphQLResponse) =>
  (response.extensions?.cost as { requestedQueryCost: number } | undefined)?.requestedQueryCost;
const words = (n: number) => Array.from({ length: n }, (_, i) => `w${i}`).join(" or ");

for (const backend of backends) {
  describe.skipIf(backend.skip)(`search limits (${backend.name})`, () => {
    let gw: TestGateway;
    beforeAll(async () => {
      gw = await startTestGateway(backend.kind, { seedScale: 0.02 });
    });
    afterAll(() => gw?.close());

    const refusedBeforeSql = async (query: string, q: string, options: { admin?: boolean } = {}) => {
      gw.db.statements.reset();
      const response = await gw.graphql(query, { variables: { q }, ...(options.admin ? { as: gw.users.admin } : {}) });
      expect(gw.db.statements.count).toBe(0);
      expect(response.data).toBeNull();
      expect(response.errors?.[0]?.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "filter.search" });
      return response;
    };

    it("refuses a 95 KB flood of `or` terms before any SQL, naming the argument", async () => {
      const flood = words(20_000).slice(0, 95_000);
      const response = await refusedBeforeSql(productSearch, flood);
      expect(response.errors?.[0]?.message).toContain(String(SEARCH_MAX_LENGTH));
      // Priced at the term limit, not at the flood's size: the refusal is the input's, not the cost's.
      expect(costOf(response)).toBe(1 + 1 + 5 + SEARCH_MAX_TERMS * SEARCH_TERM_COST);
    });

    it("refuses more terms than allowed, and more characters than allowed", async () => {
      const tooMany = await refusedBeforeSql(productSearch, words(SEARCH_MAX_TERMS + 1));
      expect(tooMany.errors?.[0]?.message).toContain(`at most ${SEARCH_MAX_TERMS}`);
      await refusedBeforeSql(productSearch, "x".repeat(SEARCH_MAX_LENGTH + 1));
      await refusedBeforeSql(userSearch, "x".repeat(SUBSTRING_SEARCH_MAX_LENGTH + 1), { admin: true });
    });

    it("runs a search at the limits and charges it per term", async () => {
      const atLimit = await gw.graphql(productSearch, { variables: { q: words(SEARCH_MAX_TERMS) } });
      expect(atLimit.errors).toBeUndefined();
      expect(costOf(atLimit)).toBe(1 + 1 + 5 + SEARCH_MAX_TERMS * SEARCH_TERM_COST);
      const one = await gw.graphql(productSearch, { variables: { q: "  headphones  " } });
      expect(one.errors).toBeUndefined();
      expect(costOf(one)).toBe(1 + 1 + 5 + SEARCH_TERM_COST);
      const users = await gw.graphql(userSearch, { variables: { q: "ali" }, as: gw.users.admin });
      expect(users.errors).toBeUndefined();
      expect(costOf(users)).toBe(1 + 5 + SEARCH_TERM_COST);
    });
  });
}
