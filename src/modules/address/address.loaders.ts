import { createLoader, groupedInKeyOrder, inKeyOrder, type LoaderDeps } from "../../platform/loaders/index.js";
import { addressRepository } from "./address.repository.js";

export type AddressLoaders = ReturnType<typeof createAddressLoaders>;

declare module "../../context.js" {
  interface ModuleLoaders {
    address: AddressLoaders;
  }
}

export function createAddressLoaders(deps: LoaderDeps) {
  const addresses = addressRepository(deps.prisma);
  return {
    /** Anyone's address: `findAddress` (address.service.ts) checks it is the caller's before handing it out. */
    byId: createLoader(async (ids: readonly string[]) => inKeyOrder(ids, await addresses.findByIds(ids), (a) => a.id)),
    /** A user's whole address book; users keep a handful, so it is a plain list, not a connection. */
    byUserId: createLoader(async (userIds: readonly string[]) =>
      groupedInKeyOrder(userIds, await addresses.findByUserIds(userIds), (a) => a.userId),
    ),
  };
}
