import { allow, isAuthenticated } from "../../platform/permissions/rules.js";
import { payloadPermissions } from "../../platform/validation/index.js";

export const accountPermissions = {
  Mutation: {
    register: allow,
    login: allow,
    refreshSession: allow,
    requestPasswordReset: allow,
    resetPassword: allow,
    logout: isAuthenticated,
    logoutAll: isAuthenticated,
    changePassword: isAuthenticated,
    updateMe: isAuthenticated,
    deleteMe: isAuthenticated,
  },
  // `user` in these goes through User's own rules (its own fields: see signedInAs).
  AuthPayload: payloadPermissions(
    "user",
    "accessToken",
    "accessTokenExpiresAt",
    "refreshToken",
    "refreshTokenExpiresAt",
  ),
  SuccessPayload: payloadPermissions("success"),
  LogoutPayload: payloadPermissions("revokedSessions"),
  UpdateMePayload: payloadPermissions("user"),
};
