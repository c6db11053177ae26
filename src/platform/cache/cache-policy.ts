import {
  type DocumentNode,
  type FragmentDefinitionNode,
  type GraphQLNamedType,
  type GraphQLSchema,
  getNamedType,
  isCompositeType,
  Kind,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from "graphql";
import { type CacheHint, cacheHintOf } from "./cache-hints.js";

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
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  }
  const overall: Accumulated = {};
  const visiting = new Set<string>();
  const visit = (selections: SelectionSetNode, parent: GraphQLNamedType | null | undefined, isRoot: boolean) => {
    for (const selection of selections.selections) {
      if (selection.kind === Kind.FIELD) {
        if (selection.name.value === "__typename" || !parent || !isCompositeType(parent) || !("getFields" in parent))
          continue;
        const field = parent.getFields()[selection.name.value];
        if (!field) continue;
        const type = getNamedType(field.type);
        restrict(overall, fieldPolicy(cacheHintOf(field) ?? {}, type, isRoot));
        if (selection.selectionSet) visit(selection.selectionSet, type, false);
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        const type = selection.typeCondition ? schema.getType(selection.typeCondition.name.value) : parent;
        visit(selection.selectionSet, type, isRoot);
      } else {
        const fragment = fragments.get(selection.name.value);
        if (!fragment || visiting.has(fragment.name.value)) continue;
        visiting.add(fragment.name.value);
        visit(fragment.selectionSet, schema.getType(fragment.typeCondition.name.value), isRoot);
        visiting.delete(fragment.name.value);
      }
    }
  };
  visit(operation.selectionSet, root, true);
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
