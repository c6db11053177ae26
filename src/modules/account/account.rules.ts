import { allow, isAuthenticated, isOwner, isSelf } from "../../platform/permissions/rules.js";
import { payloadPermissions } from "../../platform/validation/index.js";
import { isSelfOrAdmin } from "../user/index.js";
import type { SessionView } from "./account.type.js";

const isSessionOwner = isOwner((session: SessionView) => session.userId);

export const accountPermissions = {
  Mutation: {
    register: allow,
    login: allow,
    refreshSession: allow,
    requestPasswordReset: allow,
    resetPassword: allow,
    // The token is the proof (it went to the address); the link may be opened signed out.
    verifyEmail: allow,
    revokeSession: isAuthenticated,
    logout: isAuthenticated,
    logoutAll: isAuthenticated,
    changePassword: isAuthenticated,
    updateMe: isAuthenticated,
    deleteMe: isAuthenticated,
  },
  User: {
    // Where and when someone is signed in is the account's own business: not even admins list it.
    sessions: isSelf,
    emailVerified: isSelfOrAdmin,
  },
  // Checked on every field too, whichever field comes to return a session later.
  Session: {
    id: isSessionOwner,
    device: isSessionOwner,
    ip: isSessionOwner,
    createdAt: isSessionOwner,
    lastUsedAt: isSessionOwner,
    current: isSessionOwner,
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
  UpdateMePayload: payloadPermissions("user", "pendingEmail"),
};
