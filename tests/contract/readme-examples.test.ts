// Every operation in README.md's ```graphql blocks, run in README order against a freshly seeded PGlite, signed
// in (through `login`, as a reader would) as the account its `# as alice` comment names. Each must answer
// without errors, with no top-level field null and no userErrors: a reader pastes these, so a slug that is not
// in the seed or an id nobody can know fails here. Mutations run once, in order, on this file's own database.
import { readFile } from "node:fs/promises";
import { type OperationDefinitionNode, parse } from "graphql";
import { type Client, createClient } from "graphql-ws";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { WebSocket } from "ws";
import { SEED_ACCOUNTS, SEED_PASSWORD } from "../../src/seed/index.js";
import { startTestGateway, type TestGateway } from "../helpers/gateway.js";

type Account = keyof typeof SEED_ACCOUNTS;
type Example = {
  source: string;
  name: string;
  as: Account | null;
  variables: string[];
  operation: OperationDefinitionNode["operation"];
};

const readme = await readFile(new URL("../../README.md", import.meta.url), "utf8");

function examples(): Example[] {
  const found: Example[] = [];
  for (const [, block = ""] of readme.matchAll(/```graphql\n([\s\S]*?)```/g)) {
    let previousEnd = 0;
    for (const definition of parse(block).definitions) {
      if (definition.kind !== "OperationDefinition" || !definition.loc) {
        throw new Error(`README: only operations belong in graphql blocks, found ${definition.kind}`);
      }
      const op: OperationDefinitionNode = definition;
      const preamble = block.slice(previousEnd, definition.loc.start);
      previousEnd = definition.loc.end;
      const as = /^\s*# as (\w+)/m.exec(preamble)?.[1] ?? null;
      if (as !== null && !(as in SEED_ACCOUNTS)) throw new Error(`README: "# as ${as}" names no seeded account`);
      const source = block.slice(definition.loc.start, definition.loc.end);
      const comment = /^\s*# (.+)$/m.exec(preamble)?.[1];
      found.push({
        source,
        name: op.name?.value ?? comment?.slice(0, 60) ?? source.split("\n")[0]?.slice(0, 60) ?? "",
        as: as as Account | null,
        variables: (op.variableDefinitions ?? []).map((v) => v.variable.name.value),
        operation: op.operation,
      });
    }
  }
  return found;
}

/** Where each documented variable's value comes from (README, "Changing data"), in the answers seen so far. */
const VARIABLES: Record<string, string> = {
  productId: "DemoIds.product.id",
  categoryId: "DemoIds.category.id",
  postId: "DemoIds.post.id",
  addressId: "DemoIds.me.addresses[isDefault].id",
  orderId: "placeOrder.order.id",
  token: "login.refreshToken",
  // Relay refetching (README "Ids and node"): any ids the API returned; a list is comma-separated paths.
  id: "DemoIds.product.id",
  ids: "DemoIds.product.id,DemoIds.post.id",
};

function lookUp(answers: Record<string, unknown>, path: string): unknown {
  let value: unknown = answers;
  for (const step of path.split(".")) {
    const [, key = "", flag] = /^(\w+)(?:\[(\w+)\])?$/.exec(step) ?? [];
    value = (value as Record<string, unknown> | null | undefined)?.[key];
    if (flag) value = (value as Record<string, unknown>[] | undefined)?.find((item) => item[flag] === true);
  }
  return value;
}

const all = examples();

describe("README examples", () => {
  let gw: TestGateway;
  const tokens = new Map<Account, string>();
  const cookies = new Map<string, string>();
  // Answers by operation name and by root field, the latest winning: where VARIABLES reads from.
  const answers: Record<string, unknown> = {};
  // Subscription examples listen over WebSocket from where they stand in the README; the examples after
  // them (a mutation the README shows next) must bring each at least one event.
  let wsUrl = "";
  const subscriptions: { name: string; client: Client; first: Promise<Record<string, unknown>> }[] = [];

  beforeAll(async () => {
    gw = await startTestGateway("pglite");
    // A reader looks the demo ids up before pasting examples that need them; so does this test, since the
    // "Ids and node" examples come before the DemoIds lookup in the README.
    const lookup = all.find((example) => example.name === "DemoIds");
    if (!lookup?.as) throw new Error("the README has no DemoIds lookup with a `# as` account");
    const { data } = await gw.graphql(lookup.source, {
      headers: { authorization: `Bearer ${await signIn(lookup.as)}` },
    });
    answers.DemoIds = data;
    wsUrl = `${(await gw.gateway.app.listen({ host: "127.0.0.1", port: 0 })).replace(/^http/, "ws")}/graphql`;
  }, 120_000);
  afterAll(async () => {
    for (const subscription of subscriptions) subscription.client.dispose();
    await gw?.close();
  });

  async function signIn(account: Account): Promise<string> {
    const known = tokens.get(account);
    if (known) return known;
    const { data } = await gw.graphql<{ login: { accessToken: string | null } }>(
      "mutation($email: String!, $password: String!) { login(input: { email: $email, password: $password }) { accessToken } }",
      { variables: { email: SEED_ACCOUNTS[account].email, password: SEED_PASSWORD } },
    );
    const token = data?.login.accessToken;
    if (!token) throw new Error(`cannot sign in as ${account}`);
    tokens.set(account, token);
    return token;
  }

  it("finds every example (the parser must not skip any)", () => {
    expect(all.length).toBeGreaterThanOrEqual(16);
  });

  for (const [index, example] of all.entries()) {
    it(`#${index + 1} ${example.name}${example.as ? ` (as ${example.as})` : ""} returns data`, async () => {
      const variables: Record<string, unknown> = {};
      for (const name of example.variables) {
        const path = VARIABLES[name];
        if (!path) throw new Error(`$${name} is not one of the variables the README documents`);
        const paths = path.split(",");
        const values = paths.map((one) => lookUp(answers, one));
        for (const value of values) expect(value, `$${name} from ${path}`).toBeTypeOf("string");
        variables[name] = paths.length > 1 ? values : values[0];
      }
      const headers: Record<string, string> = {};
      if (example.as) headers.authorization = `Bearer ${await signIn(example.as)}`;
      if (example.operation === "subscription") {
        const client = createClient({
          url: wsUrl,
          webSocketImpl: WebSocket,
          retryAttempts: 0,
          connectionParams: headers.authorization ? { authorization: headers.authorization } : {},
        });
        const first = new Promise<Record<string, unknown>>((resolve, reject) => {
          client.subscribe(
            { query: example.source, variables },
            { next: (event) => resolve(event as Record<string, unknown>), error: reject, complete: () => {} },
          );
        });
        subscriptions.push({ name: example.name, client, first });
        await vi.waitFor(() => expect(gw.gateway.events.subscribers).toBeGreaterThanOrEqual(subscriptions.length), {
          timeout: 20_000,
          interval: 50,
        });
        return;
      }
      if (cookies.size > 0) headers.cookie = [...cookies].map(([k, v]) => `${k}=${v}`).join("; ");

      const response = await gw.graphql(example.source, { variables, headers });

      // The browser examples need the cookie the previous answer set, as a browser would keep it.
      const setCookie = response.headers["set-cookie"];
      for (const line of [setCookie ?? []].flat()) {
        const [pair = ""] = String(line).split(";");
        const at = pair.indexOf("=");
        cookies.set(pair.slice(0, at), pair.slice(at + 1));
      }
      expect(response.errors).toBeUndefined();
      expect(response.status).toBe(200);
      const data = response.data ?? {};
      expect(Object.keys(data).length).toBeGreaterThan(0);
      for (const [field, value] of Object.entries(data)) {
        expect(value, `${field} is null`).not.toBeNull();
        if (value && typeof value === "object" && "userErrors" in value) {
          expect(value.userErrors, `${field}.userErrors`).toEqual([]);
        }
        answers[field] = value;
      }
      if (/^\w+$/.test(example.name)) answers[example.name] = data;
    });
  }

  it("every subscription example received an event, with data and no errors", async () => {
    expect(subscriptions.length).toBeGreaterThan(0);
    for (const subscription of subscriptions) {
      const event = await subscription.first;
      expect(event.errors, subscription.name).toBeUndefined();
      expect(
        Object.values((event.data ?? {}) as object).every((value) => value !== null),
        subscription.name,
      ).toBe(true);
    }
  });
});
