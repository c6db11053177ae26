import { type GraphQLSchema, lexicographicSortSchema, printSchema } from "graphql";
import { applyMiddleware } from "graphql-middleware";
import { buildSchema } from "type-graphql";
import { AccountResolver, accountPermissions } from "./modules/account/index.js";
import { addressPermissions, addressResolvers } from "./modules/address/index.js";
import { CategoryResolver, categoryPermissions } from "./modules/category/index.js";
import { orderPermissions, orderResolvers } from "./modules/order/index.js";
import { postPermissions, postResolvers } from "./modules/post/index.js";
import { ProductResolver, productPermissions } from "./modules/product/index.js";
import { ReviewResolver, reviewPermissions } from "./modules/review/index.js";
import { UserResolver, userPermissions } from "./modules/user/index.js";
import { RateLimitResolver, rateLimitPermissions } from "./platform/cost/index.js";
import { paginationPermissions } from "./platform/pagination/index.js";
import { createShield, mergePermissions } from "./platform/permissions/index.js";
import { userErrorPermissions } from "./platform/validation/index.js";

const resolvers = [
  AccountResolver,
  CategoryResolver,
  ProductResolver,
  ReviewResolver,
  UserResolver,
  ...addressResolvers,
  ...orderResolvers,
  ...postResolvers,
  RateLimitResolver,
] as const;

export const permissions = mergePermissions([
  paginationPermissions(),
  userErrorPermissions,
  rateLimitPermissions,
  accountPermissions,
  addressPermissions,
  categoryPermissions,
  orderPermissions,
  postPermissions,
  productPermissions,
  reviewPermissions,
  userPermissions,
]);

/** The schema as clients see it (no authorization layer): the source of `schema.graphql`. */
export async function buildTypeSchema(): Promise<GraphQLSchema> {
  const schema = await buildSchema({ resolvers, validate: false });
  const query = schema.getQueryType();
  // type-graphql has no option for root type descriptions; Sandbox shows this one first.
  if (query) query.description = "Read the catalog, content and your account. Lists are Relay cursor connections.";
  const mutation = schema.getMutationType();
  if (mutation) {
    mutation.description =
      "Change data. Each mutation returns a payload with `userErrors` for problems the user can fix; when that list is non-empty nothing was changed.";
  }
  return schema;
}

/** The executable schema: every field behind graphql-shield, denying what no rule allows. */
export async function buildGatewaySchema(): Promise<GraphQLSchema> {
  return applyMiddleware(await buildTypeSchema(), createShield(permissions));
}

/** SDL for schema.graphql, sorted so diffs show real changes only. */
export function printSchemaFile(schema: GraphQLSchema): string {
  const banner = "# Generated from the type-graphql resolvers by `npm run schema:emit`. Do not edit.\n\n";
  return `${banner}${printSchema(lexicographicSortSchema(schema))}\n`;
}
