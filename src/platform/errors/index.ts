export { type ErrorCode, errorCatalog } from "./catalog.js";
export {
  badUserInput,
  ClientError,
  forbidden,
  internalErrorMessage,
  isClientSafe,
  notFound,
  unauthenticated,
} from "./errors.js";
