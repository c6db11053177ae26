import { type GraphQLFieldResolver, type GraphQLSchema, isObjectType } from "graphql";
import { applyMiddleware } from "graphql-middleware";
import { allow, deny, type IRules, shield } from "graphql-shield";
import { presentThrownInShield } from "../errors/presentation.js";
import { denied, type ViewerContext } from "./rules.js";

/** Rules by type and field name, as graphql-shield takes them. */
export type RuleMap = Record<string, Record<string, unknown>>;

/**
 * Joins the modules' rule maps into one. Two modules ruling on the same field is a mistake (which one
 * wins would depend on import order), so it fails at start-up.
 */
export function mergePermissions(maps: readonly RuleMap[]): RuleMap {
  const merged: RuleMap = {};
  for (const map of maps) {
    for (const [typeName, fields] of Object.entries(map)) {
      merged[typeName] ??= {};
      const target = merged[typeName];
      for (const [fieldName, fieldRule] of Object.entries(fields)) {
        if (fieldName in target) throw new Error(`two permission rules for ${typeName}.${fieldName}`);
        target[fieldName] = fieldRule;
      }
    }
  }
  return merged;
}

/**
 * Deny by default: a field without a rule is refused. Errors thrown by resolvers pass through only
 * when they are ClientErrors (the catalog's, meant for the caller); anything else becomes an
 * internal error, still carrying the original for the log.
 */
function createShield(rules: RuleMap) {
  return shield(rules as IRules, {
    fallbackRule: deny,
    allowExternalErrors: false,
    debug: false,
    fallbackError: (thrown, _parent, _args, ctx) => {
      if (thrown === null) return denied(ctx as unknown as ViewerContext);
      return presentThrownInShield(thrown);
    },
  });
}

/**
 * The schema with graphql-shield over every field (deny by default), except that a field whose rule is
 * `allow` keeps its own resolver, unwrapped: shield would only ever say yes there, at the price of a
 * promise per field, and most fields of a response are public. Errors those resolvers throw still meet
 * formatError's masking (platform/errors/presentation.ts), as they would through shield.
 */
export function applyShield(schema: GraphQLSchema, rules: RuleMap): GraphQLSchema {
  const ownResolvers = new Map<string, GraphQLFieldResolver<unknown, unknown> | undefined>();
  for (const [typeName, field] of publicFields(schema, rules))
    ownResolvers.set(`${typeName}.${field.name}`, field.resolve);
  const shielded = applyMiddleware(schema, createShield(rules));
  for (const [typeName, field] of publicFields(shielded, rules))
    field.resolve = ownResolvers.get(`${typeName}.${field.name}`);
  return shielded;
}

function* publicFields(schema: GraphQLSchema, rules: RuleMap) {
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || type.name.startsWith("__")) continue;
    for (const field of Object.values(type.getFields())) {
      if (rules[type.name]?.[field.name] === allow) yield [type.name, field] as const;
    }
  }
}
