export { createStorage, type StorageSettings } from "./create.js";
export { filesPath, LocalStorage, type LocalStorageSettings, uploadPath } from "./local.js";
export { registerStorageRoutes, servedImageTypes } from "./routes.js";
export { S3Storage, type S3StorageSettings } from "./s3.js";
export { putSignature } from "./signing.js";
export { assertKey, isValidKey, type ObjectStorage, type PutConditions, type PutTarget } from "./storage.js";
