import { Arg, Ctx, Directive, FieldResolver, ID, Mutation, Resolver, Root } from "type-graphql";
import type { RequestContext } from "../../context.js";
import type { User as UserRow } from "../../generated/prisma/client.js";
import { cacheHint } from "../../platform/cache/index.js";
import { requireViewer } from "../../platform/permissions/viewer.js";
import { User } from "../user/index.js";
import {
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
import { AuthPayload, LinkIdentityPayload, LogoutPayload, SuccessPayload, UpdateMePayload } from "./account.payload.js";
import * as accounts from "./account.service.js";
import { Identity, Session } from "./account.type.js";

/** `User.sessions` and `User.emailVerified` live here: sessions and verification are the account module's. */
@Resolver(() => User)
export class UserSessionsResolver {
  @Directive(cacheHint.private)
  @FieldResolver(() => [Session], {
    nullable: true,
    description:
      "The account's signed-in devices, most recently used first. Visible to the account itself only; null (with a FORBIDDEN error) for others.",
  })
  sessions(@Root() user: UserRow, @Ctx() ctx: RequestContext) {
    return accounts.listSessions(ctx, user.id);
  }

  @Directive(cacheHint.private)
  @FieldResolver(() => [Identity], {
    nullable: true,
    description:
      "Provider accounts (OpenID Connect) that sign in to this account, oldest first. Visible to the account itself only; null (with a FORBIDDEN error) for others.",
  })
  identities(@Root() user: UserRow, @Ctx() ctx: RequestContext) {
    return accounts.listIdentities(ctx, user.id);
  }

  @Directive(cacheHint.private)
  @FieldResolver(() => Boolean, {
    nullable: true,
    description:
      "Whether the owner proved the e-mail address (password resets go only to proven ones). Visible to the account itself and admins; null (with a FORBIDDEN error) for others.",
  })
  emailVerified(@Root() user: UserRow) {
    return user.emailVerified;
  }
}

@Resolver()
export class AccountResolver {
  @Mutation(() => AuthPayload, { description: "Create an account and sign in to it." })
  register(@Arg("input", () => RegisterInput) input: RegisterInput, @Ctx() ctx: RequestContext) {
    return accounts.register(ctx, input);
  }

  @Mutation(() => AuthPayload, {
    description: "Sign in. Any failure is the same `INVALID_CREDENTIALS` user error, whatever went wrong.",
  })
  login(@Arg("input", () => LoginInput) input: LoginInput, @Ctx() ctx: RequestContext) {
    return accounts.login(ctx, input);
  }

  @Mutation(() => AuthPayload, {
    description:
      "Sign in with an ID token a provider's SDK returned to the app (mobile social sign-in): checked against the provider's keys, issuer, audience (our client id), expiry and the nonce. A new provider account creates an account without a password; one whose e-mail belongs to an account is linked only when both sides verified it (else `EMAIL_NOT_VERIFIED`). Browsers use `/auth/oidc/<provider>/start` instead.",
  })
  loginWithIdToken(
    @Arg("input", () => LoginWithIdTokenInput) input: LoginWithIdTokenInput,
    @Ctx() ctx: RequestContext,
  ) {
    return accounts.loginWithIdToken(ctx, input);
  }

  @Mutation(() => LinkIdentityPayload, {
    description:
      "Link a provider account (proven by its ID token) to the signed-in account, so it signs in here too. A provider account linked to another account is `TAKEN`.",
  })
  linkIdentity(@Arg("input", () => LinkIdentityInput) input: LinkIdentityInput, @Ctx() ctx: RequestContext) {
    return accounts.linkIdentity(ctx, requireViewer(ctx).id, input);
  }

  @Mutation(() => SuccessPayload, {
    description:
      "Stop signing in with a linked provider account (an id from `me { identities { id } }`). Refused with `LAST_SIGN_IN_METHOD` when the account has no password and no other identity.",
  })
  unlinkIdentity(
    @Arg("id", () => ID, { description: "The identity to unlink." }) id: string,
    @Ctx() ctx: RequestContext,
  ) {
    return accounts.unlinkIdentity(ctx, requireViewer(ctx).id, id);
  }

  @Mutation(() => AuthPayload, {
    description:
      "Trade a refresh token for a new access token and a new refresh token; the old one stops working. Presenting an already-used refresh token ends its whole session.",
  })
  refreshSession(
    @Arg("input", () => RefreshSessionInput, { nullable: true }) input: RefreshSessionInput | null,
    @Ctx() ctx: RequestContext,
  ) {
    return accounts.refreshSession(ctx, input ?? {});
  }

  @Mutation(() => LogoutPayload, { description: "End the session of the access token used (this device)." })
  logout(@Ctx() ctx: RequestContext) {
    return accounts.logout(ctx);
  }

  @Mutation(() => LogoutPayload, { description: "End every session of the signed-in account (all devices)." })
  logoutAll(@Ctx() ctx: RequestContext) {
    return accounts.logoutAll(ctx, requireViewer(ctx).id);
  }

  @Mutation(() => SuccessPayload, {
    description:
      "E-mail a password-reset link valid for one hour. Answers the same whether or not the address has an account.",
  })
  requestPasswordReset(
    @Arg("input", () => RequestPasswordResetInput) input: RequestPasswordResetInput,
    @Ctx() ctx: RequestContext,
  ) {
    return accounts.requestPasswordReset(ctx, input);
  }

  @Mutation(() => SuccessPayload, {
    description: "Set a new password with a reset token (usable once). Ends every session of the account.",
  })
  resetPassword(@Arg("input", () => ResetPasswordInput) input: ResetPasswordInput, @Ctx() ctx: RequestContext) {
    return accounts.resetPassword(ctx, input);
  }

  @Mutation(() => SuccessPayload, {
    description: "Change the password, given the current one. Other devices are signed out; this one stays.",
  })
  changePassword(@Arg("input", () => ChangePasswordInput) input: ChangePasswordInput, @Ctx() ctx: RequestContext) {
    return accounts.changePassword(ctx, requireViewer(ctx).id, input);
  }

  @Mutation(() => SuccessPayload, {
    description:
      "Prove an e-mail address with the token from a verification link (usable once, for a day): the account's own address becomes verified, or a requested new address becomes the account's e-mail. No sign-in needed.",
  })
  verifyEmail(@Arg("input", () => VerifyEmailInput) input: VerifyEmailInput, @Ctx() ctx: RequestContext) {
    return accounts.verifyEmail(ctx, input);
  }

  @Mutation(() => LogoutPayload, {
    description:
      "Sign one of your devices out (an id from `me { sessions { id } }`): its refresh token and its access tokens stop working at once. Another account's session is `NOT_FOUND`.",
  })
  revokeSession(@Arg("id", () => ID, { description: "The session to end." }) id: string, @Ctx() ctx: RequestContext) {
    return accounts.revokeSession(ctx, requireViewer(ctx).id, id);
  }

  @Mutation(() => UpdateMePayload, {
    description:
      "Change the signed-in account's name or username at once; a new e-mail address only once it is confirmed (a link is mailed to it).",
  })
  updateMe(@Arg("input", () => UpdateMeInput) input: UpdateMeInput, @Ctx() ctx: RequestContext) {
    return accounts.updateMe(ctx, requireViewer(ctx).id, input);
  }

  @Mutation(() => SuccessPayload, {
    description: "Close the signed-in account (it disappears from the API; orders are kept) and end its sessions.",
  })
  deleteMe(@Arg("input", () => DeleteMeInput) input: DeleteMeInput, @Ctx() ctx: RequestContext) {
    return accounts.deleteMe(ctx, requireViewer(ctx).id, input);
  }
}
