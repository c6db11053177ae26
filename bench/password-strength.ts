// npm run bench (third part) — what the password-strength check costs. It runs once per register,
// password reset and password change (never per request), on the event loop, before the argon2 hash.
//
//   BENCH_PASSWORD_ROUNDS   warm checks per password (default 20)
import { performance } from "node:perf_hooks";
import { passwordProblem } from "../src/platform/auth/passwords.js";

const rounds = Number(process.env.BENCH_PASSWORD_ROUNDS ?? 20);
const account = { email: "pat.smith@example.com", username: "pat_smith", name: "Pat Smith" };
// Refused and accepted ones, short and long: the matchers' work grows with length and with how many
// dictionary and l33t candidates a password contains.
const passwords = [
  "password12345",
  "sunshine2024!",
  "qwerty123456",
  "Tr0ub4dor&3xyz",
  "correct-horse-battery",
  "tangerine-kayak-4417",
  "pale-ostrich-glides-97-lantern",
  "vq7#Lm2!xR9p$Tz4wE8@kN3^",
  // Worst cases the limits bound: the longest password allowed, of l33t symbols and of dictionary words.
  "4@8(3610|7+5$2!9".repeat(8),
  "pale-ostrich-glides-97-lantern-".repeat(5).slice(0, 128),
];

const started = performance.now();
await passwordProblem("first-call-loads-the-dictionaries", account);
const cold = performance.now() - started;

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? Number.NaN;
const rows: { password: string; verdict: string; medianMs: number }[] = [];
const all: number[] = [];
for (const password of passwords) await passwordProblem(password, account); // JIT warm-up
for (const password of passwords) {
  const timings: number[] = [];
  let verdict = "";
  for (let i = 0; i < rounds; i++) {
    const t0 = performance.now();
    verdict = (await passwordProblem(password, account)) === null ? "accepted" : "refused";
    timings.push(performance.now() - t0);
  }
  all.push(...timings);
  rows.push({
    password: password.length > 32 ? `${password.slice(0, 29)}… (${password.length})` : password,
    verdict,
    medianMs: Number(median(timings).toFixed(2)),
  });
}

console.log("\nPassword strength check (zxcvbn-ts, common + English dictionaries)");
console.log(`cold first call (loads and ranks the dictionaries): ${cold.toFixed(0)} ms`);
console.table(rows);
const mean = all.reduce((sum, value) => sum + value, 0) / all.length;
console.log(
  `warm, over ${all.length} checks: median ${median(all).toFixed(2)} ms, mean ${mean.toFixed(2)} ms, max ${Math.max(...all).toFixed(2)} ms`,
);
