export { type ErrorCode, errorCatalog } from "./catalog.js";
export {
  badUserInput,
  ClientError,
  conflict,
  forbidden,
  internalErrorMessage,
  isClientSafe,
  unauthenticated,
} from "./errors.js";
