// The response cache's store (platform/cache/tagged-cache.ts): entries dropped by tag, and a value computed
// before an invalidation never stored after it. In-process, and (with TEST_REDIS_URL) two stores sharing
// one Redis as two instances would.
import { pino } from "pino";
import { afterAll, describe, expect, it, vi } from "vitest";
import { TaggedCache } from "../../src/platform/cache/index.js";
import { connectRedis, type RedisConnection } from "../../src/platform/redis/index.js";
import { deleteKeys, redisSkipReason, redisUrl, uniqueKeyPrefix } from "../helpers/redis.js";

const log = pino({ level: "silent" });
const entry = (value: unknown, tags: string[]) => ({ value, tags, expiresAt: Date.now() + 60_000 });

async function miss(cache: TaggedCache, key: string) {
  const lookup = await cache.get(key);
  expect(lookup.entry).toBeNull();
  if (!lookup.ticket) throw new Error("the cache should be usable");
  return lookup.ticket;
}

describe("tagged cache, in-process", () => {
  it("drops the entries holding an invalidated tag, and only those", async () => {
    const cache = new TaggedCache(null, log, { localEntries: 10 });
    await cache.set("a", entry("A", ["Product:1", "Product:lists"]), await miss(cache, "a"));
    await cache.set("b", entry("B", ["Category:2"]), await miss(cache, "b"));
    expect((await cache.get("a")).entry?.value).toBe("A");
    await cache.invalidate(["Product:1"]);
    expect((await cache.get("a")).entry).toBeNull();
    expect((await cache.get("b")).entry?.value).toBe("B");
  });

  it("does not store a value looked up before an invalidation (it may have been read before the write)", async () => {
    const cache = new TaggedCache(null, log, { localEntries: 10 });
    const ticket = await miss(cache, "a");
    await cache.invalidate(["Product:1"]);
    await cache.set("a", entry("stale", ["Product:1"]), ticket);
    expect((await cache.get("a")).entry).toBeNull();
  });

  it("is off without Redis when the first tier has no room", async () => {
    const cache = new TaggedCache(null, log, { localEntries: 0 });
    expect(cache.available()).toBe(false);
    expect((await cache.get("a")).ticket).toBeNull();
  });
});

describe.skipIf(redisSkipReason !== undefined)(
  `tagged cache shared through Redis${redisSkipReason ? ` (skipped: ${redisSkipReason})` : ""}`,
  () => {
    const prefix = uniqueKeyPrefix();
    const connections: RedisConnection[] = [];
    const caches: TaggedCache[] = [];
    const instance = async () => {
      const redis = connectRedis(
        { url: redisUrl ?? "", keyPrefix: prefix, connectTimeoutMs: 2_000, commandTimeoutMs: 1_000 },
        log,
      );
      connections.push(redis);
      const cache = new TaggedCache(redis, log, { localEntries: 10 });
      caches.push(cache);
      await vi.waitFor(() => expect(cache.available()).toBe(true));
      return cache;
    };
    afterAll(async () => {
      for (const cache of caches) await cache.close();
      for (const redis of connections) await redis.close();
      if (redisUrl) await deleteKeys(redisUrl, prefix);
    });

    it("shares entries, and an invalidation on one instance is seen by the other's next lookup", async () => {
      const a = await instance();
      const b = await instance();
      await a.set("k", entry("old", ["Product:1"]), await miss(a, "k"));
      expect((await b.get("k")).entry?.value).toBe("old"); // from Redis, now in B's first tier too
      expect((await b.get("k")).entry?.value).toBe("old"); // first tier
      await a.invalidate(["Product:1"]);
      // At once, message delivered or not: B checks the shared counter before trusting its first tier.
      expect((await b.get("k")).entry).toBeNull();
    });

    it("takes an entry into the first tier on its second read, and checks the counter once for concurrent hits", async () => {
      const a = await instance();
      await a.set("hot", entry("hot", ["Product:2"]), await miss(a, "hot"));
      const redis = connections.at(-1) as RedisConnection;
      const get = vi.spyOn(redis.client, "get");
      const mget = vi.spyOn(redis.client, "mget");
      try {
        // Stored in Redis only: the first read after the store comes from there (and fills the first tier).
        expect((await a.get("hot")).entry?.value).toBe("hot");
        expect(mget).toHaveBeenCalledTimes(1);
        const lookups = await Promise.all(Array.from({ length: 20 }, () => a.get("hot")));
        expect(lookups.every((lookup) => lookup.entry?.value === "hot")).toBe(true);
        expect(mget).toHaveBeenCalledTimes(1);
        // The first lookup's GET leaves at once; the 19 made while it was away share the next one.
        expect(get).toHaveBeenCalledTimes(2);
      } finally {
        get.mockRestore();
        mget.mockRestore();
      }
    });

    it("refuses a store whose lookup came before another instance's invalidation", async () => {
      const a = await instance();
      const b = await instance();
      const ticket = await miss(b, "late");
      await a.invalidate(["Category:9"]);
      await b.set("late", entry("stale", ["Category:9"]), ticket);
      expect((await a.get("late")).entry).toBeNull();
      expect((await b.get("late")).entry).toBeNull();
    });
  },
);
