// The queries the servers are compared on, and the check that every server answers them alike.

import { AssertionError, deepStrictEqual } from "node:assert";
import { isDeepStrictEqual } from "node:util";
import type { Request } from "./load.js";
import type { ServerProcess } from "./servers.js";

/** 20 products, their category, 5 reviews each and the reviews' authors (the batching test's query). */
export const nestedProductsQuery = `query Nested {
  products(first: 20) {
    edges { node { name priceCents category { name } reviews(first: 5) { edges { node { rating author { name } } } } } }
  }
}`;

export type Scenario = Readonly<{ name: string; connections: number; body: string }>;

export const nestedScenario: Scenario = {
  name: "nested",
  connections: 10,
  body: JSON.stringify({ query: nestedProductsQuery }),
};
export const typenameScenario: Scenario = {
  name: "__typename",
  connections: 10,
  body: JSON.stringify({ query: "{ __typename }" }),
};

export type Probe = Readonly<{ request: Request; statementsPerRequest: number }>;

/**
 * Sends the scenario's request once to each server, alone, and counts the SQL statements it cost. All
 * servers must answer with the same `data` (same values, same order), or this throws with a diff; the
 * gateway's `extensions` (the query's cost and the caller's budget) are not compared. Under load each
 * server's responses must then start with its own `data` here, byte for byte.
 */
export async function probe(scenario: Scenario, servers: ServerProcess[]): Promise<Map<ServerProcess, Probe>> {
  const probes = new Map<ServerProcess, Probe>();
  let expected: { server: string; data: unknown } | undefined;
  for (const server of servers) {
    const before = await server.statements();
    const response = await fetch(server.graphqlUrl, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: scenario.body,
    });
    const text = await response.text();
    const statementsPerRequest = (await server.statements()) - before;
    const json = JSON.parse(text) as { data?: unknown; errors?: unknown };
    if (!response.ok || json.errors || !json.data) {
      throw new Error(`${scenario.name}: ${server.name} answered ${response.status}: ${text.slice(0, 2000)}`);
    }
    if (expected && !isDeepStrictEqual(json.data, expected.data)) {
      try {
        deepStrictEqual(json.data, expected.data);
      } catch (error) {
        const diff = error instanceof AssertionError ? error.message : String(error);
        throw new Error(`${scenario.name}: ${server.name} and ${expected.server} answer differently:\n${diff}`);
      }
    }
    expected ??= { server: server.name, data: json.data };
    // Servers write `data` first (a GraphQL error would put `errors` first); JSON.stringify of parsed
    // JSON.stringify output gives the same text back.
    const answer = `{"data":${JSON.stringify(json.data)}`;
    // What follows the data: "}" (the end; Apollo may add a newline) or ",": more members (`extensions`).
    const verify = (body: string) =>
      body.startsWith(answer) && (body[answer.length] === "}" || body[answer.length] === ",");
    if (!verify(text))
      throw new Error(
        `${scenario.name}: ${server.name}'s answer is not its data first: ${text.slice(0, 80)} … ${text.slice(-80)}`,
      );
    probes.set(server, { request: { body: scenario.body, verify }, statementsPerRequest });
  }
  return probes;
}

/** SQL statements one request costs, sent alone (for requests no other server answers, e.g. a login). */
export async function statementsOf(server: ServerProcess, request: Request): Promise<number> {
  const before = await server.statements();
  const response = await fetch(server.graphqlUrl, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: request.body,
  });
  if (!request.verify(await response.text())) throw new Error(`${server.name}: the probe request failed`);
  return (await server.statements()) - before;
}
