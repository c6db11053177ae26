import { describe, expect, it } from "vitest";
import { passwordProblem } from "../../src/platform/auth/passwords.js";
import { SEED_PASSWORD } from "../../src/seed/index.js";

const account = { email: "pat@example.com", username: "pat_smith", name: "Pat Smith" };

describe("password policy", () => {
  it("refuses dictionary words dressed up with digits and symbols, saying why", async () => {
    for (const password of ["password12345", "sunshine2024!", "Football1234!", "qwerty123456", "iloveyou1234"]) {
      const problem = await passwordProblem(password, account);
      expect(problem, password).toMatch(/^This password is too easy to guess\. .*(commonly used password|words)/);
    }
  });

  it("refuses sequences and repeats that pass the length rule", async () => {
    expect(await passwordProblem("abcdefghijkl", account)).toMatch(/Common character sequences/);
    expect(await passwordProblem("aaaaaaaaaaaaab", account)).toMatch(/Repeated characters/);
  });

  it("accepts long random passphrases, and the README's seeded password", async () => {
    for (const password of [
      "pale-ostrich-glides-97-lantern",
      "tangerine-kayak-4417",
      "vq7#Lm2!xR9p$Tz4",
      "correct horse battery staple velvet",
      SEED_PASSWORD,
    ]) {
      expect(await passwordProblem(password, account), password).toBeNull();
    }
  });

  it("keeps the length rules and the username/e-mail rule", async () => {
    expect(await passwordProblem("short-one", account)).toBe("Use at least 12 characters.");
    expect(await passwordProblem("x".repeat(129), account)).toBe("Use at most 128 characters.");
    expect(await passwordProblem("my-pat_smith-kayak-77", account)).toBe(
      "Do not build the password from your username or e-mail.",
    );
  });

  it("counts the account's own name as a guessable word", async () => {
    // Passes for a stranger; built only from the user's own name, it is refused.
    expect(await passwordProblem("margueritelindqvist", {})).toBeNull();
    expect(
      await passwordProblem("margueritelindqvist", {
        email: "m@example.com",
        username: "mq",
        name: "Marguerite Lindqvist",
      }),
    ).toMatch(/too easy to guess/);
  });
});
