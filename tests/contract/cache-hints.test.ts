// The response cache's promise, checked on the schema: every field has an explicit cache hint or inherits
// a safe default, and private data can never land in a shared entry (platform/cache).
import { getNamedType, isCompositeType, isObjectType, Kind, type OperationDefinitionNode, parse } from "graphql";
import { describe, expect, it } from "vitest";
import { cacheHintOf, SharedSelections, sharedFields } from "../../src/platform/cache/index.js";
import { buildTypeSchema, hasPublicRule } from "../../src/schema.js";

const schema = await buildTypeSchema();
const shared = sharedFields(schema, hasPublicRule);

function* fields() {
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || type.name.startsWith("__")) continue;
    for (const field of Object.values(type.getFields())) yield { type, field, name: `${type.name}.${field.name}` };
  }
}

/** PRIVATE, or max age 0: a response holding the field is never stored for anyone else. */
const neverShared = (hint: ReturnType<typeof cacheHintOf>) => hint?.scope === "PRIVATE" || hint?.maxAge === 0;

describe("cache hints", () => {
  it("gives every field an explicit hint or a safe default, and every type a shared field returns a hint", () => {
    // Apollo's defaults are the safe part: an object or root field without a hint (its own or its type's)
    // has max age 0 (nothing holding it is stored), and a scalar field inherits its parent's policy. What
    // is checked is that no type reachable through shared fields is left to that default by oversight
    // (caching would silently stop for every query touching it), nor hinted both public and private.
    // The types a query can reach through shared fields, from the root.
    const reachable = new Set<string>([schema.getQueryType()?.name ?? "Query"]);
    for (let grew = true; grew; ) {
      grew = false;
      for (const { type, field, name } of fields()) {
        const returns = getNamedType(field.type).name;
        if (reachable.has(type.name) && shared.has(name) && !reachable.has(returns)) {
          reachable.add(returns);
          grew = true;
        }
      }
    }
    const unhinted: string[] = [];
    for (const { type, field, name } of fields()) {
      const hint = cacheHintOf(field);
      if (hint?.maxAge !== undefined && hint.maxAge > 0 && hint.scope === "PRIVATE") unhinted.push(`${name} (both)`);
      if (!shared.has(name) || !reachable.has(type.name)) continue;
      const returns = getNamedType(field.type);
      if (isCompositeType(returns) && !hint && !cacheHintOf(returns)) unhinted.push(`${name}: ${returns.name}`);
    }
    expect(unhinted).toEqual([]);
  });

  it("marks PRIVATE every field a non-public rule guards (on the field, its type, or its parent type)", () => {
    const exposed: string[] = [];
    for (const { type, field, name } of fields()) {
      if (hasPublicRule(type.name, field.name)) continue;
      if (type === schema.getMutationType()) continue; // mutations are never cached
      const guarded =
        neverShared(cacheHintOf(field)) ||
        neverShared(cacheHintOf(getNamedType(field.type))) ||
        neverShared(cacheHintOf(type));
      if (!guarded) exposed.push(name);
    }
    expect(exposed).toEqual([]);
  });

  it("never shares the private data the issue names: e-mail, role, orders, addresses, drafts, me, rateLimit", () => {
    const named = [
      "User.email",
      "User.role",
      "User.orders",
      "User.addresses",
      "User.posts",
      "User.sessions",
      "User.emailVerified",
      "Query.me",
      "Query.rateLimit",
      "Query.order",
      "Query.posts",
      "Query.post",
      "Query.users",
      "Query.node",
      "Query.nodes",
    ];
    expect(named.filter((name) => shared.has(name))).toEqual([]);
    for (const type of ["Order", "OrderItem", "Address", "ShippingAddress", "Post", "RateLimit"]) {
      const found = schema.getType(type);
      expect(found && neverShared(cacheHintOf(found)), type).toBe(true);
    }
  });

  it("lists exactly the root fields a shared entry may start from", () => {
    const roots = Object.keys(schema.getQueryType()?.getFields() ?? {}).filter((name) => shared.has(`Query.${name}`));
    expect(roots.sort()).toEqual(["categories", "category", "product", "products", "user"]);
  });
});

describe("shared selections (decided from the document, before anything runs)", () => {
  const selections = new SharedSelections(schema, shared);
  const decide = (source: string) => {
    const document = parse(source);
    const operation = document.definitions.find(
      (definition): definition is OperationDefinitionNode => definition.kind === Kind.OPERATION_DEFINITION,
    );
    if (!operation) throw new Error("no operation");
    return selections.onlyShared(document, operation);
  };

  it("shares public catalog reads, through fragments and inline fragments", () => {
    expect(decide("{ products(first: 2) { totalCount edges { node { name category { name } } } } }")).toBe(true);
    expect(
      decide(
        'query { product(slug: "x") { ...P } } fragment P on Product { name reviews { edges { node { author { name } } } } }',
      ),
    ).toBe(true);
    expect(decide("{ categories { ... on Category { name children { name } } } }")).toBe(true);
  });

  it("does not share anything that selects a private field, wherever it hides", () => {
    expect(decide("{ me { name } }")).toBe(false);
    expect(decide("{ rateLimit { remaining } }")).toBe(false);
    expect(decide('{ user(username: "alice") { name email } }')).toBe(false);
    expect(
      decide(
        'query { product(slug: "x") { ...P } } fragment P on Product { reviews { edges { node { author { ...U } } } } } fragment U on User { role }',
      ),
    ).toBe(false);
    expect(decide("query($no: Boolean!) { products { edges { node { name } } } me @include(if: $no) { id } }")).toBe(
      false,
    );
    expect(decide('{ node(id: "x") { id } }')).toBe(false);
    expect(decide("mutation { logout { revokedSessions } }")).toBe(false);
  });
});
