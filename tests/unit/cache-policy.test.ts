// An operation's cache policy from the schema's @cacheControl hints (platform/cache/cache-policy.ts): Apollo's
// cache-control rules applied to the document, never laxer than for any single response.
import { Kind, type OperationDefinitionNode, parse } from "graphql";
import { describe, expect, it } from "vitest";
import { catalogMaxAge, categoryMaxAge, operationCachePolicy } from "../../src/platform/cache/index.js";
import { buildTypeSchema } from "../../src/schema.js";

const schema = await buildTypeSchema();

function policyOf(query: string) {
  const document = parse(query);
  const operation = document.definitions.find(
    (definition): definition is OperationDefinitionNode => definition.kind === Kind.OPERATION_DEFINITION,
  );
  if (!operation) throw new Error("no operation");
  return operationCachePolicy(schema, document, operation);
}

describe("operationCachePolicy", () => {
  it("takes the shortest max age of the types and fields selected, connections inheriting theirs", () => {
    expect(policyOf("{ categories { name parent { name } } }")).toEqual({ maxAge: categoryMaxAge, scope: "PUBLIC" });
    expect(policyOf("{ products(first: 2) { edges { node { name category { name } } } } }")).toEqual({
      maxAge: catalogMaxAge,
      scope: "PUBLIC",
    });
    expect(
      policyOf(`{ product(slug: "x") { reviews(first: 2) { totalCount edges { node { rating author { name } } } } } }`),
    ).toEqual({ maxAge: catalogMaxAge, scope: "PUBLIC" });
  });

  it("follows fragments, named and inline", () => {
    expect(policyOf("query { ...F } fragment F on Query { categories { ... on Category { name } } }")).toEqual({
      maxAge: categoryMaxAge,
      scope: "PUBLIC",
    });
  });

  it("is PRIVATE when any selected field is, even one that @skip leaves out", () => {
    expect(policyOf("{ me { email } }")?.scope).toBe("PRIVATE");
    expect(policyOf("{ products(first: 1) { totalCount } me @skip(if: true) { id } }")?.scope).toBe("PRIVATE");
  });

  it("is not cacheable when a root or object field has no max age (Apollo's default of 0)", () => {
    expect(policyOf("{ __typename }")).toBeNull();
    expect(policyOf(`{ node(id: "x") { id } }`)).toBeNull();
    expect(policyOf('{ products(first: 1) { totalCount } node(id: "x") { id } }')).toBeNull();
  });
});
