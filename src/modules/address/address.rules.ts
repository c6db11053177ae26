import type { Address } from "../../generated/prisma/client.js";
import { isAdmin, isOwner, or } from "../../platform/permissions/rules.js";
import { isSelfOrAdmin } from "../user/index.js";

const isAddressOwnerOrAdmin = or(
  isOwner((address: Address) => address.userId),
  isAdmin,
);

export const addressPermissions = {
  User: {
    addresses: isSelfOrAdmin,
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
};
