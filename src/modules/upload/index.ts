import { defineModule } from "../module.js";
import { uploadJobs } from "./upload.jobs.js";
import { createUploadLoaders } from "./upload.loaders.js";
import { ProductImageResolver, ProductImagesResolver, UploadResolver, UserAvatarResolver } from "./upload.resolver.js";
import { uploadPermissions } from "./upload.rules.js";

/** Images and uploads: staged uploads straight to storage, checked and cleaned, then attached. */
export const uploadModule = defineModule({
  name: "upload",
  resolvers: [UploadResolver, ProductImageResolver, ProductImagesResolver, UserAvatarResolver],
  permissions: uploadPermissions,
  loaders: createUploadLoaders,
  jobs: uploadJobs,
});
