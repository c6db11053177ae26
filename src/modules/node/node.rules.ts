import { allow } from "../../platform/permissions/rules.js";

export const nodePermissions = {
  // Open to everyone: each type's own lookup answers null for what the caller may not see, and the
  // object's fields are then ruled by its own type's rules, as wherever else it is returned.
  Query: { node: allow, nodes: allow },
};
