import { Field, ObjectType, registerEnumType } from "type-graphql";

/**
 * Why an input was refused, for problems the user can fix (Shopify-style `userErrors`). Defined once so
 * clients can switch on every value; the README documents each.
 */
export enum UserErrorCode {
  REQUIRED = "REQUIRED",
  INVALID_FORMAT = "INVALID_FORMAT",
  TOO_SHORT = "TOO_SHORT",
  TOO_LONG = "TOO_LONG",
  OUT_OF_RANGE = "OUT_OF_RANGE",
  TOO_MANY = "TOO_MANY",
  TAKEN = "TAKEN",
  WEAK_PASSWORD = "WEAK_PASSWORD",
  INVALID_CREDENTIALS = "INVALID_CREDENTIALS",
  INVALID_TOKEN = "INVALID_TOKEN",
  NOT_FOUND = "NOT_FOUND",
  CONFLICT = "CONFLICT",
  OUT_OF_STOCK = "OUT_OF_STOCK",
  INVALID_TRANSITION = "INVALID_TRANSITION",
  CYCLE = "CYCLE",
  EMAIL_NOT_VERIFIED = "EMAIL_NOT_VERIFIED",
  LAST_SIGN_IN_METHOD = "LAST_SIGN_IN_METHOD",
  PROVIDER_UNAVAILABLE = "PROVIDER_UNAVAILABLE",
}

export const userErrorCatalog: Record<UserErrorCode, string> = {
  REQUIRED: "A value is needed here.",
  INVALID_FORMAT: "The value is not in the expected format (e-mail, slug, country code, ...).",
  TOO_SHORT: "The value is shorter than allowed.",
  TOO_LONG: "The value is longer than allowed.",
  OUT_OF_RANGE: "The number is outside the allowed range.",
  TOO_MANY: "The list has more items than allowed.",
  TAKEN: "Another record already uses this unique value (e-mail, username, slug).",
  WEAK_PASSWORD: "The password does not meet the password policy; the message says why and what would help.",
  INVALID_CREDENTIALS: "The e-mail and password do not match an account.",
  INVALID_TOKEN: "The token is unknown, used or expired.",
  NOT_FOUND: "A referenced record does not exist or is not yours.",
  CONFLICT: "The change conflicts with the current state; reload and try again.",
  OUT_OF_STOCK: "Not enough stock for the quantity asked.",
  INVALID_TRANSITION: "The record cannot move from its current state to the one asked.",
  CYCLE: "The move would put a category inside its own subtree.",
  EMAIL_NOT_VERIFIED:
    "A social sign-in names the e-mail of an existing account, but the provider or the account has not verified it: sign in another way and link the provider with `linkIdentity`.",
  LAST_SIGN_IN_METHOD: "The account would have no way left to sign in (no password and no other linked provider).",
  PROVIDER_UNAVAILABLE:
    "The OpenID Connect provider did not answer (discovery, keys or token endpoint); try again later.",
};

registerEnumType(UserErrorCode, {
  name: "UserErrorCode",
  description: "Machine-readable reason for a `UserError`.",
  valuesConfig: Object.fromEntries(
    Object.entries(userErrorCatalog).map(([code, description]) => [code, { description }]),
  ),
});

@ObjectType({ description: "A problem with the input that the user can fix; the mutation changed nothing." })
export class UserError {
  @Field(() => [String], {
    nullable: true,
    description: 'Path to the input field at fault, e.g. `["input", "email"]`; null when no single field is.',
  })
  field!: string[] | null;

  @Field(() => UserErrorCode, { description: "Stable code to branch on." })
  code!: UserErrorCode;

  @Field(() => String, { description: "Message to show the user." })
  message!: string;
}

export function userError(field: string[] | null, code: UserErrorCode, message: string): UserError {
  return { field, code, message };
}
