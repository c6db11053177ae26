import { createLoader, inKeyOrder, type LoaderDeps } from "../../platform/loaders/index.js";
import { type NodeTypeName, nodeRepository } from "./node.repository.js";

export type NodeLoaders = ReturnType<typeof createNodeLoaders>;

declare module "../../context.js" {
  interface ModuleLoaders {
    node: NodeLoaders;
  }
}

export function createNodeLoaders(deps: LoaderDeps) {
  const nodes = nodeRepository(deps.prisma);
  return {
    /** The GraphQL type of each id, null for an id no table has. */
    typeById: createLoader(async (ids: readonly string[]) => {
      const rows = await nodes.findTypes(ids);
      return inKeyOrder(ids, rows, (row) => row.id).map((row): NodeTypeName | null => row?.typeName ?? null);
    }),
  };
}
