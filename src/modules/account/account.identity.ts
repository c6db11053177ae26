// What a verified provider identity (platform/auth/oidc.ts) means for our accounts: which account it signs
// in to, when it may be linked to an existing one, and when it makes a new one. Shared by the browser
// callback (account.oidc-routes.ts) and the mutations (account.service.ts).
import { randomBytes } from "node:crypto";
import type { FastifyBaseLogger } from "fastify";
import { type Identity, Prisma, type User } from "../../generated/prisma/client.js";
import type { VerifiedIdentity } from "../../platform/auth/oidc.js";
import { UserErrorCode } from "../../platform/validation/index.js";
import { welcomeContent, welcomeMail } from "./account.mail.js";
import { accountRepository } from "./account.repository.js";
import { sendVerification, type VerificationDeps } from "./account.verification.js";

export type IdentityDeps = VerificationDeps & Readonly<{ log: FastifyBaseLogger }>;

export type IdentityRefusal = Readonly<{ code: UserErrorCode; message: string }>;

const isUniqueViolation = (error: unknown) =>
  error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002";

/** A free username from what the provider calls the user: `jane_doe`, else `jane_doe_4f2a91`. */
async function freeUsername(deps: IdentityDeps, identity: VerifiedIdentity): Promise<string> {
  const wanted = (identity.preferredUsername ?? identity.email?.split("@")[0] ?? "user")
    .toLowerCase()
    .replace(/[^a-z0-9_]+/g, "_")
    .replace(/^_+|_+$/g, "")
    .slice(0, 23);
  const base = wanted.length >= 3 ? wanted : `user_${wanted}`.slice(0, 23);
  const accounts = accountRepository(deps.prisma);
  if (!(await accounts.takenIdentifiers({ username: base })).username) return base;
  return `${base}_${randomBytes(3).toString("hex")}`;
}

/**
 * The account a provider identity signs in to, linking or creating one when needed:
 * - an identity seen before signs in to its account;
 * - an e-mail that belongs to an account is linked only when the provider says it verified the address
 *   and the account verified it too (anything less would let whoever controls an unverified address at
 *   some provider take the account over);
 * - otherwise a new account without a password is created, its e-mail verified only if the provider said so.
 */
export async function accountForIdentity(
  deps: IdentityDeps,
  identity: VerifiedIdentity,
): Promise<{ user: User } | { refusal: IdentityRefusal }> {
  const accounts = accountRepository(deps.prisma);
  const known = await accounts.findIdentity(identity.issuer, identity.subject);
  if (known) {
    if (known.user.deletedAt) {
      return { refusal: { code: UserErrorCode.INVALID_CREDENTIALS, message: "This account has been closed." } };
    }
    await accounts.touchIdentity(known.id);
    return { user: known.user };
  }
  if (!identity.email) {
    return {
      refusal: {
        code: UserErrorCode.REQUIRED,
        message: "The provider shared no e-mail address; allow the `email` scope and try again.",
      },
    };
  }
  const link = {
    provider: identity.provider,
    issuer: identity.issuer,
    subject: identity.subject,
    email: identity.email,
  };
  const holder = await accounts.findUserByEmail(identity.email);
  if (holder) {
    if (holder.deletedAt || !identity.emailVerified || !holder.emailVerified) {
      deps.log.warn(
        { event: "oidc_link_refused", provider: identity.provider, userId: holder.id },
        "social sign-in names an existing account's e-mail, unverified on one side: not linked",
      );
      return {
        refusal: {
          code: UserErrorCode.EMAIL_NOT_VERIFIED,
          message:
            "An account with this e-mail address exists. Sign in to it another way, then link this provider to it.",
        },
      };
    }
    try {
      await accounts.createIdentity(holder.id, link);
    } catch (error) {
      // A concurrent first sign-in with the same identity linked it already.
      if (!isUniqueViolation(error)) throw error;
      return accountForIdentity(deps, identity);
    }
    deps.log.info(
      { event: "identity_linked", provider: identity.provider, userId: holder.id },
      "identity linked by e-mail",
    );
    return { user: holder };
  }

  const username = await freeUsername(deps, identity);
  try {
    const user = await accounts.transaction(async (tx) => {
      const created = await accounts.createPasswordlessUser(
        {
          email: identity.email as string,
          username,
          name: identity.name ?? username,
          emailVerified: identity.emailVerified,
        },
        tx,
      );
      await accounts.createIdentity(created.id, link, tx);
      await deps.mail.send(tx, welcomeMail, created.email, welcomeContent(created.name, created.username));
      // As after `register`: an address the provider did not vouch for is proven by its own link.
      if (!created.emailVerified) await sendVerification(deps, tx, created, created.email, "sign-up");
      return created;
    });
    deps.log.info({ event: "account_registered", userId: user.id, provider: identity.provider }, "account registered");
    return { user };
  } catch (error) {
    // Lost a race: the same identity signing in twice at once, or the e-mail or username just taken.
    if (!isUniqueViolation(error)) throw error;
    return accountForIdentity(deps, identity);
  }
}

/**
 * Links a provider identity to an account whose owner proved it is theirs (a signed-in request), whatever
 * the identity's e-mail says. An identity linked to another account stays there (`TAKEN`).
 */
export async function linkToAccount(
  deps: IdentityDeps,
  userId: string,
  identity: VerifiedIdentity,
): Promise<{ identity: Identity } | { refusal: IdentityRefusal }> {
  const accounts = accountRepository(deps.prisma);
  const taken = {
    refusal: { code: UserErrorCode.TAKEN, message: "This provider account is linked to another account." },
  };
  const known = await accounts.findIdentity(identity.issuer, identity.subject);
  if (known) return known.userId === userId ? { identity: known } : taken;
  try {
    const created = await accounts.createIdentity(userId, {
      provider: identity.provider,
      issuer: identity.issuer,
      subject: identity.subject,
      email: identity.email,
    });
    deps.log.info({ event: "identity_linked", provider: identity.provider, userId }, "identity linked by its user");
    return { identity: created };
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
    return taken;
  }
}
