import type { JobContext, ModuleLoaders, RequestContext } from "../context.js";
import type { JobKind } from "../platform/jobs/index.js";
import type { LoaderDeps } from "../platform/loaders/index.js";
import type { RuleMap } from "../platform/permissions/index.js";
import type { PlanContribution } from "../platform/planner/index.js";

/** A type-graphql resolver class. */
// biome-ignore lint/complexity/noBannedTypes: type-graphql takes resolver classes as plain Functions.
export type ResolverClass = Function;

type LoaderContribution = {
  [Name in keyof ModuleLoaders]: {
    name: Name;
    /** This module's loaders for one request, reachable as `ctx.loaders[name]`. */
    loaders: (deps: LoaderDeps) => ModuleLoaders[Name];
  };
}[keyof ModuleLoaders];

/**
 * What a domain module contributes to the gateway: its module's `index.ts` exports one of these, and
 * `modules/index.ts` lists them. Whatever a module adds later (cache tags, subscriptions, jobs) becomes
 * one more property here.
 */
export type GatewayModule = {
  name: string;
  /** Resolver classes, including relation fields on other modules' types whose data this module owns. */
  resolvers: readonly ResolverClass[];
  /** graphql-shield rules for every field of this module's types and resolvers. */
  permissions: RuleMap;
  /** How the query planner reads this module's types and the relation fields it owns (platform/planner). */
  plans?: PlanContribution<RequestContext>;
  /** Kinds of background job this module enqueues or schedules (platform/jobs), run by every worker. */
  // biome-ignore lint/suspicious/noExplicitAny: each kind has its own data type.
  jobs?: readonly JobKind<any, JobContext>[];
} & (LoaderContribution | { loaders?: undefined });

/** Types a module's descriptor (and ties its name to its `ModuleLoaders` entry). */
export function defineModule<const Module extends GatewayModule>(module: Module): Module {
  return module;
}
