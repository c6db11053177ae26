import { Arg, Ctx, Mutation, Resolver } from "type-graphql";
import type { RequestContext } from "../../context.js";
import { requireViewer } from "../../platform/permissions/viewer.js";
import {
  ChangePasswordInput,
  DeleteMeInput,
  LoginInput,
  RefreshSessionInput,
  RegisterInput,
  RequestPasswordResetInput,
  ResetPasswordInput,
  UpdateMeInput,
} from "./account.input.js";
import { AuthPayload, LogoutPayload, SuccessPayload, UpdateMePayload } from "./account.payload.js";
import * as accounts from "./account.service.js";

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

  @Mutation(() => UpdateMePayload, { description: "Change the signed-in account's name, username or e-mail." })
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
