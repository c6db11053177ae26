import type { ZxcvbnFactory, ZxcvbnResult } from "@zxcvbn-ts/core";

/**
 * zxcvbn's score runs 0–4; 3 means about 10^8 guesses or more ("safely unguessable" for an online
 * attack, and costly offline against our argon2id hashes). 4 would refuse many memorable passphrases.
 */
export const MIN_PASSWORD_SCORE = 3;

let estimator: Promise<ZxcvbnFactory> | undefined;

/**
 * The estimator with its dictionaries (about 40 000 common passwords, English words, names, Wikipedia
 * terms, keyboard layouts). Built once, on first use: loading and ranking the word lists takes a few
 * hundred milliseconds, which neither the server's start nor a test that never registers should pay.
 */
export function passwordEstimator(): Promise<ZxcvbnFactory> {
  estimator ??= (async () => {
    const [{ ZxcvbnFactory }, common, en] = await Promise.all([
      import("@zxcvbn-ts/core"),
      import("@zxcvbn-ts/language-common"),
      import("@zxcvbn-ts/language-en"),
    ]);
    return new ZxcvbnFactory({
      dictionary: { ...common.dictionary, ...en.dictionary },
      graphs: common.adjacencyGraphs,
      translations: en.translations,
      // The check runs on the event loop, so its worst case is bounded (bench/password-strength.ts).
      // Levenshtein matching of the whole password against every word took 0.2–2 s a check here.
      useLevenshteinDistance: false,
      // Matching grows with the square of the length and with the l33t variants tried: a 128-character
      // password of l33t symbols took about 2 s with the defaults (256 and 100). The first 64 characters
      // decide (64 hard-to-guess characters are strong whatever follows), and 20 variants still catch
      // every l33t spelling of a common password we tried (p@$$w0rd, 5un5h1n3, m0nk3y, ...).
      maxLength: 64,
      l33tMaxSubstitutions: 20,
    });
  })();
  // A failed load is not cached, so the next check tries again.
  estimator.catch(() => {
    estimator = undefined;
  });
  return estimator;
}

export type StrengthVerdict = Readonly<{ score: ZxcvbnResult["score"]; strongEnough: boolean; feedback: string }>;

/**
 * Scores a password. `userInputs` (username, e-mail, name) count as dictionary words, so a password
 * made of them scores low. The feedback is the estimator's own warning and suggestions, in one sentence
 * or two, for the user.
 */
export async function estimatePasswordStrength(
  password: string,
  userInputs: readonly string[] = [],
): Promise<StrengthVerdict> {
  const result = (await passwordEstimator()).check(password, [...userInputs]);
  const { warning, suggestions } = result.feedback;
  const feedback = [warning, ...suggestions].filter((text): text is string => !!text).join(" ");
  return {
    score: result.score,
    strongEnough: result.score >= MIN_PASSWORD_SCORE,
    feedback: feedback || "Add more words that are less common.",
  };
}
