export { createStorage, filesPath, LocalStorage, type LocalStorageSettings, uploadPath } from "./local.js";
export { registerStorageRoutes, servedImageTypes } from "./routes.js";
export { putSignature } from "./signing.js";
export { assertKey, isValidKey, type ObjectStorage, type PutConditions, type PutTarget } from "./storage.js";
