import {
  type DocumentNode,
  type GraphQLNamedType,
  type GraphQLSchema,
  getNamedType,
  isCompositeType,
  type OperationDefinitionNode,
} from "graphql";
import { type CacheHint, cacheHintOf } from "./cache-hints.js";
import { everySelectedField } from "./selected-fields.js";

export type CachePolicy = Readonly<{ maxAge: number; scope: "PUBLIC" | "PRIVATE" }>;

type Accumulated = { maxAge?: number; scope?: "PUBLIC" | "PRIVATE" };

/**
 * The cache policy of every response an operation can give, from the `@cacheControl` hints of the fields it
 * selects and the types they return: Apollo's cache-control rules (a hint on the type, replaced by one on
 * the field unless that one only inherits; an object field or root field without a max age gets 0; the
 * shortest max age and any PRIVATE win), applied to the document instead of to each resolved field. Every
 * selected field counts, both sides of `@skip`/`@include` and fields under a null or an empty list too,
 * so the policy is never laxer than the one Apollo computes for any single response. No resolver sets a
 * hint of its own, so the document decides. Null: not cacheable.
 */
export function operationCachePolicy(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
): CachePolicy | null {
  const root = operation.operation === "query" ? schema.getQueryType() : null;
  if (!root) return null;
  const overall: Accumulated = {};
  const walked = everySelectedField(schema, document, operation, root, (_parent, field, isRoot) => {
    if (field) restrict(overall, fieldPolicy(cacheHintOf(field) ?? {}, getNamedType(field.type), isRoot));
    return true;
  });
  if (!walked) return null;
  if (overall.maxAge === undefined || overall.maxAge === 0) return null;
  return { maxAge: overall.maxAge, scope: overall.scope ?? "PUBLIC" };
}

/** One field's policy, as Apollo's cache-control plugin computes it when the field resolves. */
function fieldPolicy(fieldHint: CacheHint, type: GraphQLNamedType, isRoot: boolean): Accumulated {
  const policy: Accumulated = {};
  const composite = isCompositeType(type);
  let inheritMaxAge = false;
  if (composite) {
    const typeHint = cacheHintOf(type) ?? {};
    replace(policy, typeHint);
    inheritMaxAge = typeHint.inheritMaxAge === true;
  }
  if (fieldHint.inheritMaxAge && policy.maxAge === undefined) {
    inheritMaxAge = true;
    if (fieldHint.scope) policy.scope = fieldHint.scope;
  } else {
    replace(policy, fieldHint);
  }
  if (policy.maxAge === undefined && ((composite && !inheritMaxAge) || isRoot)) restrict(policy, { maxAge: 0 });
  return policy;
}

function replace(policy: Accumulated, hint: CacheHint): void {
  if (hint.maxAge !== undefined) policy.maxAge = hint.maxAge;
  if (hint.scope !== undefined) policy.scope = hint.scope;
}

function restrict(policy: Accumulated, hint: Accumulated): void {
  if (hint.maxAge !== undefined && (policy.maxAge === undefined || hint.maxAge < policy.maxAge))
    policy.maxAge = hint.maxAge;
  if (hint.scope !== undefined && policy.scope !== "PRIVATE") policy.scope = hint.scope;
}
