import { defaultFieldResolver, type GraphQLSchema, getNamedType, isLeafType, isObjectType } from "graphql";
import { ClientError } from "../errors/index.js";
import type { LimitsContext } from "./request-limits.js";

export const deadlineMessage = "The request took too long and was stopped. Ask for less, or retry later.";

/**
 * Once a request is past its deadline no further resolver that can start work (a root field, or any
 * field returning objects, i.e. a loader or query) runs: it fails with TIMEOUT instead. Together with
 * the route's deadline, which answers the client on time, this stops a slow request from going on
 * fetching data nobody will receive. Scalar fields read from loaded rows are left alone (the check
 * would cost more than they do).
 */
export function applyDeadlineGuard(schema: GraphQLSchema): number {
  const roots = new Set([schema.getQueryType(), schema.getMutationType(), schema.getSubscriptionType()]);
  let guarded = 0;
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || type.name.startsWith("__")) continue;
    const isRoot = roots.has(type);
    for (const field of Object.values(type.getFields())) {
      if (!isRoot && isLeafType(getNamedType(field.type))) continue;
      const resolve = field.resolve ?? defaultFieldResolver;
      field.resolve = (parent, args, ctx: LimitsContext, info) => {
        if (Date.now() > ctx.limits.deadline) throw new ClientError("TIMEOUT", deadlineMessage);
        return resolve(parent, args, ctx, info);
      };
      guarded++;
    }
  }
  return guarded;
}
