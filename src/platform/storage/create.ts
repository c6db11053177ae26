import { LocalStorage, type LocalStorageSettings } from "./local.js";
import { S3Storage, type S3StorageSettings } from "./s3.js";
import type { ObjectStorage } from "./storage.js";

export type StorageSettings = ({ driver: "local" } & LocalStorageSettings) | ({ driver: "s3" } & S3StorageSettings);

/** The configured driver (STORAGE_DRIVER). */
export function createStorage(settings: StorageSettings): ObjectStorage {
  return settings.driver === "s3" ? new S3Storage(settings) : new LocalStorage(settings);
}
