import { createHash } from "node:crypto";
import type { RequestContext } from "../../context.js";
import { Prisma, type User } from "../../generated/prisma/client.js";
import { OidcFailure, type VerifiedIdentity } from "../../platform/auth/oidc.js";
import { hashOpaqueToken, newOpaqueToken } from "../../platform/auth/opaque-tokens.js";
import { hashPassword, needsRehash, passwordProblem, verifyPassword } from "../../platform/auth/passwords.js";
import { signedInAs } from "../../platform/permissions/viewer.js";
import {
  failWith,
  type UserError,
  UserErrorCode,
  userError,
  validateId,
  validateInput,
} from "../../platform/validation/index.js";
import { forgetUser, rememberUser } from "../user/index.js";
import { describeDevice } from "./account.device.js";
import { accountForIdentity, type IdentityDeps, linkToAccount } from "./account.identity.js";
import type {
  ChangePasswordInput,
  DeleteMeInput,
  LinkIdentityInput,
  LoginInput,
  LoginWithIdTokenInput,
  RefreshSessionInput,
  RegisterInput,
  RequestPasswordResetInput,
  ResetPasswordInput,
  UpdateMeInput,
  VerifyEmailInput,
} from "./account.input.js";
import {
  emailChangeNoticeContent,
  emailChangeNoticeMail,
  passwordResetContent,
  passwordResetMail,
  welcomeContent,
  welcomeMail,
} from "./account.mail.js";
import type {
  AuthPayload,
  LinkIdentityPayload,
  LogoutPayload,
  SuccessPayload,
  UpdateMePayload,
} from "./account.payload.js";
import { accountRepository, type ClientInfo } from "./account.repository.js";
import type { IdentityView, SessionView } from "./account.type.js";
import { sendVerification, type VerificationDeps } from "./account.verification.js";

const DAY_MS = 24 * 60 * 60 * 1000;
/** Sliding: every refresh starts another 7 days; a device unused for a week signs in again. */
export const REFRESH_TOKEN_TTL_MS = 7 * DAY_MS;
export const PASSWORD_RESET_TTL_MS = 60 * 60 * 1000;
/** `__Host-` makes browsers insist on Secure, Path=/ and no Domain, so no subdomain can plant or read it. */
export const REFRESH_COOKIE = "__Host-refresh_token";

const invalidCredentials = [
  userError(null, UserErrorCode.INVALID_CREDENTIALS, "The e-mail address or password is incorrect."),
];

const normalizeEmail = (email: string) => email.trim().toLowerCase();
const normalizeUsername = (username: string) => username.trim().toLowerCase();
const clientOf = (ctx: RequestContext): ClientInfo => ({
  ip: ctx.http.ip,
  userAgent: ctx.http.userAgent?.slice(0, 512) ?? null,
});

const failed = failWith<AuthPayload>({
  user: null,
  accessToken: null,
  accessTokenExpiresAt: null,
  refreshToken: null,
  refreshTokenExpiresAt: null,
});
const failedSuccess = failWith<SuccessPayload>({ success: false });
const failedUpdate = failWith<UpdateMePayload>({ user: null, pendingEmail: null });
const failedLogout = failWith<LogoutPayload>({ revokedSessions: 0 });
const failedLink = failWith<LinkIdentityPayload>({ identity: null });

/** What sending a verification link needs, from a request. */
const verificationDeps = (ctx: RequestContext): VerificationDeps => ({
  prisma: ctx.prisma,
  mail: ctx.mail,
  emailVerificationUrl: ctx.auth.emailVerificationUrl,
});

/**
 * Every way in (register, login, refreshSession, and a social sign-in when it comes) ends here, so each
 * issues its tokens, cookie and payload the same way.
 */
async function signedIn(
  ctx: RequestContext,
  user: User,
  session: { id: string; refreshToken: string; expiresAt: Date },
  useCookie: boolean,
): Promise<AuthPayload> {
  const access = await ctx.auth.tokens.sign({ id: user.id, role: user.role, sessionId: session.id });
  if (useCookie) ctx.http.setCookie(REFRESH_COOKIE, session.refreshToken, session.expiresAt);
  rememberUser(ctx, user);
  // The payload answers to the account just signed in to, not to the (anonymous) request.
  signedInAs(ctx, user.id);
  return {
    user,
    accessToken: access.token,
    accessTokenExpiresAt: access.expiresAt,
    refreshToken: useCookie ? null : session.refreshToken,
    refreshTokenExpiresAt: session.expiresAt,
    userErrors: [],
  };
}

/** A new session and its first refresh token; the browser sign-in (account.oidc-routes.ts) opens its own here too. */
export async function openSession(prisma: RequestContext["prisma"], userId: string, client: ClientInfo) {
  const { token, hash } = newOpaqueToken();
  const expiresAt = new Date(Date.now() + REFRESH_TOKEN_TTL_MS);
  const session = await accountRepository(prisma).createSession(userId, client, hash, expiresAt);
  return { id: session.id, refreshToken: token, expiresAt };
}

async function startSession(ctx: RequestContext, user: User, useCookie: boolean): Promise<AuthPayload> {
  return signedIn(ctx, user, await openSession(ctx.prisma, user.id, clientOf(ctx)), useCookie);
}

/**
 * The account a refresh token's live session belongs to, without using the token up (no rotation): for the
 * browser's identity linking, which must know who is signed in. Null for anything but a live session.
 */
export async function signedInUserOf(prisma: RequestContext["prisma"], refreshToken: string): Promise<User | null> {
  const accounts = accountRepository(prisma);
  const stored = await accounts.findRefreshToken(hashOpaqueToken(refreshToken));
  if (!stored || stored.rotatedAt || stored.session.revokedAt || stored.session.expiresAt <= new Date()) return null;
  return accounts.findActiveUser(stored.session.userId);
}

const identityDeps = (ctx: RequestContext): IdentityDeps => ({ ...verificationDeps(ctx), log: ctx.log });

/**
 * An ID token checked against its provider, or the user error to answer with: the provider field for an
 * unknown provider, the token field for any failed check (one code, whichever check failed).
 */
async function verifiedIdToken(
  ctx: RequestContext,
  input: { provider: string; idToken: string; nonce: string },
): Promise<{ identity: VerifiedIdentity } | { errors: UserError[] }> {
  const provider = ctx.auth.oidc.get(input.provider);
  if (!provider) {
    return {
      errors: [userError(["input", "provider"], UserErrorCode.NOT_FOUND, "No sign-in provider has this name.")],
    };
  }
  const refused = (reason: string) => {
    ctx.log.info({ event: "id_token_refused", provider: input.provider, reason }, "ID token refused");
    return {
      errors: [userError(["input", "idToken"], UserErrorCode.INVALID_TOKEN, "This sign-in could not be verified.")],
    };
  };
  let identity: VerifiedIdentity;
  try {
    identity = await provider.verifyIdToken(input.idToken, input.nonce);
  } catch (error) {
    if (!(error instanceof OidcFailure)) throw error;
    if (error.code === "INVALID_TOKEN") return refused(error.reason);
    ctx.log.warn({ event: "oidc_provider_unavailable", provider: input.provider, reason: error.reason });
    return {
      errors: [
        userError(null, UserErrorCode.PROVIDER_UNAVAILABLE, "The sign-in provider is not answering. Try again."),
      ],
    };
  }
  // Each nonce once: a token intercepted on its way (or lifted from a log) cannot be played again while
  // it is still valid. Recorded only for tokens that passed every check, so garbage cannot fill the table.
  const nonceHash = createHash("sha256").update(`${identity.issuer}\n${input.nonce}`).digest("base64url");
  if (!(await accountRepository(ctx.prisma).claimIdTokenNonce(nonceHash, identity.expiresAt))) {
    return refused("nonce already used (a replayed ID token)");
  }
  return { identity };
}

/** Mobile social sign-in: an ID token from the provider's SDK becomes a session, as a password login does. */
export async function loginWithIdToken(ctx: RequestContext, input: LoginWithIdTokenInput): Promise<AuthPayload> {
  const errors = await validateInput(input);
  if (errors.length > 0) return failed(errors);
  const verified = await verifiedIdToken(ctx, input);
  if ("errors" in verified) return failed(verified.errors);
  const outcome = await accountForIdentity(identityDeps(ctx), verified.identity);
  if ("refusal" in outcome) return failed([userError(null, outcome.refusal.code, outcome.refusal.message)]);
  return startSession(ctx, outcome.user, input.useCookie ?? false);
}

/** Links a provider account to the signed-in one: the caller proves both (their session and the ID token). */
export async function linkIdentity(
  ctx: RequestContext,
  userId: string,
  input: LinkIdentityInput,
): Promise<LinkIdentityPayload> {
  const errors = await validateInput(input);
  if (errors.length > 0) return failedLink(errors);
  const verified = await verifiedIdToken(ctx, input);
  if ("errors" in verified) return failedLink(verified.errors);
  const outcome = await linkToAccount(identityDeps(ctx), userId, verified.identity);
  if ("refusal" in outcome) {
    return failedLink([userError(["input", "idToken"], outcome.refusal.code, outcome.refusal.message)]);
  }
  return { identity: outcome.identity, userErrors: [] };
}

export async function unlinkIdentity(ctx: RequestContext, userId: string, id: string): Promise<SuccessPayload> {
  const malformed = validateId(id);
  if (malformed.length > 0) return failedSuccess(malformed);
  const outcome = await accountRepository(ctx.prisma).unlinkIdentity(userId, id.toLowerCase());
  if (outcome === "not-found") {
    return failedSuccess([userError(["id"], UserErrorCode.NOT_FOUND, "You have no linked identity with this id.")]);
  }
  if (outcome === "last-method") {
    return failedSuccess([
      userError(
        ["id"],
        UserErrorCode.LAST_SIGN_IN_METHOD,
        "This is your only way to sign in. Set a password (reset it by e-mail) or link another provider first.",
      ),
    ]);
  }
  ctx.log.info({ event: "identity_unlinked", userId, identityId: id }, "identity unlinked by its user");
  return { success: true, userErrors: [] };
}

export function listIdentities(ctx: RequestContext, userId: string): Promise<IdentityView[]> {
  return accountRepository(ctx.prisma).listIdentities(userId);
}

/** Unique-value clashes as UserErrors under `input.<field>`. */
async function takenErrors(ctx: RequestContext, values: { email?: string; username?: string }, exceptUserId?: string) {
  const taken = await accountRepository(ctx.prisma).takenIdentifiers(values, exceptUserId);
  const errors: UserError[] = [];
  if (taken.email)
    errors.push(userError(["input", "email"], UserErrorCode.TAKEN, "An account with this e-mail address exists."));
  if (taken.username) errors.push(userError(["input", "username"], UserErrorCode.TAKEN, "This username is taken."));
  return errors;
}

const isUniqueViolation = (error: unknown) =>
  error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002";

export async function register(ctx: RequestContext, input: RegisterInput): Promise<AuthPayload> {
  const errors = await validateInput(input);
  const email = normalizeEmail(input.email);
  const username = normalizeUsername(input.username);
  const weak = await passwordProblem(input.password, { email, username, name: input.name });
  if (weak) errors.push(userError(["input", "password"], UserErrorCode.WEAK_PASSWORD, weak));
  if (errors.length > 0) return failed(errors);

  const taken = await takenErrors(ctx, { email, username });
  if (taken.length > 0) return failed(taken);
  const passwordHash = await hashPassword(input.password);
  const accounts = accountRepository(ctx.prisma);
  let user: User;
  try {
    user = await accounts.transaction(async (tx) => {
      const created = await accounts.createUser({ email, username, name: input.name.trim(), passwordHash }, tx);
      await ctx.mail.send(tx, welcomeMail, created.email, welcomeContent(created.name, created.username));
      await sendVerification(verificationDeps(ctx), tx, created, created.email, "sign-up");
      return created;
    });
  } catch (error) {
    // Lost a race with another sign-up for the same e-mail or username.
    if (!isUniqueViolation(error)) throw error;
    return failed(await takenErrors(ctx, { email, username }));
  }
  ctx.log.info({ event: "account_registered", userId: user.id }, "account registered");
  return startSession(ctx, user, input.useCookie ?? false);
}

export async function login(ctx: RequestContext, input: LoginInput): Promise<AuthPayload> {
  // Whatever failed (format, unknown e-mail, wrong password, closed account), the answer is the same.
  if ((await validateInput(input)).length > 0) return failed(invalidCredentials);
  const accounts = accountRepository(ctx.prisma);
  const user = await accounts.findActiveUserByEmail(normalizeEmail(input.email));
  // Verifies against a dummy hash when there is no such account, so both cases take as long.
  if (!(await verifyPassword(user?.passwordHash ?? null, input.password)) || !user) {
    ctx.log.info({ event: "login_failed" }, "login failed");
    return failed(invalidCredentials);
  }
  const current =
    user.passwordHash && needsRehash(user.passwordHash)
      ? await accounts.updateUser(user.id, { passwordHash: await hashPassword(input.password) })
      : user;
  return startSession(ctx, current, input.useCookie ?? false);
}

export async function refreshSession(ctx: RequestContext, input: RefreshSessionInput): Promise<AuthPayload> {
  const presented = input.refreshToken ?? ctx.http.getCookie(REFRESH_COOKIE);
  // A token that came in the cookie goes back in the cookie unless the client says otherwise.
  const useCookie = input.useCookie ?? input.refreshToken == null;
  const invalid = () => {
    if (useCookie) ctx.http.clearCookie(REFRESH_COOKIE);
    return failed([
      userError(
        ["input", "refreshToken"],
        UserErrorCode.INVALID_TOKEN,
        presented ? "This session has ended. Sign in again." : "No refresh token was sent. Sign in again.",
      ),
    ]);
  };
  if (!presented) return invalid();

  const accounts = accountRepository(ctx.prisma);
  const stored = await accounts.findRefreshToken(hashOpaqueToken(presented));
  if (!stored) return invalid();
  const { session } = stored;
  const reuse = async () => {
    // A rotated token came back: it was copied. End the whole session so the copy dies with it.
    await accounts.revokeSession(session.id, "refresh token reused");
    await ctx.auth.revocations.revoke([session.id]);
    ctx.log.warn(
      { event: "refresh_token_reuse", sessionId: session.id, userId: session.userId, ip: ctx.http.ip },
      "security: a rotated refresh token was presented again; its session was revoked",
    );
    return invalid();
  };
  if (stored.rotatedAt) return reuse();
  if (session.revokedAt || session.expiresAt <= new Date()) return invalid();
  const user = await accounts.findActiveUser(session.userId);
  if (!user) return invalid();

  const next = newOpaqueToken();
  const expiresAt = new Date(Date.now() + REFRESH_TOKEN_TTL_MS);
  const rotated = await accounts.transaction(async (tx) => {
    if (!(await accounts.claimRefreshToken(stored.id, tx))) return false; // a concurrent refresh won
    await accounts.addRefreshToken(session.id, next.hash, tx);
    await accounts.touchSession(session.id, clientOf(ctx), expiresAt, tx);
    return true;
  });
  if (!rotated) return reuse();
  return signedIn(ctx, user, { id: session.id, refreshToken: next.token, expiresAt }, useCookie);
}

export async function logout(ctx: RequestContext): Promise<LogoutPayload> {
  const sessionId = ctx.viewer?.sessionId;
  const revokedSessions = sessionId ? await accountRepository(ctx.prisma).revokeSession(sessionId, "logout") : 0;
  // Its access token too, not only the refresh token: listed even if the row was already revoked.
  if (sessionId) await ctx.auth.revocations.revoke([sessionId]);
  ctx.http.clearCookie(REFRESH_COOKIE);
  return { revokedSessions, userErrors: [] };
}

export async function logoutAll(ctx: RequestContext, userId: string): Promise<LogoutPayload> {
  const revoked = await accountRepository(ctx.prisma).revokeUserSessions(userId, "logout everywhere");
  // The caller's own session may have been revoked before (it is still listed); list it anyway.
  await ctx.auth.revocations.revoke([
    ...new Set([...revoked, ...(ctx.viewer?.sessionId ? [ctx.viewer.sessionId] : [])]),
  ]);
  ctx.http.clearCookie(REFRESH_COOKIE);
  return { revokedSessions: revoked.length, userErrors: [] };
}

export async function requestPasswordReset(
  ctx: RequestContext,
  input: RequestPasswordResetInput,
): Promise<SuccessPayload> {
  const errors = await validateInput(input);
  if (errors.length > 0) return failedSuccess(errors);
  // The answer (and its timing) must not say whether the address has an account, so the work for a
  // real account happens after the response is decided; failures are logged, never shown.
  void sendPasswordReset(ctx, normalizeEmail(input.email)).catch((error: unknown) =>
    ctx.log.error({ err: error }, "password reset e-mail could not be prepared"),
  );
  return { success: true, userErrors: [] };
}

async function sendPasswordReset(ctx: RequestContext, email: string) {
  const accounts = accountRepository(ctx.prisma);
  const user = await accounts.findActiveUserByEmail(email);
  if (!user) return;
  if (!user.emailVerified) {
    // Reset links go only to proven addresses. This one is the account's own, so its owner is not locked
    // out: they get a verification link instead, and ask again once it is used.
    await accounts.transaction((tx) => sendVerification(verificationDeps(ctx), tx, user, user.email, "before-reset"));
    return;
  }
  const { token, hash } = newOpaqueToken();
  const link = new URL(ctx.auth.passwordResetUrl);
  link.searchParams.set("token", token);
  // The token and its e-mail's job commit together: no token without a mail, no mail without a token.
  await accounts.transaction(async (tx) => {
    await accounts.createResetToken(user.id, hash, new Date(Date.now() + PASSWORD_RESET_TTL_MS), tx);
    await ctx.mail.send(tx, passwordResetMail, user.email, passwordResetContent(user.username, link.toString()));
  });
}

export async function resetPassword(ctx: RequestContext, input: ResetPasswordInput): Promise<SuccessPayload> {
  const errors = await validateInput(input);
  if (errors.length > 0) return failedSuccess(errors);
  const invalidToken = invalidTokenPayload("This reset link is invalid, used or expired. Ask for a new one.");
  const accounts = accountRepository(ctx.prisma);
  const tokenHash = hashOpaqueToken(input.token);
  const pending = await accounts.findResetToken(tokenHash);
  if (!isUsable(pending)) return invalidToken;
  // A weak password leaves the token usable for a better one.
  const weak = await passwordProblem(input.newPassword, pending.user);
  if (weak) return failedSuccess([userError(["input", "newPassword"], UserErrorCode.WEAK_PASSWORD, weak)]);

  const passwordHash = await hashPassword(input.newPassword);
  const revoked = await accounts.transaction(async (tx) => {
    if (!(await accounts.consumeResetToken(tokenHash, tx))) return null;
    await accounts.updateUser(pending.userId, { passwordHash }, tx);
    // Whoever knew the old password may hold a session: end them all.
    return accounts.revokeUserSessions(pending.userId, "password reset", tx);
  });
  if (!revoked) return invalidToken;
  await ctx.auth.revocations.revoke(revoked);
  ctx.log.info({ event: "password_reset", userId: pending.userId }, "password reset; all sessions revoked");
  return { success: true, userErrors: [] };
}

export async function changePassword(
  ctx: RequestContext,
  userId: string,
  input: ChangePasswordInput,
): Promise<SuccessPayload> {
  const errors = await validateInput(input);
  if (errors.length > 0) return failedSuccess(errors);
  const accounts = accountRepository(ctx.prisma);
  const user = await accounts.findActiveUser(userId);
  if (!user || !(await verifyPassword(user.passwordHash, input.currentPassword))) {
    return failedSuccess([
      userError(["input", "currentPassword"], UserErrorCode.INVALID_CREDENTIALS, "The current password is incorrect."),
    ]);
  }
  const weak = await passwordProblem(input.newPassword, user);
  if (weak) return failedSuccess([userError(["input", "newPassword"], UserErrorCode.WEAK_PASSWORD, weak)]);
  const passwordHash = await hashPassword(input.newPassword);
  const revoked = await accounts.transaction(async (tx) => {
    await accounts.updateUser(user.id, { passwordHash }, tx);
    // Other devices signed in with the old password are signed out; this one stays.
    return accounts.revokeUserSessions(user.id, "password changed", tx, ctx.viewer?.sessionId ?? undefined);
  });
  await ctx.auth.revocations.revoke(revoked);
  return { success: true, userErrors: [] };
}

export async function updateMe(ctx: RequestContext, userId: string, input: UpdateMeInput): Promise<UpdateMePayload> {
  const errors = await validateInput(input);
  if (errors.length > 0) return failedUpdate(errors);
  const accounts = accountRepository(ctx.prisma);
  const current = await accounts.findActiveUser(userId);
  if (!current) return failedUpdate([userError(null, UserErrorCode.NOT_FOUND, "This account no longer exists.")]);
  const changes = {
    ...(input.name != null ? { name: input.name.trim() } : {}),
    ...(input.username != null ? { username: normalizeUsername(input.username) } : {}),
  };
  // A new address is only asked for here: it becomes the account's e-mail when its link is used (verifyEmail).
  const requested = input.email != null ? normalizeEmail(input.email) : null;
  const pendingEmail = requested !== null && requested !== current.email ? requested : null;
  const checked = { ...changes, ...(pendingEmail ? { email: pendingEmail } : {}) };
  const taken = await takenErrors(ctx, checked, userId);
  if (taken.length > 0) return failedUpdate(taken);
  let user: User;
  try {
    user = await accounts.transaction(async (tx) => {
      const updated = Object.keys(changes).length > 0 ? await accounts.updateUser(userId, changes, tx) : current;
      if (pendingEmail) {
        // Only the latest request counts: earlier links to other new addresses stop working.
        await accounts.dropVerificationTokens(userId, tx, current.email);
        await sendVerification(verificationDeps(ctx), tx, updated, pendingEmail, "change");
        await ctx.mail.send(
          tx,
          emailChangeNoticeMail,
          current.email,
          emailChangeNoticeContent(updated.username, pendingEmail),
        );
      }
      return updated;
    });
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
    return failedUpdate(await takenErrors(ctx, checked, userId));
  }
  rememberUser(ctx, user);
  if (pendingEmail) ctx.log.info({ event: "email_change_requested", userId }, "e-mail change requested");
  return { user, pendingEmail, userErrors: [] };
}

export async function verifyEmail(ctx: RequestContext, input: VerifyEmailInput): Promise<SuccessPayload> {
  const errors = await validateInput(input);
  if (errors.length > 0) return failedSuccess(errors);
  const invalidToken = invalidTokenPayload("This verification link is invalid, used or expired. Ask for a new one.");
  const accounts = accountRepository(ctx.prisma);
  const tokenHash = hashOpaqueToken(input.token);
  const pending = await accounts.findVerificationToken(tokenHash);
  if (!isUsable(pending)) return invalidToken;
  const change = pending.email !== pending.user.email;
  const takenError = failedSuccess([
    userError(["input", "token"], UserErrorCode.TAKEN, "Another account uses this e-mail address now."),
  ]);
  if (change && (await accounts.takenIdentifiers({ email: pending.email }, pending.userId)).email) return takenError;

  let user: User | null;
  try {
    user = await accounts.transaction(async (tx) => {
      if (!(await accounts.consumeVerificationToken(tokenHash, tx))) return null;
      if (!change) return accounts.updateUser(pending.userId, { emailVerified: true }, tx);
      const moved = await accounts.updateUser(pending.userId, { email: pending.email, emailVerified: true }, tx);
      // Links still out were sent for the old address (resets) or to other addresses (verifications).
      await accounts.dropResetTokens(pending.userId, tx);
      await accounts.dropVerificationTokens(pending.userId, tx);
      return moved;
    });
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
    return takenError;
  }
  if (!user) return invalidToken;
  rememberUser(ctx, user);
  ctx.log.info(
    { event: change ? "email_changed" : "email_verified", userId: user.id },
    change ? "e-mail changed after verification" : "e-mail verified",
  );
  return { success: true, userErrors: [] };
}

/** The account's live sessions; `current` marks the one this request's access token belongs to. */
export async function listSessions(ctx: RequestContext, userId: string): Promise<SessionView[]> {
  const rows = await accountRepository(ctx.prisma).listSessions(userId);
  return rows.map(({ userAgent, ...row }) => ({
    ...row,
    device: describeDevice(userAgent),
    current: row.id === ctx.viewer?.sessionId,
  }));
}

export async function revokeSession(ctx: RequestContext, userId: string, id: string): Promise<LogoutPayload> {
  const malformed = validateId(id);
  if (malformed.length > 0) return failedLogout(malformed);
  const sessionId = id.toLowerCase();
  // Another account's session, an ended one and none at all get the same answer.
  const revokedSessions = await accountRepository(ctx.prisma).revokeOwnSession(userId, sessionId, "revoked by user");
  if (revokedSessions === 0) {
    return failedLogout([userError(["id"], UserErrorCode.NOT_FOUND, "You have no live session with this id.")]);
  }
  // Its access tokens die now, on every instance, not when they expire.
  await ctx.auth.revocations.revoke([sessionId]);
  if (sessionId === ctx.viewer?.sessionId) ctx.http.clearCookie(REFRESH_COOKIE);
  ctx.log.info({ event: "session_revoked", userId, sessionId }, "session revoked by its user");
  return { revokedSessions, userErrors: [] };
}

export async function deleteMe(ctx: RequestContext, userId: string, input: DeleteMeInput): Promise<SuccessPayload> {
  const errors = await validateInput(input);
  if (errors.length > 0) return failedSuccess(errors);
  const accounts = accountRepository(ctx.prisma);
  const user = await accounts.findActiveUser(userId);
  if (!user || !(await verifyPassword(user.passwordHash, input.password))) {
    return failedSuccess([
      userError(["input", "password"], UserErrorCode.INVALID_CREDENTIALS, "The password is incorrect."),
    ]);
  }
  const revoked = await accounts.transaction(async (tx) => {
    await accounts.updateUser(user.id, { deletedAt: new Date() }, tx);
    return accounts.revokeUserSessions(user.id, "account deleted", tx);
  });
  // Every token of the account dies with it, the caller's included (even if that session was revoked before).
  await ctx.auth.revocations.revoke([
    ...new Set([...revoked, ...(ctx.viewer?.sessionId ? [ctx.viewer.sessionId] : [])]),
  ]);
  ctx.http.clearCookie(REFRESH_COOKIE);
  forgetUser(ctx, user.id);
  ctx.log.info({ event: "account_deleted", userId: user.id }, "account soft-deleted; sessions revoked");
  return { success: true, userErrors: [] };
}

/** A one-time token (password reset, e-mail verification) that can still be used: unused, unexpired, its account open. */
function isUsable<Pending extends { usedAt: Date | null; expiresAt: Date; user: { deletedAt: Date | null } }>(
  pending: Pending | null,
): pending is Pending {
  return pending !== null && !pending.usedAt && pending.expiresAt > new Date() && !pending.user.deletedAt;
}

/** The answer to a one-time token that cannot be used, saying what to do. */
function invalidTokenPayload(message: string): SuccessPayload {
  return failedSuccess([userError(["input", "token"], UserErrorCode.INVALID_TOKEN, message)]);
}
