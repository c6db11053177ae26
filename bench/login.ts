// The login scenario's parts that are not load: the "ideal" login rate of this machine (every core busy
// verifying argon2id hashes with the project's parameters, nothing else), and how long a failed login
// takes for a known vs an unknown e-mail (they should match: unknown e-mails are verified against a
// dummy hash).
import { availableParallelism } from "node:os";
import * as argon2 from "argon2";
import { hashPassword } from "../src/platform/auth/passwords.js";
import { SEED_PASSWORD } from "../src/seed/index.js";
import type { Request } from "./load.js";

export const loginConnections = 4;

export const loginBody = (email: string, password: string) =>
  JSON.stringify({
    query: "mutation($input: LoginInput!) { login(input: $input) { accessToken userErrors { code } } }",
    variables: { input: { email, password } },
  });

export const successfulLogin: Request = {
  body: loginBody("alice@example.com", SEED_PASSWORD),
  verify: (body) => body.includes('"accessToken":"'),
};

export const median = (values: number[]) =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? Number.NaN;

export type IdealLoginRate = { verifyMs: number; cores: number; loginsPerSecond: number };

/**
 * Times `count` sequential argon2id verifies in this process (call it while the servers are idle) and
 * turns the median into the rate all cores could reach doing nothing else.
 */
export async function idealLoginRate(count = 20): Promise<IdealLoginRate> {
  const hash = await hashPassword(SEED_PASSWORD);
  await argon2.verify(hash, SEED_PASSWORD); // warm-up
  const timings: number[] = [];
  for (let i = 0; i < count; i++) {
    const started = performance.now();
    await argon2.verify(hash, SEED_PASSWORD);
    timings.push(performance.now() - started);
  }
  const verifyMs = median(timings);
  const cores = availableParallelism();
  return { verifyMs, cores, loginsPerSecond: (cores * 1000) / verifyMs };
}

export type LoginTimings = { knownMs: number; unknownMs: number; successMs: number };

/** Median response times of single logins, interleaved so drift in machine speed hits all three alike. */
export async function loginTimings(graphqlUrl: string, rounds = 30): Promise<LoginTimings> {
  const timeOne = async (email: string, password: string) => {
    const started = performance.now();
    const response = await fetch(graphqlUrl, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: loginBody(email, password),
    });
    const result = (await response.json()) as { errors?: unknown };
    if (result.errors) throw new Error(`login failed unexpectedly: ${JSON.stringify(result.errors)}`);
    return performance.now() - started;
  };
  for (let i = 0; i < 5; i++) await timeOne("alice@example.com", SEED_PASSWORD);
  const known: number[] = [];
  const unknown: number[] = [];
  const success: number[] = [];
  for (let i = 0; i < rounds; i++) {
    known.push(await timeOne("alice@example.com", "not-alices-password"));
    unknown.push(await timeOne(`nobody-${i}@example.com`, "not-alices-password"));
    success.push(await timeOne("alice@example.com", SEED_PASSWORD));
  }
  return { knownMs: median(known), unknownMs: median(unknown), successMs: median(success) };
}
