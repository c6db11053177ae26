// The two counting primitives behind every limit, each in an in-process and a Redis flavour with the
// same semantics:
//   - a token bucket (the caller's cost budget): `capacity` points, refilled at `restorePerSecond`;
//   - a sliding-window log (per-field limits): at most `max` admitted calls in the last `windowMs`.
// The Redis flavours are one Lua script each, so a decision and its write are one atomic step no matter
// how many gateway instances share the Redis. Time comes from Redis (TIME), so instances with skewed
// clocks agree.
import { randomUUID } from "node:crypto";
import { type RedisConnection, RedisScript, RoundTripBatcher } from "../redis/index.js";

export type BucketSettings = Readonly<{ capacity: number; restorePerSecond: number }>;

export type BucketResult = Readonly<{
  allowed: boolean;
  /** Points left after this request (whole points, rounded down). */
  available: number;
  /** When not allowed: how long until the bucket holds enough for this cost. */
  retryAfterMs: number;
}>;

export type WindowResult = Readonly<{
  admitted: boolean;
  /** Admitted calls still in the window before this one, oldest first, on this process' clock. */
  timestamps: readonly number[];
  /** When not admitted: how long until the oldest call leaves the window. */
  retryAfterMs: number;
}>;

export interface LimitStore {
  /** Takes `cost` points if the bucket holds them; takes nothing otherwise. `cost` 0 reads the state. */
  takeTokens(key: string, cost: number, settings: BucketSettings): Promise<BucketResult>;
  /** Records a call if fewer than `max` were admitted in the window; records nothing otherwise. */
  hitWindow(key: string, max: number, windowMs: number): Promise<WindowResult>;
}

// Buckets are stored as a hash {tokens, ts}; a bucket left alone expires once it would be full again,
// which is the same as not existing. ARGV[3..] are the costs of several takes, decided in order as if each
// came alone (a caller's concurrent requests share one round trip); the reply pairs allowed and tokens
// left for each.
const takeTokensLua = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local capacity = tonumber(ARGV[1])
local perMs = tonumber(ARGV[2]) / 1000
local state = redis.call('HMGET', KEYS[1], 'tokens', 'ts')
local tokens = tonumber(state[1])
local ts = tonumber(state[2])
if tokens == nil or ts == nil then
  tokens = capacity
  ts = now
end
tokens = math.min(capacity, tokens + math.max(0, now - ts) * perMs)
local reply = {}
for i = 3, #ARGV do
  local cost = tonumber(ARGV[i])
  local allowed = 0
  if tokens >= cost then
    tokens = tokens - cost
    allowed = 1
  end
  reply[#reply + 1] = allowed
  reply[#reply + 1] = tostring(tokens)
end
redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'ts', tostring(now))
redis.call('PEXPIRE', KEYS[1], math.min(86400000, math.ceil((capacity - tokens) / perMs) + 1000))
return reply
`;

// A sorted set of admitted calls scored by time. Rejected calls are not recorded, so the set never holds
// more than `max` entries and a caller hammering a limit is let in again as soon as the window allows.
const hitWindowLua = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local max = tonumber(ARGV[1])
local window = tonumber(ARGV[2])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
local prior = redis.call('ZRANGE', KEYS[1], 0, -1, 'WITHSCORES')
local out = { now }
for i = 2, #prior, 2 do
  out[#out + 1] = tonumber(prior[i])
end
if #out - 1 < max then
  redis.call('ZADD', KEYS[1], now, ARGV[3])
  redis.call('PEXPIRE', KEYS[1], window)
end
return out
`;

export class RedisLimitStore implements LimitStore {
  private readonly takeTokensScript = new RedisScript(takeTokensLua);
  private readonly hitWindowScript = new RedisScript(hitWindowLua);

  constructor(private readonly redis: RedisConnection) {}

  /** Takes waiting for a bucket: one script in flight per bucket, the takes that come meanwhile in the next. */
  private readonly takes = new Map<string, RoundTripBatcher<number, BucketResult>>();

  async takeTokens(key: string, cost: number, settings: BucketSettings): Promise<BucketResult> {
    const bucket = `${key}\n${settings.capacity}\n${settings.restorePerSecond}`;
    let batcher = this.takes.get(bucket);
    if (!batcher) {
      batcher = new RoundTripBatcher(
        (costs) => this.takeAll(key, costs, settings),
        () => this.takes.delete(bucket),
      );
      this.takes.set(bucket, batcher);
    }
    return batcher.run(cost);
  }

  private async takeAll(key: string, costs: readonly number[], settings: BucketSettings): Promise<BucketResult[]> {
    const reply = (await this.takeTokensScript.run(
      this.redis.client,
      [this.redis.key(`bucket:${key}`)],
      [settings.capacity, settings.restorePerSecond, ...costs],
    )) as (number | string)[];
    return costs.map((cost, i) => bucketResult(reply[2 * i] === 1, Number(reply[2 * i + 1]), cost, settings));
  }

  async hitWindow(key: string, max: number, windowMs: number): Promise<WindowResult> {
    const reply = (await this.hitWindowScript.run(
      this.redis.client,
      [this.redis.key(`window:${key}`)],
      [max, windowMs, randomUUID()],
    )) as number[];
    const [redisNow = 0, ...prior] = reply.map(Number);
    // Shift Redis' times onto this process' clock, since graphql-rate-limit filters by Date.now().
    const skew = Date.now() - redisNow;
    return windowResult(
      prior.map((time) => time + skew),
      max,
      windowMs,
      Date.now(),
    );
  }
}

/**
 * The same algorithms in one process: used when no Redis is configured, and as the fallback while it
 * is away. JavaScript runs each call to completion, so these are atomic within the process. Memory is
 * bounded: entries that no longer matter (full buckets, empty windows) are swept out.
 */
export class MemoryLimitStore implements LimitStore {
  private readonly buckets = new Map<string, { tokens: number; ts: number; fullAt: number }>();
  private readonly windows = new Map<string, { times: number[]; expiresAt: number }>();
  private operations = 0;

  constructor(
    private readonly maxEntries = 100_000,
    private readonly now: () => number = Date.now,
  ) {}

  async takeTokens(key: string, cost: number, settings: BucketSettings): Promise<BucketResult> {
    const now = this.now();
    const perMs = settings.restorePerSecond / 1000;
    const state = this.buckets.get(key);
    let tokens = state
      ? Math.min(settings.capacity, state.tokens + Math.max(0, now - state.ts) * perMs)
      : settings.capacity;
    const allowed = tokens >= cost;
    if (allowed) tokens -= cost;
    this.buckets.delete(key); // re-inserted last: the Map's order is then least recently used first
    this.buckets.set(key, { tokens, ts: now, fullAt: now + (settings.capacity - tokens) / perMs });
    this.sweepSometimes(now);
    return bucketResult(allowed, tokens, cost, settings);
  }

  async hitWindow(key: string, max: number, windowMs: number): Promise<WindowResult> {
    const now = this.now();
    const prior = (this.windows.get(key)?.times ?? []).filter((time) => time > now - windowMs);
    const result = windowResult(prior, max, windowMs, now);
    if (result.admitted) prior.push(now);
    if (prior.length > 0) this.windows.set(key, { times: prior, expiresAt: (prior[0] ?? now) + windowMs });
    else this.windows.delete(key);
    this.sweepSometimes(now);
    return result;
  }

  /** Entries kept, for tests. */
  get size(): number {
    return this.buckets.size + this.windows.size;
  }

  private sweepSometimes(now: number) {
    this.operations++;
    if (this.operations % 1_000 !== 0 && this.buckets.size + this.windows.size <= this.maxEntries) return;
    for (const [key, bucket] of this.buckets) if (bucket.fullAt <= now) this.buckets.delete(key);
    for (const [key, window] of this.windows) if (window.expiresAt <= now) this.windows.delete(key);
    // Still too many live entries (a flood of distinct callers): forget the least recently seen, down to
    // 90 % so the next full sweep is far off. Forgetting errs towards letting a caller in, never towards
    // locking one out; budgets go first, since forgetting a window reopens a brute-force allowance.
    let excess = this.buckets.size + this.windows.size - Math.floor(this.maxEntries * 0.9);
    for (const map of [this.buckets, this.windows] as Map<string, unknown>[]) {
      for (const key of map.keys()) {
        if (excess <= 0) return;
        map.delete(key);
        excess--;
      }
    }
  }
}

function bucketResult(allowed: boolean, tokens: number, cost: number, settings: BucketSettings): BucketResult {
  return {
    allowed,
    available: Math.max(0, Math.floor(tokens + 1e-9)),
    retryAfterMs: allowed ? 0 : Math.ceil(((cost - tokens) / settings.restorePerSecond) * 1000),
  };
}

function windowResult(prior: readonly number[], max: number, windowMs: number, now: number): WindowResult {
  const admitted = prior.length < max;
  const oldest = prior[0] ?? now;
  return { admitted, timestamps: [...prior], retryAfterMs: admitted ? 0 : Math.max(1, oldest + windowMs - now) };
}
