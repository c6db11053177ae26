import { AddressResolver, UserAddressesResolver } from "./address.resolver.js";

export { createAddressLoaders } from "./address.loaders.js";
export { AddressResolver, UserAddressesResolver } from "./address.resolver.js";
export { addressPermissions } from "./address.rules.js";
export { userAddresses } from "./address.service.js";
export { Address } from "./address.type.js";

export const addressResolvers = [UserAddressesResolver, AddressResolver] as const;
