// Cache hints live where the fields are defined, as Apollo Server's `@cacheControl` directive
// (type-graphql: `@Directive(cacheHint.…)` on a class or field). Apollo's cache-control plugin reads them
// from the schema and computes each response's overall policy; the response cache stores only responses
// whose policy is PUBLIC with a max age above 0.
//
// Apollo's defaults are the safe default here: a root field, or a field returning an object, without a
// hint (its own or its type's) has max age 0, so a response holding it is not cached; a scalar field
// inherits its parent's. Private data is hinted `scope: PRIVATE` on the field, or on its type, so that a
// response holding it is never shared (tests/contract/cache-hints.test.ts checks it against the rules).
import {
  type ConstDirectiveNode,
  DirectiveLocation,
  GraphQLBoolean,
  GraphQLDirective,
  GraphQLEnumType,
  GraphQLInt,
} from "graphql";

const CacheControlScope = new GraphQLEnumType({
  name: "CacheControlScope",
  description: "Who may share a cached response: anyone (PUBLIC) or only the caller it was made for (PRIVATE).",
  values: { PUBLIC: {}, PRIVATE: {} },
});

/** The directive as Apollo Server documents it, declared in the schema so the hints are valid SDL. */
export const cacheControlDirective = new GraphQLDirective({
  name: "cacheControl",
  description: "How long (seconds) and for whom a response holding this field or type may be cached.",
  locations: [
    DirectiveLocation.FIELD_DEFINITION,
    DirectiveLocation.OBJECT,
    DirectiveLocation.INTERFACE,
    DirectiveLocation.UNION,
  ],
  args: {
    maxAge: { type: GraphQLInt },
    scope: { type: CacheControlScope },
    inheritMaxAge: { type: GraphQLBoolean },
  },
});

/** The hints, as `@Directive` takes them. */
export const cacheHint = {
  /** Public for `seconds` (writes still drop it at once: README, "Caching"). */
  publicFor: (seconds: number) => `@cacheControl(maxAge: ${seconds})`,
  /** Only ever for the caller it was read for: the response is not shared. */
  private: "@cacheControl(scope: PRIVATE)",
  /** Plumbing (connections, edges, page info): as long as the field that returned it. */
  inherit: "@cacheControl(inheritMaxAge: true)",
} as const;

/** Max ages of the public types, in seconds: long, because writes invalidate; the config caps them. */
export const catalogMaxAge = 600;
export const categoryMaxAge = 3600;

export type CacheHint = { maxAge?: number; scope?: "PUBLIC" | "PRIVATE"; inheritMaxAge?: boolean };

/** The `@cacheControl` hint on a schema element (field or type), as Apollo's plugin reads it; null: none. */
export function cacheHintOf(element: { astNode?: { directives?: readonly ConstDirectiveNode[] } | null }) {
  const directive = element.astNode?.directives?.find((node) => node.name.value === "cacheControl");
  if (!directive) return null;
  const hint: CacheHint = {};
  for (const argument of directive.arguments ?? []) {
    const { value } = argument;
    if (argument.name.value === "maxAge" && value.kind === "IntValue") hint.maxAge = Number(value.value);
    if (argument.name.value === "scope" && value.kind === "EnumValue") hint.scope = value.value as "PUBLIC" | "PRIVATE";
    if (argument.name.value === "inheritMaxAge" && value.kind === "BooleanValue") hint.inheritMaxAge = value.value;
  }
  return hint;
}
