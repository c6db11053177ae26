// Calling the write API in tests: every mutation answers a payload with `userErrors`.
import { expect } from "vitest";
import type { RequestOptions, TestGateway } from "./gateway.js";

export type UserErrorShape = { field: string[] | null; code: string; message: string };
export type Payload<Fields> = Fields & { userErrors: UserErrorShape[] };

/**
 * Runs a one-field mutation and returns its payload, failing the test on any GraphQL error: expected
 * problems must arrive as userErrors, not as errors.
 */
export async function mutate<Fields = Record<string, unknown>>(
  gw: TestGateway,
  document: string,
  options: RequestOptions = {},
): Promise<Payload<Fields>> {
  const response = await gw.graphql<Record<string, Payload<Fields>>>(document, options);
  expect(response.errors, JSON.stringify(response.errors)).toBeUndefined();
  const [payload] = Object.values(response.data ?? {});
  if (!payload) throw new Error(`no payload in ${JSON.stringify(response)}`);
  return payload;
}

/** `field.path: CODE` for each user error: compact to compare. */
export const problems = (payload: { userErrors: UserErrorShape[] }) =>
  payload.userErrors.map((error) => `${error.field?.join(".") ?? "-"}: ${error.code}`);

/** The code of the one error a denied or failed call answers with. */
export async function errorCode(gw: TestGateway, document: string, options: RequestOptions = {}) {
  const response = await gw.graphql(document, options);
  return response.errors?.[0]?.extensions.code;
}
