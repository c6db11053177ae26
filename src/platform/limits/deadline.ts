import { type GraphQLSchema, getNamedType, isLeafType, isObjectType } from "graphql";
import type { IMiddlewareFunction, IMiddlewareTypeMap } from "graphql-middleware";
import { ClientError } from "../errors/index.js";
import type { LimitsContext } from "./request-limits.js";

export const deadlineMessage = "The request took too long and was stopped. Ask for less, or retry later.";

/**
 * Once a request is past its deadline no further resolver that can start work (a root field, or a field
 * with a resolver of its own that returns objects, i.e. a loader or query) runs: it fails with TIMEOUT
 * instead. Together with the route's deadline, which answers the client on time, this stops a slow
 * request from going on fetching data nobody will receive. Fields read from rows already loaded (scalars,
 * connection plumbing like `edges` and `node`) are left alone: the check would cost more than they do.
 */
export function deadlineGuard(schema: GraphQLSchema): IMiddlewareTypeMap {
  const guard: IMiddlewareFunction<unknown, LimitsContext> = (resolve, parent, args, ctx, info) => {
    if (Date.now() > ctx.limits.deadline) throw new ClientError("TIMEOUT", deadlineMessage);
    return resolve(parent, args, ctx, info);
  };
  const roots = new Set([schema.getQueryType(), schema.getMutationType(), schema.getSubscriptionType()]);
  const guarded: IMiddlewareTypeMap = {};
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || type.name.startsWith("__")) continue;
    const isRoot = roots.has(type);
    const fields = Object.values(type.getFields()).filter(
      (field) => isRoot || (field.resolve !== undefined && !isLeafType(getNamedType(field.type))),
    );
    if (fields.length > 0) guarded[type.name] = Object.fromEntries(fields.map((field) => [field.name, guard]));
  }
  return guarded;
}
