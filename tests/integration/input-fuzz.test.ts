// Fuzzes every string argument and input field of the schema (walked from schema.graphql, so a new
// field is fuzzed from the day it exists) with values PostgreSQL or a validator cannot take: a NUL
// character, a lone UTF-16 surrogate, and a very long value. None may come back as our fault
// (INTERNAL_SERVER_ERROR, or a 5xx); the first two must be refused as BAD_USER_INPUT naming the field.
import { readFileSync } from "node:fs";
import {
  buildSchema,
  type GraphQLArgument,
  type GraphQLField,
  type GraphQLInputType,
  getNamedType,
  getNullableType,
  isEnumType,
  isInputObjectType,
  isLeafType,
  isListType,
  isNonNullType,
  isScalarType,
} from "graphql";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { backends } from "../helpers/database.js";
import { type GraphQLResponse, startTestGateway, type TestGateway } from "../helpers/gateway.js";

const schema = buildSchema(readFileSync(new URL("../../schema.graphql", import.meta.url), "utf8"));

/** A string position in one root field's arguments: the path to it, and the arguments around it. */
type Target = {
  operation: "query" | "mutation";
  field: GraphQLField<unknown, unknown>;
  /** e.g. ["input", "items", "0", "productId"]. */
  path: string[];
};

const SAMPLE_ID = "01890000-0000-7000-8000-000000000000";

/** A value of `type` that passes coercion, with every required field filled; strings get `text`. */
function sample(type: GraphQLInputType, depth = 0): unknown {
  const named = getNamedType(type);
  let value: unknown;
  if (isInputObjectType(named)) {
    value = Object.fromEntries(
      Object.values(named.getFields())
        .filter((field) => isNonNullType(field.type) && depth < 4)
        .map((field) => [field.name, sample(field.type, depth + 1)]),
    );
  } else if (isEnumType(named)) {
    value = named.getValues()[0]?.value;
  } else if (named.name === "Int" || named.name === "Float") {
    value = 1;
  } else if (named.name === "Boolean") {
    value = false;
  } else if (named.name === "ID") {
    value = SAMPLE_ID;
  } else {
    value = "sample";
  }
  return isListType(getNullableType(type)) ? [value] : value;
}

/** Every path under `type` (starting at `path`) that ends in a String or ID. */
function stringPaths(type: GraphQLInputType, path: string[], depth = 0): string[][] {
  const nullable = getNullableType(type);
  if (isListType(nullable)) return stringPaths(nullable.ofType, [...path, "0"], depth);
  if (isInputObjectType(nullable)) {
    if (depth > 4) return [];
    return Object.values(nullable.getFields()).flatMap((field) =>
      stringPaths(field.type, [...path, field.name], depth + 1),
    );
  }
  if (isScalarType(nullable) && !["Int", "Float", "Boolean"].includes(nullable.name)) return [path];
  return [];
}

function targets(): Target[] {
  const found: Target[] = [];
  for (const [operation, root] of [
    ["query", schema.getQueryType()],
    ["mutation", schema.getMutationType()],
  ] as const) {
    for (const field of Object.values(root?.getFields() ?? {})) {
      for (const arg of field.args) {
        for (const path of stringPaths(arg.type, [arg.name])) found.push({ operation, field, path });
      }
    }
  }
  return found;
}

/** The arguments (as variables) with the target position set to `bad`; the others get samples. */
function variablesFor(target: Target, bad: string): Record<string, unknown> {
  const variables: Record<string, unknown> = {};
  for (const arg of target.field.args) {
    if (isNonNullType(arg.type) || arg.name === target.path[0]) variables[arg.name] = sample(arg.type);
  }
  let container = variables as Record<string, unknown>;
  let type = (target.field.args.find((a) => a.name === target.path[0]) as GraphQLArgument).type;
  for (const [i, key] of target.path.entries()) {
    if (i > 0) {
      const parent = getNullableType(type);
      type = isListType(parent)
        ? parent.ofType
        : isInputObjectType(parent)
          ? (parent.getFields()[key]?.type as GraphQLInputType)
          : type;
    }
    if (i === target.path.length - 1) {
      container[key] = bad;
    } else {
      container[key] ??= sample(type);
      container = container[key] as Record<string, unknown>;
    }
  }
  return variables;
}

function documentFor(target: Target): string {
  const declared = target.field.args.map((arg) => `$${arg.name}: ${String(arg.type)}`);
  const passed = target.field.args.map((arg) => `${arg.name}: $${arg.name}`);
  const selection = isLeafType(getNamedType(target.field.type)) ? "" : "{ __typename }";
  return `${target.operation} Fuzz(${declared.join(", ")}) { ${target.field.name}(${passed.join(", ")}) ${selection} }`;
}

const badValues = [
  { name: "a NUL character", value: "bad\u0000value", refused: true },
  { name: "a lone UTF-16 surrogate", value: "bad\ud800value@example.com", refused: true },
  { name: "a very long value", value: "a".repeat(60_000), refused: false },
] as const;

const isOurFault = (response: GraphQLResponse) =>
  response.status >= 500 || (response.errors ?? []).some((error) => error.extensions.code === "INTERNAL_SERVER_ERROR");

const fuzzTargets = targets();

it("finds string inputs to fuzz in the schema", () => {
  expect(fuzzTargets.length).toBeGreaterThan(40);
  const names = fuzzTargets.map((t) => `${t.field.name}.${t.path.join(".")}`);
  expect(names).toEqual(
    expect.arrayContaining(["login.input.email", "createPost.input.title", "products.filter.search"]),
  );
});

for (const backend of backends) {
  describe.skipIf(backend.skip)(`fuzzed string inputs (${backend.name})`, () => {
    let gw: TestGateway;
    beforeAll(async () => {
      gw = await startTestGateway(backend.kind, { seedScale: 0.02 });
    });
    afterAll(() => gw?.close());

    for (const bad of badValues) {
      it(`answers ${bad.name} in any string input as the client's error, never ours`, async () => {
        const failures: string[] = [];
        for (const target of fuzzTargets) {
          const name = `${target.field.name}(${target.path.join(".")})`;
          const response = await gw.graphql(documentFor(target), {
            variables: variablesFor(target, bad.value),
            as: gw.users.admin,
          });
          if (isOurFault(response)) {
            failures.push(`${name}: ${response.status} ${JSON.stringify(response.errors?.[0]?.extensions.code)}`);
            continue;
          }
          if (!bad.refused) continue;
          const error = response.errors?.[0];
          if (error?.extensions.code !== "BAD_USER_INPUT" || error.extensions.field !== target.path.join(".")) {
            failures.push(`${name}: not refused as BAD_USER_INPUT naming it: ${JSON.stringify(response.errors)}`);
          }
        }
        expect(failures).toEqual([]);
      });
    }

    it("refuses a NUL in a literal of the document, and in a variable's default, naming the argument", async () => {
      const literal = await gw.graphql(
        'mutation { login(input: { email: "a\\u0000@example.com", password: "x" }) { __typename } }',
      );
      expect(literal.errors?.[0]?.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "input.email" });
      const byDefault = await gw.graphql('query($slug: String = "x\\u0000y") { product(slug: $slug) { name } }');
      expect(byDefault.errors?.[0]?.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "slug" });
      expect(byDefault.status).toBe(400);
    });
  });
}
