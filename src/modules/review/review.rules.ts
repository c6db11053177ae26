import { allow } from "../../platform/permissions/rules.js";

export const reviewPermissions = {
  Review: {
    id: allow,
    rating: allow,
    body: allow,
    createdAt: allow,
    updatedAt: allow,
    author: allow,
    product: allow,
  },
};
