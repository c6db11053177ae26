import { defineModule } from "../module.js";
import { createAddressLoaders } from "./address.loaders.js";
import { AddressResolver, UserAddressesResolver } from "./address.resolver.js";
import { addressPermissions } from "./address.rules.js";

export const addressModule = defineModule({
  name: "address",
  resolvers: [UserAddressesResolver, AddressResolver],
  permissions: addressPermissions,
  loaders: createAddressLoaders,
});

export { findAddress } from "./address.service.js";
