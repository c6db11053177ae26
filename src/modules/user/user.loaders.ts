import { createLoader, inKeyOrder, type LoaderDeps } from "../../platform/loaders/index.js";
import { userRepository } from "./user.repository.js";

export type UserLoaders = ReturnType<typeof createUserLoaders>;

declare module "../../context.js" {
  interface ModuleLoaders {
    user: UserLoaders;
  }
}

export function createUserLoaders(deps: LoaderDeps) {
  const users = userRepository(deps.prisma);
  return {
    /** Soft-deleted accounts included: their reviews and posts still need an author. */
    byId: createLoader(async (ids: readonly string[]) => inKeyOrder(ids, await users.findByIds(ids), (u) => u.id)),
    byUsername: createLoader(async (usernames: readonly string[]) =>
      inKeyOrder(usernames, await users.findByUsernames(usernames), (u) => u.username),
    ),
  };
}
