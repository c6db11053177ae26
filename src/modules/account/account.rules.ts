import { allow, isAuthenticated, isOwner, isSelf } from "../../platform/permissions/rules.js";
import { payloadPermissions } from "../../platform/validation/index.js";
import { isSelfOrAdmin } from "../user/index.js";
import type { IdentityView, SessionView } from "./account.type.js";

const isSessionOwner = isOwner((session: SessionView) => session.userId);
const isIdentityOwner = isOwner((identity: IdentityView) => identity.userId);

export const accountPermissions = {
  Mutation: {
    register: allow,
    login: allow,
    // The ID token is the proof; its checks run in the service.
    loginWithIdToken: allow,
    linkIdentity: isAuthenticated,
    unlinkIdentity: isAuthenticated,
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
    // Which providers sign in to an account is a map for attacks on it: the account's own, like sessions.
    identities: isSelf,
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
  Identity: {
    id: isIdentityOwner,
    provider: isIdentityOwner,
    email: isIdentityOwner,
    createdAt: isIdentityOwner,
    lastUsedAt: isIdentityOwner,
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
  LinkIdentityPayload: payloadPermissions("identity"),
  LogoutPayload: payloadPermissions("revokedSessions"),
  UpdateMePayload: payloadPermissions("user", "pendingEmail"),
};
