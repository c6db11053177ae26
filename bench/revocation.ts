// npm run bench (third part) — what the session revocation check costs each request: nanoseconds per
// `isRevoked` lookup with the list in memory only and with it loaded from (and kept in sync through)
// Redis, next to the cost of the token verification it follows. Also how long a revocation takes to reach
// another instance through Redis pub/sub. A micro-benchmark: a few seconds, no server, no load.
//
//   BENCH_REDIS_URL        measure the Redis-backed list too (skipped, with a note, without it)
//   BENCH_REVOKED          revoked sessions in the list (default 10000: a very busy quarter of an hour)
//   BENCH_LOOKUPS          lookups per segment (default 2000000)
import { generateKeyPairSync, randomUUID } from "node:crypto";
import { pino } from "pino";
import { createSessionRevocations, type SessionRevocations } from "../src/platform/auth/revocation.js";
import { createAccessTokens } from "../src/platform/auth/tokens.js";
import { connectRedis, type RedisConnection } from "../src/platform/redis/index.js";

const log = pino({ level: "warn" });
const revokedCount = Number(process.env.BENCH_REVOKED ?? 10_000);
const lookups = Number(process.env.BENCH_LOOKUPS ?? 2_000_000);
const redisUrl = process.env.BENCH_REDIS_URL;

// Ids as the server sees them: parsed from JSON (a token's claims, a database or Redis reply). Node's
// randomUUID() returns strings V8 hashes more slowly (measured here: ~3x per lookup), which would
// measure the test data, not the check.
const asParsed = (id: string): string => JSON.parse(JSON.stringify(id));
const revoked = Array.from({ length: revokedCount }, () => asParsed(randomUUID()));
// What requests present: mostly live sessions (misses), some revoked ones (hits), each a separate string
// as a freshly parsed token's `sid` would be.
const probes = Array.from({ length: 4096 }, (_, i) =>
  asParsed(i % 16 === 0 ? (revoked[i % revokedCount] as string) : randomUUID()),
);

/** ns per lookup over `lookups` calls; the hit count keeps the loop from being optimised away. */
function measure(list: SessionRevocations): { ns: number; hits: number } {
  let hits = 0;
  const started = process.hrtime.bigint();
  for (let i = 0; i < lookups; i++) if (list.isRevoked(probes[i & 4095] as string)) hits++;
  return { ns: Number(process.hrtime.bigint() - started) / lookups, hits };
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? NaN;

const memory = createSessionRevocations(null, log);
await memory.revoke(revoked);

let redis: RedisConnection | null = null;
let publisherRedis: RedisConnection | null = null;
let shared: SessionRevocations | null = null;
let publisher: SessionRevocations | null = null;
const prefix = `gwbench:${process.pid}:`;
if (redisUrl) {
  const settings = { url: redisUrl, keyPrefix: prefix, connectTimeoutMs: 2_000, commandTimeoutMs: 500 };
  publisherRedis = connectRedis(settings, log);
  await publisherRedis.connected(2_000);
  publisher = createSessionRevocations(publisherRedis, log);
  await publisher.synced(2_000);
  await publisher.revoke(revoked);
  // This instance learns the list the way a starting instance does: by loading it from Redis.
  redis = connectRedis(settings, log);
  await redis.connected(2_000);
  shared = createSessionRevocations(redis, log);
  if (!(await shared.synced(5_000))) throw new Error("the Redis-backed list did not load");
  if (shared.size !== revokedCount) throw new Error(`loaded ${shared.size} of ${revokedCount} entries`);
}

// Warm-up, then interleaved segments so the machine's drifting speed hits both alike.
measure(memory);
if (shared) measure(shared);
const memoryNs: number[] = [];
const sharedNs: number[] = [];
let expectedHits = -1;
for (let round = 0; round < 4; round++) {
  const a = measure(memory);
  memoryNs.push(a.ns);
  expectedHits = a.hits;
  if (shared) {
    const b = measure(shared);
    sharedNs.push(b.ns);
    if (b.hits !== expectedHits) throw new Error("the two lists disagree");
  }
}

// For scale: the token verification every authenticated request already pays.
const key = generateKeyPairSync("ed25519").privateKey.export({ type: "pkcs8", format: "pem" }).toString();
const tokens = await createAccessTokens(
  { issuer: "bench", audience: "bench", privateKeyPem: key, verificationKeyPems: [] },
  log,
);
const { token } = await tokens.sign({ id: randomUUID(), role: "USER", sessionId: randomUUID() });
for (let i = 0; i < 200; i++) await tokens.verify(token);
const verifications = 3_000;
const verifyStarted = process.hrtime.bigint();
for (let i = 0; i < verifications; i++) await tokens.verify(token);
const verifyNs = Number(process.hrtime.bigint() - verifyStarted) / verifications;

// How long a revocation takes to be refused by another instance (pub/sub delivery).
const propagationMs: number[] = [];
if (publisher && shared) {
  for (let i = 0; i < 50; i++) {
    const sessionId = randomUUID();
    const started = performance.now();
    void publisher.revoke([sessionId]);
    while (!shared.isRevoked(sessionId)) await new Promise((resolve) => setImmediate(resolve));
    propagationMs.push(performance.now() - started);
  }
}

const fmt = (ns: number) => `${ns.toFixed(1)} ns`;
console.log(
  `\nSession revocation check (${revokedCount} revoked sessions listed, ${lookups} lookups per segment, 1 in 16 a hit)`,
);
const row = (name: string, ns: number[]) =>
  `| ${name.padEnd(31)} | ${fmt(median(ns)).padEnd(27)} | ${ns
    .map((n) => n.toFixed(1))
    .join(", ")
    .padEnd(26)} |`;
console.log(`| ${"List".padEnd(31)} | ns per lookup (median of 4) | ${"segments (ns)".padEnd(26)} |`);
console.log(`| ${"-".repeat(31)} | ${"-".repeat(27)} | ${"-".repeat(26)} |`);
console.log(row("in memory (no Redis)", memoryNs));
console.log(
  shared ? row("loaded from and synced by Redis", sharedNs) : "| Redis-backed: skipped, set BENCH_REDIS_URL |",
);
console.log(
  `\nFor scale: verifying the access token (EdDSA signature and claims) costs ${(verifyNs / 1000).toFixed(1)} µs a request; ` +
    `the lookup adds ${((median(memoryNs) / verifyNs) * 100).toFixed(3)} % to it.`,
);
if (propagationMs.length > 0) {
  console.log(
    `Revocation reaching another instance through Redis pub/sub: median ${median(propagationMs).toFixed(2)} ms, ` +
      `max ${Math.max(...propagationMs).toFixed(2)} ms (50 revocations).`,
  );
}

await memory.close();
if (shared) await shared.close();
if (publisher) await publisher.close();
if (publisherRedis) {
  const keys = await publisherRedis.client.keys(`${prefix}*`);
  if (keys.length > 0) await publisherRedis.client.del(...keys);
  await publisherRedis.close();
}
await redis?.close();
