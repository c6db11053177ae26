import { allow } from "../permissions/rules.js";

/** A UserError describes the caller's own input: whoever may call the mutation may read it. */
export const userErrorPermissions = {
  UserError: { field: allow, code: allow, message: allow },
};
