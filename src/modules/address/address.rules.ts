import type { Address } from "../../generated/prisma/client.js";
import { isAdmin, isAuthenticated, isOwner, or } from "../../platform/permissions/rules.js";
import { payloadPermissions } from "../../platform/validation/index.js";
import { isSelfOrAdmin } from "../user/index.js";

const isAddressOwnerOrAdmin = or(
  isOwner((address: Address) => address.userId),
  isAdmin,
);

export const addressPermissions = {
  User: {
    addresses: isSelfOrAdmin,
  },
  // Signed-in callers, on their own book only: the owner is in every repository `where`.
  Mutation: {
    createAddress: isAuthenticated,
    updateAddress: isAuthenticated,
    setDefaultAddress: isAuthenticated,
    deleteAddress: isAuthenticated,
  },
  // Checked again on every field, not only on `User.addresses`: an address must stay private
  // whichever field comes to return one later.
  Address: {
    id: isAddressOwnerOrAdmin,
    label: isAddressOwnerOrAdmin,
    recipient: isAddressOwnerOrAdmin,
    line1: isAddressOwnerOrAdmin,
    line2: isAddressOwnerOrAdmin,
    city: isAddressOwnerOrAdmin,
    region: isAddressOwnerOrAdmin,
    postalCode: isAddressOwnerOrAdmin,
    country: isAddressOwnerOrAdmin,
    isDefault: isAddressOwnerOrAdmin,
    createdAt: isAddressOwnerOrAdmin,
    updatedAt: isAddressOwnerOrAdmin,
  },
  // The address inside is checked field by field by the Address rules above.
  AddressPayload: payloadPermissions("address"),
  DeleteAddressPayload: payloadPermissions("deletedAddressId"),
};
