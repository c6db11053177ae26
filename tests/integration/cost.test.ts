// Query cost, per-caller budgets and their reporting, through the whole server. Runs on the in-process
// store and, with TEST_REDIS_URL, on Redis. The database backend does not matter here: PGlite only.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestGateway, type TestGateway } from "../helpers/gateway.js";
import { deleteKeys, redisSkipReason, redisUrl, uniqueKeyPrefix } from "../helpers/redis.js";

const nested = `query Nested {
  products(first: 20) {
    edges { node { name priceCents category { name } reviews(first: 5) { edges { node { rating author { name } } } } } }
  }
}`;
const NESTED_COST = 261; // 1 + 20 × (1 + 1 + (1 + 5 × (1 + 1))), see tests/unit/query-cost.test.ts

const keyPrefix = uniqueKeyPrefix();
const stores: { name: string; env: Record<string, string>; skip: boolean }[] = [
  { name: "in-process store", env: {}, skip: false },
  {
    name: redisSkipReason ? `Redis store (skipped: ${redisSkipReason})` : "Redis store",
    env: { REDIS_URL: redisUrl ?? "", REDIS_KEY_PREFIX: keyPrefix },
    skip: redisSkipReason !== undefined,
  },
];

type Cost = {
  requestedQueryCost: number;
  maximumQueryCost: number;
  throttleStatus: { maximumAvailable: number; currentlyAvailable: number; restoreRate: number };
};
const costOf = (response: { extensions?: Record<string, unknown> }) => response.extensions?.cost as Cost;

for (const store of stores) {
  describe.skipIf(store.skip)(`query cost and budgets (${store.name})`, () => {
    let gw: TestGateway;
    // Every test charges its own client address, so each starts with a full budget.
    let clients = 0;
    const newClient = () => `198.51.100.${++clients}`;

    beforeAll(async () => {
      gw = await startTestGateway("pglite", {
        env: { ...store.env, RATE_LIMIT_BUDGET: "600", RATE_LIMIT_RESTORE_RATE: "1", QUERY_MAX_COST: "500" },
      });
    });
    afterAll(async () => {
      await gw?.close();
      if (store.env.REDIS_URL) await deleteKeys(store.env.REDIS_URL, keyPrefix);
    });

    it("reports the operation's cost and the caller's budget in extensions.cost", async () => {
      const response = await gw.graphql(nested, { remoteAddress: newClient() });
      expect(response.errors).toBeUndefined();
      expect(costOf(response)).toEqual({
        requestedQueryCost: NESTED_COST,
        maximumQueryCost: 500,
        throttleStatus: { maximumAvailable: 600, currentlyAvailable: 600 - NESTED_COST, restoreRate: 1 },
      });
    });

    it("answers the rateLimit field with the same numbers", async () => {
      const client = newClient();
      await gw.graphql("{ categories { name } }", { remoteAddress: client }); // costs 1
      const response = await gw.graphql<{ rateLimit: Record<string, number> }>(
        "{ rateLimit { requestedQueryCost maximumQueryCost maximumAvailable currentlyAvailable restoreRate } }",
        { remoteAddress: client },
      );
      const reported = costOf(response);
      expect(response.data?.rateLimit).toEqual({
        requestedQueryCost: 1,
        maximumQueryCost: 500,
        maximumAvailable: 600,
        currentlyAvailable: reported.throttleStatus.currentlyAvailable,
        restoreRate: 1,
      });
      expect(reported.throttleStatus.currentlyAvailable).toBeGreaterThanOrEqual(598);
      expect(reported.throttleStatus.currentlyAvailable).toBeLessThanOrEqual(599);
    });

    it("refuses an operation above the per-operation maximum before any SQL, without charging for it", async () => {
      const client = newClient();
      gw.db.statements.reset();
      const response = await gw.graphql(
        "{ products(first: 100) { edges { node { reviews(first: 10) { edges { node { author { name } } } } } } } }",
        { remoteAddress: client },
      );
      expect(gw.db.statements.count).toBe(0);
      expect(response.status).toBe(400);
      expect(response.data).toBeUndefined();
      expect(response.errors?.[0]?.extensions.code).toBe("QUERY_TOO_COMPLEX");
      expect(response.errors?.[0]?.message).toContain("2201"); // 1 + 100 × (1 + (1 + 10 × (1 + 1)))
      expect(costOf(response).requestedQueryCost).toBe(2201);
      expect(costOf(response).throttleStatus.currentlyAvailable).toBe(600);
    });

    it("prices omitted variables at their defaults, so a default page size cannot slip past the maximum", async () => {
      const query = `query Defaults($n: Int = 100) {
        products(first: $n) { edges { node { reviews(last: $n) { edges { node { rating } } } } } }
      }`;
      const expected = 1 + 100 * (1 + (1 + 100 * 1)); // what it would run: pages of 100 inside pages of 100
      gw.db.statements.reset();
      const omitted = await gw.graphql(query, { remoteAddress: newClient() });
      expect(gw.db.statements.count).toBe(0);
      expect(omitted.status).toBe(400);
      expect(omitted.errors?.[0]?.extensions.code).toBe("QUERY_TOO_COMPLEX");
      expect(costOf(omitted).requestedQueryCost).toBe(expected);
      const sent = await gw.graphql(query, { variables: { n: 100 }, remoteAddress: newClient() });
      expect(costOf(sent).requestedQueryCost).toBe(expected);
      // Small pages by default stay cheap and run.
      const small = await gw.graphql(query.replace("= 100", "= 3"), { remoteAddress: newClient() });
      expect(small.errors).toBeUndefined();
      expect(costOf(small).requestedQueryCost).toBe(1 + 3 * (1 + (1 + 3 * 1)));
    });

    it("refuses with 429, RATE_LIMITED and Retry-After once the budget is spent, before any SQL", async () => {
      const client = newClient();
      const first = await gw.graphql(nested, { remoteAddress: client });
      const second = await gw.graphql(nested, { remoteAddress: client });
      expect(first.errors).toBeUndefined();
      expect(second.errors).toBeUndefined();
      gw.db.statements.reset();
      const third = await gw.graphql(nested, { remoteAddress: client });
      expect(gw.db.statements.count).toBe(0);
      expect(third.status).toBe(429);
      const error = third.errors?.[0];
      expect(error?.extensions.code).toBe("RATE_LIMITED");
      // 600 − 2 × 261 = 78 left; 183 more points at 1 a second.
      expect(error?.extensions.retryAfter).toBe(183);
      expect(third.headers["retry-after"]).toBe("183");
      expect(costOf(third).throttleStatus.currentlyAvailable).toBe(78);
      // Cheaper operations still fit in what is left.
      const cheap = await gw.graphql("{ categories { name } }", { remoteAddress: client });
      expect(cheap.status).toBe(200);
      expect(cheap.errors).toBeUndefined();
    });

    it("keeps one budget per client address, and one per signed-in user wherever they call from", async () => {
      const client = newClient();
      await gw.graphql(nested, { remoteAddress: client });
      await gw.graphql(nested, { remoteAddress: client });
      expect((await gw.graphql(nested, { remoteAddress: client })).status).toBe(429);
      expect((await gw.graphql(nested, { remoteAddress: newClient() })).status).toBe(200);
      // Alice, signed in from the exhausted address, spends her own budget.
      const alice = await gw.graphql(nested, { remoteAddress: client, as: gw.users.alice });
      expect(alice.status).toBe(200);
      expect(costOf(alice).throttleStatus.currentlyAvailable).toBe(600 - NESTED_COST);
      const aliceElsewhere = await gw.graphql("{ categories { name } }", {
        remoteAddress: newClient(),
        as: gw.users.alice,
      });
      // Her budget, not the new address': what her first query left, minus 1 (plus a moment's refill).
      expect(costOf(aliceElsewhere).throttleStatus.currentlyAvailable).toBeGreaterThanOrEqual(600 - NESTED_COST - 1);
      expect(costOf(aliceElsewhere).throttleStatus.currentlyAvailable).toBeLessThan(600 - NESTED_COST + 1);
    });

    it("ignores X-Forwarded-For from a client that is not a trusted proxy", async () => {
      const client = newClient();
      await gw.graphql(nested, { remoteAddress: client, headers: { "x-forwarded-for": "203.0.113.1" } });
      await gw.graphql(nested, { remoteAddress: client, headers: { "x-forwarded-for": "203.0.113.2" } });
      const third = await gw.graphql(nested, { remoteAddress: client, headers: { "x-forwarded-for": "203.0.113.3" } });
      expect(third.status).toBe(429);
    });

    it("charges requests that fail before execution (parse, validation) one point", async () => {
      const client = newClient();
      const broken = await gw.graphql("{ products { ", { remoteAddress: client });
      expect(broken.errors?.[0]?.extensions.code).toBe("GRAPHQL_PARSE_FAILED");
      expect(costOf(broken).requestedQueryCost).toBe(1);
      expect(costOf(broken).throttleStatus.currentlyAvailable).toBe(599);
    });
  });
}

describe("budgets behind a trusted proxy", () => {
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await startTestGateway("pglite", {
      seedScale: 0.02,
      env: { RATE_LIMIT_BUDGET: "600", RATE_LIMIT_RESTORE_RATE: "1", QUERY_MAX_COST: "500", TRUST_PROXY: "10.0.0.0/8" },
    });
  });
  afterAll(() => gw?.close());

  it("charges the client named in X-Forwarded-For when the request comes from a listed proxy", async () => {
    const viaProxy = (client: string) =>
      gw.graphql(nested, { remoteAddress: "10.1.2.3", headers: { "x-forwarded-for": client } });
    await viaProxy("203.0.113.10");
    await viaProxy("203.0.113.10");
    expect((await viaProxy("203.0.113.10")).status).toBe(429);
    expect((await viaProxy("203.0.113.11")).status).toBe(200);
    // A client claiming to be proxied, from outside the list, is charged as itself.
    const direct = await gw.graphql(nested, {
      remoteAddress: "198.51.100.200",
      headers: { "x-forwarded-for": "203.0.113.12" },
    });
    expect(direct.status).toBe(200);
    await gw.graphql(nested, { remoteAddress: "198.51.100.200", headers: { "x-forwarded-for": "203.0.113.13" } });
    expect(
      (await gw.graphql(nested, { remoteAddress: "198.51.100.200", headers: { "x-forwarded-for": "203.0.113.14" } }))
        .status,
    ).toBe(429);
  });
});
