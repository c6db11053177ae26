import { allow, isAdmin, isSelf, or } from "../../platform/permissions/rules.js";

export const isSelfOrAdmin = or(isSelf, isAdmin);

export const userPermissions = {
  Query: { me: allow, user: allow, users: isAdmin },
  User: {
    id: allow,
    username: allow,
    name: allow,
    createdAt: allow,
    email: isSelfOrAdmin,
    role: isSelfOrAdmin,
  },
};
