import { allow, isAdmin } from "../../platform/permissions/rules.js";
import { payloadPermissions } from "../../platform/validation/index.js";

export const categoryPermissions = {
  Query: { categories: allow, category: allow },
  Mutation: { createCategory: isAdmin, updateCategory: isAdmin, deleteCategory: isAdmin },
  Category: {
    id: allow,
    name: allow,
    slug: allow,
    description: allow,
    createdAt: allow,
    updatedAt: allow,
    parent: allow,
    children: allow,
  },
  // Payloads only come back from the mutations above, which already required ADMIN; what they hold is
  // ruled by its own type (Category fields are public anyway).
  CategoryPayload: payloadPermissions("category"),
  DeleteCategoryPayload: payloadPermissions("deletedCategoryId"),
};
