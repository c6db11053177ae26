import { Field, Int, ObjectType } from "type-graphql";
import type { User as UserRow } from "../../generated/prisma/client.js";
import { MutationPayload } from "../../platform/validation/index.js";
import { User } from "../user/index.js";
import { Identity, type IdentityView } from "./account.type.js";

@ObjectType({ description: "The result of signing up, signing in, or refreshing a session." })
export class AuthPayload extends MutationPayload {
  @Field(() => User, { nullable: true, description: "The signed-in account; null when `userErrors` is not empty." })
  user!: UserRow | null;

  @Field(() => String, {
    nullable: true,
    description: "Short-lived (15 min) access token: send it as `Authorization: Bearer <token>`.",
  })
  accessToken!: string | null;

  @Field(() => Date, { nullable: true, description: "When `accessToken` expires." })
  accessTokenExpiresAt!: Date | null;

  @Field(() => String, {
    nullable: true,
    description:
      "Refresh token (7 days, single use): keep it secret and trade it in `refreshSession` for new tokens. Null when it was set as an HttpOnly cookie instead.",
  })
  refreshToken!: string | null;

  @Field(() => Date, { nullable: true, description: "When the session ends unless refreshed before." })
  refreshTokenExpiresAt!: Date | null;
}

@ObjectType({ description: "The result of a mutation that returns no record." })
export class SuccessPayload extends MutationPayload {
  @Field(() => Boolean, { description: "True when the change was made." })
  success!: boolean;
}

@ObjectType({ description: "The result of ending sessions." })
export class LogoutPayload extends MutationPayload {
  @Field(() => Int, { description: "How many sessions were ended." })
  revokedSessions!: number;
}

@ObjectType({ description: "The result of changing the profile." })
export class UpdateMePayload extends MutationPayload {
  @Field(() => User, { nullable: true, description: "The account as it is now; null when `userErrors` is not empty." })
  user!: UserRow | null;

  @Field(() => String, {
    nullable: true,
    description:
      "The new e-mail address waiting for its confirmation link to be used; null when the e-mail was not changed.",
  })
  pendingEmail!: string | null;
}

@ObjectType({ description: "The result of linking a provider account." })
export class LinkIdentityPayload extends MutationPayload {
  @Field(() => Identity, { nullable: true, description: "The linked identity; null when `userErrors` is not empty." })
  identity!: IdentityView | null;
}
