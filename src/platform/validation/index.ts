export { IsId, IsNotBlank, IsOmittable, IsSlug, SLUG_PATTERN, validateId } from "./constraints.js";
export { failWith, MutationPayload, payloadPermissions, Rejection, reject, rejectAll, settle } from "./payload.js";
export { UserError, UserErrorCode, userError, userErrorCatalog } from "./user-error.type.js";
export { validateInput } from "./validate.js";
export { userErrorPermissions } from "./validation.rules.js";
