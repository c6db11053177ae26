import {
  type GraphQLSchema,
  isInterfaceType,
  lexicographicSortSchema,
  printSchema,
  specifiedDirectives,
} from "graphql";
import { buildSchema, getMetadataStorage } from "type-graphql";
import { modules } from "./modules/index.js";
import type { ResolverClass } from "./modules/module.js";
import { cacheControlDirective } from "./platform/cache/index.js";
import { RateLimitResolver, rateLimitPermissions } from "./platform/cost/index.js";
import { resolveNodeType } from "./platform/node.js";
import { paginationPermissions } from "./platform/pagination/index.js";
import { applyShield, mergePermissions } from "./platform/permissions/index.js";
import { isPublicRule } from "./platform/permissions/rules.js";
import { userErrorPermissions } from "./platform/validation/index.js";

// The platform contributes the `rateLimit` query and the rules of its shared types (connections, UserError).
const resolvers: [ResolverClass, ...ResolverClass[]] = [
  RateLimitResolver,
  ...modules.flatMap((module) => module.resolvers),
];

export const permissions = mergePermissions([
  paginationPermissions(),
  userErrorPermissions,
  rateLimitPermissions,
  ...modules.map((module) => module.permissions),
]);

/** Whether a field's rule answers alike for every caller but admins (what the response cache may share). */
export const hasPublicRule = (typeName: string, fieldName: string) => isPublicRule(permissions[typeName]?.[fieldName]);

/**
 * Every `@Subscription` brings its own `subscribe` (resumable streams over the event bus, see
 * platform/realtime), so type-graphql's topic-based PubSub is never used; it refuses to build without one.
 */
const noTopicSubscriptions = {
  publish() {
    throw new Error("subscriptions publish through ctx.events");
  },
  subscribe(): never {
    throw new Error("subscriptions declare their own `subscribe`");
  },
};

/** The schema as clients see it (no authorization layer): the source of `schema.graphql`. */
export async function buildTypeSchema(): Promise<GraphQLSchema> {
  // type-graphql wraps every field of every object type in a resolver of its own, for its middlewares and
  // auth checker, which the gateway does not use (the shield decides access). Without the wrapper, a field
  // read from its row costs a property read instead of a resolver call per row (platform/execution).
  for (const type of getMetadataStorage().objectTypes) type.simpleResolvers ??= true;
  // The cache hints' directive (platform/cache): declared, so hints in the schema are valid SDL.
  // type-graphql passes `directives` to GraphQLSchema as the whole list, so the specified ones come too.
  const schema = await buildSchema({
    resolvers,
    validate: false,
    pubSub: noTopicSubscriptions,
    directives: [...specifiedDirectives, cacheControlDirective],
  });
  // type-graphql wraps `resolveType` in an async function; compiled execution takes the type name as it is
  // returned, so `Node` gets its own synchronous one back.
  const node = schema.getType("Node");
  if (isInterfaceType(node)) node.resolveType = resolveNodeType;
  const query = schema.getQueryType();
  // type-graphql has no option for root type descriptions; Sandbox shows this one first.
  if (query) query.description = "Read the catalog, content and your account. Lists are Relay cursor connections.";
  const mutation = schema.getMutationType();
  if (mutation) {
    mutation.description =
      "Change data. Each mutation returns a payload with `userErrors` for problems the user can fix; when that list is non-empty nothing was changed.";
  }
  const subscription = schema.getSubscriptionType();
  if (subscription) {
    subscription.description =
      "Live updates over WebSocket (graphql-ws protocol, same path). Each event carries a `cursor`: pass the last one as `after` when reconnecting to receive what you missed.";
  }
  return schema;
}

/** graphql-shield over every field, denying what no rule allows: the innermost field stage. */
export function withPermissions(schema: GraphQLSchema): GraphQLSchema {
  return applyShield(schema, permissions);
}

/** SDL for schema.graphql, sorted so diffs show real changes only. */
export function printSchemaFile(schema: GraphQLSchema): string {
  const banner = "# Generated from the type-graphql resolvers by `npm run schema:emit`. Do not edit.\n\n";
  return `${banner}${printSchema(lexicographicSortSchema(schema))}\n`;
}
