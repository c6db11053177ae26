import * as argon2 from "argon2";
import { estimatePasswordStrength } from "./password-strength.js";

/**
 * argon2id at OWASP's recommended minimum (19 MiB memory, 2 passes, 1 lane): about 20–30 ms a hash on
 * the 2-core reference machine, so a login costs little CPU while an offline guess stays expensive.
 * Raise these and existing hashes are upgraded at their owners' next successful login.
 */
export const passwordHashOptions = Object.freeze({
  type: argon2.argon2id,
  memoryCost: 19_456,
  timeCost: 2,
  parallelism: 1,
});

export const PASSWORD_MIN_LENGTH = 12;
/** Long enough for any passphrase; bounded so a megabyte "password" cannot tie up the hasher. */
export const PASSWORD_MAX_LENGTH = 128;

export function hashPassword(password: string): Promise<string> {
  return argon2.hash(password, passwordHashOptions);
}

/** A hash of nothing anyone knows, verified when the e-mail is unknown so both paths take as long. */
let dummyHash: Promise<string> | undefined;

/**
 * Checks a password against a stored hash, or against a dummy hash when there is no account, so a
 * caller cannot tell from the response time whether an e-mail is registered.
 */
export async function verifyPassword(storedHash: string | null, password: string): Promise<boolean> {
  dummyHash ??= hashPassword("no account has this password; it only spends the same time");
  const hash = storedHash ?? (await dummyHash);
  const matches = await argon2.verify(hash, password).catch(() => false);
  return storedHash !== null && matches;
}

/** True when the stored hash was made with other parameters than today's (rehash it at login). */
export function needsRehash(storedHash: string): boolean {
  return argon2.needsRehash(storedHash, passwordHashOptions);
}

/**
 * The password policy, checked on the server whatever the client did: 12 to 128 characters, not built
 * from the account's own e-mail or username, and hard to guess by zxcvbn's estimate (a dictionary of
 * common passwords, words and names, with their l33t, reversed, keyboard and date variants). Returns
 * the problem in words the user can act on, or null.
 */
export async function passwordProblem(
  password: string,
  account: { email?: string; username?: string; name?: string },
): Promise<string | null> {
  if (password.length < PASSWORD_MIN_LENGTH) return `Use at least ${PASSWORD_MIN_LENGTH} characters.`;
  if (password.length > PASSWORD_MAX_LENGTH) return `Use at most ${PASSWORD_MAX_LENGTH} characters.`;
  const lowered = password.toLowerCase();
  const localPart = account.email?.split("@")[0];
  const personal = [account.username, localPart].filter((part): part is string => !!part && part.length >= 3);
  // zxcvbn only lowers the score for these; a password that merely contains them is refused outright.
  if (personal.some((part) => lowered.includes(part.toLowerCase()))) {
    return "Do not build the password from your username or e-mail.";
  }
  // Each word of the name on its own: zxcvbn matches user inputs as whole dictionary words.
  const userInputs = [account.username, account.email, localPart, ...(account.name?.split(/\s+/) ?? [])].filter(
    (input): input is string => !!input,
  );
  const verdict = await estimatePasswordStrength(password, userInputs);
  return verdict.strongEnough ? null : `This password is too easy to guess. ${verdict.feedback}`;
}
