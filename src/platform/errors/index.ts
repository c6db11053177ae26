export { type ErrorCode, errorCatalog } from "./catalog.js";
export {
  badUserInput,
  ClientError,
  conflict,
  forbidden,
  internalErrorMessage,
  isClientSafe,
  notFound,
  unauthenticated,
} from "./errors.js";
