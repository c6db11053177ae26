// client/apollo.ts against a real gateway: its fetch goes to Fastify's inject with a browser-like cookie jar.
// Cache pagination (relayStylePagination), the cookie refresh on UNAUTHENTICATED, and the resend after a
// budget refusal's Retry-After (a second gateway with a tiny budget).
import { gql } from "@apollo/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createGatewayClient } from "../../client/apollo.js";
import { SEED_ACCOUNTS, SEED_PASSWORD } from "../../src/seed/index.js";
import { startTestGateway, type TestGateway } from "../helpers/gateway.js";

describe("client/apollo.ts (pglite)", () => {
  let gw: TestGateway;
  let limited: TestGateway;
  let target: () => TestGateway = () => gw;
  const cookies = new Map<string, string>();
  const requests: { authorization: string | null }[] = [];

  // A browser's fetch with credentials: "include", minus the network.
  const browserFetch: typeof fetch = async (_url, init) => {
    const headers = new Headers(init?.headers);
    requests.push({ authorization: headers.get("authorization") });
    if (cookies.size > 0) headers.set("cookie", [...cookies].map(([k, v]) => `${k}=${v}`).join("; "));
    const reply = await target().gateway.app.inject({
      method: "POST",
      url: "/graphql",
      headers: Object.fromEntries(headers),
      payload: String(init?.body),
    });
    for (const line of [reply.headers["set-cookie"] ?? []].flat()) {
      const [pair = ""] = line.split(";");
      const at = pair.indexOf("=");
      cookies.set(pair.slice(0, at), pair.slice(at + 1));
    }
    const responseHeaders = new Headers();
    for (const [k, v] of Object.entries(reply.headers)) if (v !== undefined) responseHeaders.set(k, String(v));
    return new Response(reply.body, { status: reply.statusCode, headers: responseHeaders });
  };

  beforeAll(async () => {
    gw = await startTestGateway("pglite", { seedScale: 0.02 });
    // 10 points, refilled at 10 a second: the third 4-point query waits for about a second.
    limited = await startTestGateway("pglite", {
      seedScale: 0.02,
      env: { RATE_LIMIT_BUDGET: "10", RATE_LIMIT_RESTORE_RATE: "10", QUERY_MAX_COST: "10" },
    });
  });
  afterAll(() => Promise.all([gw?.close(), limited?.close()]));

  it("appends the pages of a connection in the cache (relayStylePagination)", async () => {
    const client = createGatewayClient({ uri: "http://localhost/graphql", fetch: browserFetch });
    const PRODUCTS = gql`
      query Products($after: String) {
        products(first: 3, after: $after, sort: PRICE_ASC) {
          edges { cursor node { id name } }
          pageInfo { hasNextPage endCursor }
        }
      }
    `;
    type Page = { products: { edges: { node: { id: string } }[]; pageInfo: { endCursor: string } } };
    const first = await client.query<Page>({ query: PRODUCTS });
    const endCursor = first.data?.products.pageInfo.endCursor;
    // What fetchMore does: the next page from the network, merged into the cached list.
    await client.query<Page>({ query: PRODUCTS, variables: { after: endCursor }, fetchPolicy: "network-only" });
    const cached = client.readQuery<Page>({ query: PRODUCTS });
    expect(cached?.products.edges).toHaveLength(6);
    expect(new Set(cached?.products.edges.map((e) => e.node.id)).size).toBe(6);
  });

  it("on UNAUTHENTICATED refreshes once through the cookie and resends with the new token", async () => {
    // An access token that no longer works (expired, or signed by a rotated-out key) is refused outright.
    const client = createGatewayClient({ uri: "http://localhost/graphql", fetch: browserFetch, accessToken: "stale" });
    const login = await browserFetch("http://localhost/graphql", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        query:
          "mutation($e: String!, $p: String!) { login(input: { email: $e, password: $p, useCookie: true }) { userErrors { code } } }",
        variables: { e: SEED_ACCOUNTS.alice.email, p: SEED_PASSWORD },
      }),
    });
    expect(await login.json()).toMatchObject({ data: { login: { userErrors: [] } } });
    requests.length = 0;

    const ME = gql`
      query Me { me { username orders(first: 1) { edges { node { id } } } } }
    `;
    const result = await client.query<{ me: { username: string } | null }>({ query: ME });
    expect(result.data?.me?.username).toBe("alice");
    expect(requests.map((r) => r.authorization?.startsWith("Bearer ") ?? false)).toEqual([true, false, true]);
  });

  it("waits as long as Retry-After says and resends a request refused for the budget", async () => {
    target = () => limited;
    try {
      const client = createGatewayClient({ uri: "http://localhost/graphql", fetch: browserFetch });
      const NAMES = gql`
        query Names { products(first: 3) { edges { node { id name } } } }
      `;
      requests.length = 0;
      for (let i = 0; i < 3; i++) {
        const result = await client.query<{ products: { edges: unknown[] } }>({
          query: NAMES,
          fetchPolicy: "network-only",
        });
        expect(result.error).toBeUndefined();
        expect(result.data?.products.edges).toHaveLength(3);
      }
      // Three answers, four requests: the third was refused once, then resent.
      expect(requests).toHaveLength(4);
    } finally {
      target = () => gw;
    }
  });
});
