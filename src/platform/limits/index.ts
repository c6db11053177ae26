export { deadlineGuard, deadlineMessage } from "./deadline.js";
export { type GraphQLRouteOptions, registerGraphQLRoute } from "./graphql-route.js";
export { type HttpHardeningSettings, registerHttpHardening } from "./http-hardening.js";
export {
  acceptDocumentId,
  isUntrustedRequest,
  loadOperationManifests,
  ManifestError,
  type OperationManifest,
  PersistedOperationCache,
  sha256Hex,
} from "./persisted-operations.js";
export { type QueryLimitSettings, queryLimitRules, queryParseOptions } from "./query-limits.js";
export { noteRefusal, type RequestLimits } from "./request-limits.js";
export { findUnacceptableText, textInputGuardPlugin, unacceptableText } from "./text-input-guard.js";
export { operationVariables } from "./variables.js";
