import { allow, isAuthenticated } from "../../platform/permissions/rules.js";

// Payload fields are readable by whoever may call the mutation; `user` then goes through User's own rules.
const payload = <F extends string>(...fields: F[]) => Object.fromEntries(fields.map((field) => [field, allow]));

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
  AuthPayload: payload(
    "user",
    "accessToken",
    "accessTokenExpiresAt",
    "refreshToken",
    "refreshTokenExpiresAt",
    "userErrors",
  ),
  SuccessPayload: payload("success", "userErrors"),
  LogoutPayload: payload("revokedSessions", "userErrors"),
  UpdateMePayload: payload("user", "userErrors"),
};
