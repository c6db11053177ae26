// The gateway's domain modules, listed once: the schema (schema.ts) and each request's loaders
// (server.ts) are built from this list. A new module is one descriptor (its index.ts) and one line here.
// Order does not matter.
import type { ModuleLoaders, RequestContext } from "../context.js";
import type { LoaderDeps } from "../platform/loaders/index.js";
import { QueryPlanner } from "../platform/planner/index.js";
import { accountModule } from "./account/index.js";
import { addressModule } from "./address/index.js";
import { categoryModule } from "./category/index.js";
import { jobModule } from "./job/index.js";
import type { GatewayModule } from "./module.js";
import { nodeModule } from "./node/index.js";
import { orderModule } from "./order/index.js";
import { postModule } from "./post/index.js";
import { productModule } from "./product/index.js";
import { reviewModule } from "./review/index.js";
import { uploadModule } from "./upload/index.js";
import { userModule } from "./user/index.js";

export const modules: readonly GatewayModule[] = [
  userModule,
  accountModule,
  addressModule,
  categoryModule,
  productModule,
  reviewModule,
  orderModule,
  postModule,
  nodeModule,
  jobModule,
  uploadModule,
];

/** Reads the modules' types and relations for root resolvers, one statement per planned root field. */
export const queryPlanner = new QueryPlanner<RequestContext>(
  modules.flatMap((module) => (module.plans ? [module.plans] : [])),
);

/**
 * One request's loaders. Each module's set is built on first use by a getter on the prototype, which then
 * shadows itself with the built set on the instance: most requests touch one or two modules, and building
 * all nine sets (their repositories, DataLoaders and closures) for every request was a measurable share of
 * the fixed per-request cost. A set built late is still correct: it has cached nothing that a write earlier
 * in the request could have made stale, and it registers its change listeners as it is built.
 */
class RequestLoaders {
  constructor(readonly deps: LoaderDeps) {}
}
for (const module of modules) {
  const build = module.loaders;
  if (!build) continue;
  Object.defineProperty(RequestLoaders.prototype, module.name, {
    enumerable: true,
    get(this: RequestLoaders) {
      const value = build(this.deps);
      Object.defineProperty(this, module.name, { value, enumerable: true });
      return value;
    },
  });
}

/** Every module's loaders, made fresh for each request so no cached row outlives it or crosses callers. */
export function createModuleLoaders(deps: LoaderDeps): ModuleLoaders {
  return new RequestLoaders(deps) as unknown as ModuleLoaders;
}
