import { allow } from "../../platform/permissions/rules.js";

export const categoryPermissions = {
  Query: { categories: allow, category: allow },
  Category: {
    id: allow,
    name: allow,
    slug: allow,
    description: allow,
    createdAt: allow,
    updatedAt: allow,
    parent: allow,
    children: allow,
    products: allow,
  },
};
