import { allow, isAdmin, isAuthenticated } from "../../platform/permissions/rules.js";
import { payloadPermissions } from "../../platform/validation/index.js";

export const uploadPermissions = {
  Mutation: {
    createUpload: isAuthenticated,
    setAvatar: isAuthenticated,
    attachProductImage: isAdmin,
    updateProductImage: isAdmin,
    removeProductImage: isAdmin,
  },
  // Returned only to the caller who asked for it (the type is hinted PRIVATE).
  UploadTarget: { uploadId: allow, url: allow, method: allow, headers: allow, expiresAt: allow },
  UploadHeader: { name: allow, value: allow },
  // Product pictures are as public as the products showing them (Product's own rules decide that).
  ProductImage: { id: allow, url: allow, alt: allow, width: allow, height: allow, position: allow },
  Product: { images: allow },
  // Shown next to a user's reviews, like `username`.
  User: { avatarUrl: allow },
  CreateUploadPayload: payloadPermissions("upload"),
  ProductImagePayload: payloadPermissions("image", "product"),
  RemoveProductImagePayload: payloadPermissions("removedImageId"),
  SetAvatarPayload: payloadPermissions("user"),
};
