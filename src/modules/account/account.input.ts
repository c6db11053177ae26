import { IsEmail, IsOptional, Matches, MaxLength, MinLength } from "class-validator";
import { Field, InputType } from "type-graphql";
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from "../../platform/auth/passwords.js";

const USERNAME = /^[a-z0-9_]{3,30}$/i;
const usernameRule = "3 to 30 letters, digits or underscores";
const passwordRule = `${PASSWORD_MIN_LENGTH} to ${PASSWORD_MAX_LENGTH} characters, hard to guess (not a common password, word or pattern), not built from your username or e-mail`;

/** Several property decorators as one, so a field's checks are written once for every input that has it. */
const combine =
  (...decorators: PropertyDecorator[]): PropertyDecorator =>
  (target, key) => {
    for (const decorate of decorators) decorate(target, key);
  };

const emailChecks = () =>
  combine(
    IsEmail({}, { message: "Enter a valid e-mail address." }),
    MaxLength(254, { message: "E-mail addresses are at most 254 characters." }),
  );

/** Only an upper bound: the policy (passwordProblem) judges new passwords, and old ones are just compared. */
const passwordLength = () =>
  MaxLength(PASSWORD_MAX_LENGTH, { message: `Passwords are at most ${PASSWORD_MAX_LENGTH} characters.` });

const useCookieField = () =>
  combine(
    Field(() => Boolean, {
      nullable: true,
      description: "Browsers: set the refresh token as an HttpOnly cookie instead of returning it (default false).",
    }),
    IsOptional(),
  );

@InputType({ description: "A new account." })
export class RegisterInput {
  @Field(() => String, { description: "E-mail address; stored lower-cased, must be unused." })
  @emailChecks()
  email!: string;

  @Field(() => String, { description: `Public handle: ${usernameRule}; must be unused.` })
  @Matches(USERNAME, { message: `Usernames are ${usernameRule}.` })
  username!: string;

  @Field(() => String, { description: "Display name, 1 to 100 characters." })
  @MinLength(1, { message: "Enter a name." })
  @MaxLength(100, { message: "Names are at most 100 characters." })
  name!: string;

  @Field(() => String, { description: `Password: ${passwordRule}.` })
  @passwordLength()
  password!: string;

  @useCookieField()
  useCookie?: boolean | null;
}

@InputType({ description: "Credentials to sign in with." })
export class LoginInput {
  @Field(() => String, { description: "The account's e-mail address." })
  @MaxLength(254, { message: "E-mail addresses are at most 254 characters." })
  email!: string;

  @Field(() => String, { description: "The account's password." })
  @passwordLength()
  password!: string;

  @useCookieField()
  useCookie?: boolean | null;
}

@InputType({ description: "Trade a refresh token for a new access token (and a new refresh token)." })
export class RefreshSessionInput {
  @Field(() => String, {
    nullable: true,
    description: "The refresh token from the last sign-in or refresh. Omit it when it travels in the cookie.",
  })
  @IsOptional()
  @MaxLength(200, { message: "This is not a refresh token." })
  refreshToken?: string | null;

  @Field(() => Boolean, {
    nullable: true,
    description: "Return the new refresh token as a cookie (default: as it came).",
  })
  @IsOptional()
  useCookie?: boolean | null;
}

@InputType({ description: "Ask for a password-reset e-mail." })
export class RequestPasswordResetInput {
  @Field(() => String, { description: "The account's e-mail address." })
  @emailChecks()
  email!: string;
}

@InputType({ description: "Set a new password with the token from a reset e-mail." })
export class ResetPasswordInput {
  @Field(() => String, { description: "The token from the e-mailed link." })
  @MinLength(1, { message: "Paste the token from the e-mailed link." })
  @MaxLength(200, { message: "This is not a reset token." })
  token!: string;

  @Field(() => String, { description: `The new password: ${passwordRule}.` })
  @passwordLength()
  newPassword!: string;
}

@InputType({ description: "Prove an e-mail address with the token from a verification e-mail." })
export class VerifyEmailInput {
  @Field(() => String, { description: "The token from the e-mailed link." })
  @MinLength(1, { message: "Paste the token from the e-mailed link." })
  @MaxLength(200, { message: "This is not a verification token." })
  token!: string;
}

@InputType({ description: "Change the signed-in account's password." })
export class ChangePasswordInput {
  @Field(() => String, { description: "The password in use now." })
  @passwordLength()
  currentPassword!: string;

  @Field(() => String, { description: `The new password: ${passwordRule}.` })
  @passwordLength()
  newPassword!: string;
}

@InputType({ description: "Profile changes; omitted fields stay as they are." })
export class UpdateMeInput {
  @Field(() => String, { nullable: true, description: "New display name, 1 to 100 characters." })
  @IsOptional()
  @MinLength(1, { message: "Enter a name." })
  @MaxLength(100, { message: "Names are at most 100 characters." })
  name?: string | null;

  @Field(() => String, { nullable: true, description: `New username: ${usernameRule}; must be unused.` })
  @IsOptional()
  @Matches(USERNAME, { message: `Usernames are ${usernameRule}.` })
  username?: string | null;

  @Field(() => String, {
    nullable: true,
    description:
      "New e-mail address; must be unused. Not changed at once: a link goes to the new address, and the change happens when `verifyEmail` uses it (the current address is told).",
  })
  @IsOptional()
  @emailChecks()
  email?: string | null;
}

@InputType({ description: "Confirm closing the signed-in account." })
export class DeleteMeInput {
  @Field(() => String, { description: "The account's password, to confirm." })
  @passwordLength()
  password!: string;
}

const providerChecks = () =>
  combine(
    MinLength(1, { message: "Name a provider." }),
    MaxLength(32, { message: "This is not a configured provider." }),
  );
// A signed JWT from a provider is a few kilobytes at most; anything longer is refused before any parsing.
const idTokenChecks = () =>
  combine(
    MinLength(1, { message: "Send the ID token from the provider's SDK." }),
    MaxLength(16_384, { message: "This is not an ID token." }),
  );
const nonceChecks = () =>
  combine(
    MinLength(16, { message: "The nonce is the random value the app gave the provider's SDK (16+ characters)." }),
    MaxLength(256, { message: "Nonces are at most 256 characters." }),
  );

@InputType({ description: "Link a provider account to the signed-in account, proven by its ID token." })
export class LinkIdentityInput {
  @Field(() => String, { description: "A configured provider's name, e.g. `google`." })
  @providerChecks()
  provider!: string;

  @Field(() => String, { description: "The provider's ID token (a JWT) issued to this gateway's client id." })
  @idTokenChecks()
  idToken!: string;

  @Field(() => String, { description: "The nonce the app passed to the provider's SDK; the token must carry it." })
  @nonceChecks()
  nonce!: string;
}

@InputType({ description: "Sign in with an ID token a provider's SDK returned to the app (mobile)." })
export class LoginWithIdTokenInput extends LinkIdentityInput {
  @useCookieField()
  useCookie?: boolean | null;
}
