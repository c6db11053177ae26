// The Redis stores' atomicity, against the shared TEST_REDIS_URL server (own key prefix, cleaned up).
import type { GraphQLResolveInfo } from "graphql";
import { getGraphQLRateLimiter, RedisStore } from "graphql-rate-limit";
import { Redis } from "ioredis";
import { pino } from "pino";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { RedisLimitStore } from "../../src/platform/rate-limit/index.js";
import { connectRedis, type RedisConnection } from "../../src/platform/redis/index.js";
import { deleteKeys, redisSkipReason, redisUrl, uniqueKeyPrefix } from "../helpers/redis.js";

const title = redisSkipReason ? `Redis limit stores (skipped: ${redisSkipReason})` : "Redis limit stores";

describe.skipIf(redisSkipReason !== undefined)(title, () => {
  const url = redisUrl as string;
  const keyPrefix = uniqueKeyPrefix();
  let redis: RedisConnection;
  let store: RedisLimitStore;
  beforeAll(async () => {
    redis = connectRedis(
      { url, keyPrefix, connectTimeoutMs: 2_000, commandTimeoutMs: 2_000 },
      pino({ level: "silent" }),
    );
    await new Promise<void>((resolve) => redis.client.once("ready", () => resolve()));
    store = new RedisLimitStore(redis);
  });
  afterAll(async () => {
    await redis?.close();
    await deleteKeys(url, keyPrefix);
  });

  const parallel = <T>(n: number, call: () => Promise<T>) => Promise.all(Array.from({ length: n }, call));

  it("admits exactly the budget when 100 requests race for a bucket of 5", async () => {
    const settings = { capacity: 5, restorePerSecond: 0.001 };
    const results = await parallel(100, () => store.takeTokens("race", 1, settings));
    expect(results.filter((result) => result.allowed)).toHaveLength(5);
    const refused = results.find((result) => !result.allowed);
    expect(refused?.available).toBe(0);
    expect(refused?.retryAfterMs).toBeGreaterThan(900_000); // 1 point at 0.001/s: ~1000 s
  });

  it("decides a caller's concurrent takes in one round trip, each as if it came alone", async () => {
    const settings = { capacity: 10, restorePerSecond: 0.001 };
    const evalsha = vi.spyOn(redis.client, "evalsha");
    try {
      const results = await parallel(12, () => store.takeTokens("batched", 3, settings));
      // The first goes alone; the other 11, made while it was in flight, share the next round trip.
      expect(evalsha).toHaveBeenCalledTimes(2);
      expect(results.map((result) => result.allowed)).toEqual([true, true, true, ...Array(9).fill(false)]);
      expect(results.map((result) => result.available)).toEqual([7, 4, 1, ...Array(9).fill(1)]);
      // Another caller's bucket is not held up by this one's.
      expect((await store.takeTokens("batched-other", 3, settings)).available).toBe(7);
    } finally {
      evalsha.mockRestore();
    }
  });

  it("admits exactly `max` when 100 calls race for a window of 5", async () => {
    const results = await parallel(100, () => store.hitWindow("race", 5, 60_000));
    expect(results.filter((result) => result.admitted)).toHaveLength(5);
    // Refused calls are not recorded: the window holds the 5 admitted ones only.
    const zset = await redis.client.zcard(redis.key("window:race"));
    expect(zset).toBe(5);
    expect(await redis.client.pttl(redis.key("window:race"))).toBeGreaterThan(50_000);
  });

  it("graphql-rate-limit with its own RedisStore over-admits under concurrency (why we ship our store)", async () => {
    const client = new Redis(url);
    try {
      const limiter = getGraphQLRateLimiter({
        identifyContext: () => `${keyPrefix}shipped`,
        store: new RedisStore(client),
      });
      const info = { fieldName: "login" } as GraphQLResolveInfo;
      const refusals = await parallel(100, () =>
        limiter({ parent: undefined, args: {}, context: {}, info }, { max: 5, window: "60s" }),
      );
      const admitted = refusals.filter((refusal) => refusal === undefined).length;
      // Every call reads "nothing yet" before any of them writes: far more than 5 get in.
      expect(admitted).toBeGreaterThan(5);
    } finally {
      await client.del(`redis-store-id::${keyPrefix}shipped:login`);
      client.disconnect();
    }
  });

  it("graphql-rate-limit's limiter over our store admits exactly `max`", async () => {
    // The same limiter; our store records the call in getForIdentity (one Lua script) and has nothing to set.
    let last: Awaited<ReturnType<RedisLimitStore["hitWindow"]>> | undefined;
    const limiter = getGraphQLRateLimiter({
      identifyContext: () => "ours",
      store: {
        async getForIdentity(identity) {
          last = await store.hitWindow(`ours:${identity.fieldIdentity}`, 5, 60_000);
          return last.timestamps;
        },
        setForIdentity() {},
      },
    });
    const info = { fieldName: "login" } as GraphQLResolveInfo;
    const refusals = await parallel(100, () =>
      limiter({ parent: undefined, args: {}, context: {}, info }, { max: 5, window: "60s" }),
    );
    expect(refusals.filter((refusal) => refusal === undefined)).toHaveLength(5);
    expect(last?.retryAfterMs).toBeGreaterThan(55_000);
  });

  it("refills the bucket over time on Redis' clock", async () => {
    const settings = { capacity: 10, restorePerSecond: 100 };
    expect((await store.takeTokens("refill", 10, settings)).available).toBe(0);
    expect((await store.takeTokens("refill", 5, settings)).allowed).toBe(false);
    await new Promise((resolve) => setTimeout(resolve, 120));
    const later = await store.takeTokens("refill", 5, settings);
    expect(later.allowed).toBe(true);
    expect(await redis.client.pttl(redis.key("bucket:refill"))).toBeGreaterThan(0);
  });
});
