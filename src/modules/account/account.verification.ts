import type { PrismaClient, User } from "../../generated/prisma/client.js";
import { newOpaqueToken } from "../../platform/auth/opaque-tokens.js";
import type { Db } from "../../platform/db/transaction.js";
import type { Outbox } from "../../platform/mail/index.js";
import { emailVerificationContent, emailVerificationMail, type VerificationPurpose } from "./account.mail.js";
import { accountRepository } from "./account.repository.js";

const DAY_MS = 24 * 60 * 60 * 1000;
/** Longer than a reset link: a sign-up mail may be read the next day, and the link grants no sign-in. */
export const EMAIL_VERIFICATION_TTL_MS = DAY_MS;

export type VerificationDeps = Readonly<{ prisma: PrismaClient; mail: Outbox; emailVerificationUrl: string }>;

/**
 * A verification link for `email` (the account's own, or the one it asked to move to), committed with its
 * e-mail in the caller's transaction: no token without a mail, no mail without a token.
 */
export async function sendVerification(
  deps: VerificationDeps,
  tx: Db,
  user: Pick<User, "id" | "username">,
  email: string,
  purpose: VerificationPurpose,
) {
  const { token, hash } = newOpaqueToken();
  const link = new URL(deps.emailVerificationUrl);
  link.searchParams.set("token", token);
  const accounts = accountRepository(deps.prisma);
  await accounts.createVerificationToken(user.id, email, hash, new Date(Date.now() + EMAIL_VERIFICATION_TTL_MS), tx);
  await deps.mail.send(
    tx,
    emailVerificationMail,
    email,
    emailVerificationContent(user.username, link.toString(), purpose),
  );
}
