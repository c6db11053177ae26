import { defineModule } from "../module.js";
import { createNodeLoaders } from "./node.loaders.js";
import { NodeResolver } from "./node.resolver.js";
import { nodePermissions } from "./node.rules.js";

/** `node` and `nodes`: depends on every module with a `Node` type; none depends on it. */
export const nodeModule = defineModule({
  name: "node",
  resolvers: [NodeResolver],
  permissions: nodePermissions,
  loaders: createNodeLoaders,
});
