// Every Redis user of the gateway against a Redis Cluster of three masters (tests/helpers/redis-cluster.ts):
// the response cache's scripts and MGET, the limit stores' scripts, the revocation set's MULTI, pub/sub for
// cache invalidations, revocations and events, read-your-writes marks and persisted queries. Each "instance"
// is a connection of its own, as separate gateway processes would have. Also checks where keys land: the
// cache (whose scripts need it) in one hash slot, everything else spread over the masters.
import { Cluster } from "ioredis";
import { pino } from "pino";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createSessionRevocations } from "../../src/platform/auth/revocation.js";
import { TaggedCache } from "../../src/platform/cache/index.js";
import { RecentWrites } from "../../src/platform/db/read-routing.js";
import { Limiter } from "../../src/platform/rate-limit/index.js";
import { createEventBus } from "../../src/platform/realtime/index.js";
import { connectRedis, type RedisConnection, RedisKeyValueCache, RedisScript } from "../../src/platform/redis/index.js";
import { type OwnRedisCluster, redisClusterSkipReason, startRedisCluster } from "../helpers/redis-cluster.js";

const log = pino({ level: "silent" });
const title = redisClusterSkipReason
  ? `Redis Cluster (skipped: ${redisClusterSkipReason})`
  : "Redis Cluster: three masters, every Redis user of the gateway";
const entry = (value: unknown, tags: string[]) => ({ value, tags, expiresAt: Date.now() + 60_000 });

describe.skipIf(redisClusterSkipReason !== undefined)(title, () => {
  let cluster: OwnRedisCluster;
  const keyPrefix = "gw-cluster-test:";
  const connections: RedisConnection[] = [];
  const closers: (() => Promise<void>)[] = [];

  /** One gateway instance's connection to the cluster, ready. */
  async function instance(): Promise<RedisConnection> {
    const redis = connectRedis(
      { url: cluster.url, cluster: true, keyPrefix, connectTimeoutMs: 5_000, commandTimeoutMs: 2_000 },
      log,
    );
    connections.push(redis);
    expect(await redis.connected(10_000)).toBe(true);
    return redis;
  }

  beforeAll(async () => {
    cluster = await startRedisCluster();
  }, 60_000);

  afterAll(async () => {
    for (const close of closers.reverse()) await close();
    for (const redis of connections) await redis.close();
    await cluster?.stop();
  });

  it("connects in cluster mode, reports health, and refuses nothing it should not", async () => {
    const redis = await instance();
    expect(redis.client).toBeInstanceOf(Cluster);
    expect(await redis.health()).toBe("up");
    // A real cluster: a script over two unrelated keys is refused (so the scripts below prove their keys share a slot).
    const twoKeys = new RedisScript("return redis.call('MGET', KEYS[1], KEYS[2])");
    await expect(twoKeys.run(redis.client, [redis.key("a"), redis.key("b")], [])).rejects.toThrow(/CROSSSLOT/);
  });

  it("shares the response cache between instances: store, lookup, invalidate, and a late store refused", async () => {
    const [redisA, redisB] = [await instance(), await instance()];
    const a = new TaggedCache(redisA, log, { localEntries: 10 });
    const b = new TaggedCache(redisB, log, { localEntries: 10 });
    closers.push(
      () => a.close(),
      () => b.close(),
    );
    await vi.waitFor(() => expect(a.available() && b.available()).toBe(true), { timeout: 10_000 });
    const miss = async (cache: TaggedCache, key: string) => {
      const lookup = await cache.get(key);
      expect(lookup.entry).toBeNull();
      if (!lookup.ticket) throw new Error("the cache should be usable");
      return lookup.ticket;
    };

    await a.set("product:1", entry("old", ["Product:1", "Product:lists"]), await miss(a, "product:1"));
    await a.set("category:2", entry("cat", ["Category:2"]), await miss(a, "category:2"));
    expect((await b.get("product:1")).entry?.value).toBe("old"); // from the cluster (MGET of entry and seq)
    expect((await b.get("product:1")).entry?.value).toBe("old"); // B's first tier
    await a.invalidate(["Product:1"]);
    expect((await b.get("product:1")).entry).toBeNull();
    expect((await b.get("category:2")).entry?.value).toBe("cat");

    // A value B looked up before A's invalidation is not stored after it.
    const ticket = await miss(b, "category:9");
    await a.invalidate(["Category:9"]);
    await b.set("category:9", entry("stale", ["Category:9"]), ticket);
    expect((await a.get("category:9")).entry).toBeNull();

    // The invalidation message reached B through cluster pub/sub: B's first tier dropped the entry itself.
    await b.set("product:5", entry("five", ["Product:5"]), await miss(b, "product:5"));
    expect((await b.get("product:5")).entry?.value).toBe("five");
    await a.invalidate(["Product:5"]);
    await vi.waitFor(async () => expect((await b.get("product:5")).entry).toBeNull());

    // Every cache key is in one slot, so on exactly one master.
    const byMaster = await cluster.keysByMaster(`{${keyPrefix}cache}*`);
    expect(byMaster.filter((keys) => keys.length > 0)).toHaveLength(1);
    expect(byMaster.flat()).toEqual(expect.arrayContaining([`{${keyPrefix}cache}:seq`]));
  });

  it("counts budgets and field limits once across instances, with the keys spread over the masters", async () => {
    const [a, b] = [new Limiter(await instance(), log), new Limiter(await instance(), log)];
    const mode = { failClosed: true };
    const settings = { capacity: 5, restorePerSecond: 0.001 };
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) => (i % 2 === 0 ? a : b).takeTokens("shared-caller", 1, settings, mode)),
    );
    expect(results.filter((result) => result.allowed)).toHaveLength(5);
    const windows = await Promise.all(
      Array.from({ length: 10 }, (_, i) => (i % 2 === 0 ? a : b).hitWindow("field:login:x", 3, 60_000, mode)),
    );
    expect(windows.filter((result) => result.admitted)).toHaveLength(3);

    // Unrelated keys are not pulled into one slot: forty callers' buckets land on every master.
    await Promise.all(Array.from({ length: 40 }, (_, i) => a.takeTokens(`caller-${i}`, 1, settings, mode)));
    const byMaster = await cluster.keysByMaster(`${keyPrefix}bucket:caller-*`);
    expect(byMaster.flat()).toHaveLength(40);
    expect(
      byMaster.map((keys) => keys.length),
      "bucket keys per master",
    ).not.toContain(0);
  });

  it("tells every instance of a revoked session, and a starting instance loads the set", async () => {
    const [redisA, redisB] = [await instance(), await instance()];
    const a = createSessionRevocations(redisA, log);
    const b = createSessionRevocations(redisB, log);
    closers.push(
      () => a.close(),
      () => b.close(),
    );
    expect(await a.synced(10_000)).toBe(true);
    expect(await b.synced(10_000)).toBe(true);
    await a.revoke(["session-1", "session-2"]);
    expect(a.isRevoked("session-1")).toBe(true);
    await vi.waitFor(() => expect(b.isRevoked("session-1") && b.isRevoked("session-2")).toBe(true));

    const late = createSessionRevocations(await instance(), log);
    closers.push(() => late.close());
    expect(await late.synced(10_000)).toBe(true);
    expect(late.isRevoked("session-2")).toBe(true);
    expect(late.isRevoked("session-3")).toBe(false);
  });

  it("delivers events published on one instance to subscribers on another", async () => {
    const [busA, busB] = [createEventBus(await instance(), log), createEventBus(await instance(), log)];
    closers.push(
      () => busA.close(),
      () => busB.close(),
    );
    const events = busB.subscribe("product:42");
    const received: { n: number }[] = [];
    const reading = (async () => {
      for await (const event of events) {
        received.push(event as { n: number });
        if (received.at(-1)?.n === 2) break;
      }
    })();
    // Published until B's subscription is in place (SUBSCRIBE is asynchronous), then once more.
    await vi.waitFor(
      () => {
        busA.publish("product:42", { at: new Date(1_000), n: 1 });
        expect(received.length).toBeGreaterThan(0);
      },
      { timeout: 10_000, interval: 100 },
    );
    busA.publish("product:42", { n: 2 });
    await reading;
    expect(received[0]).toEqual({ at: new Date(1_000), n: 1 });
    expect(received.at(-1)).toEqual({ n: 2 });
  });

  it("shares read-your-writes marks and persisted queries between instances", async () => {
    const [redisA, redisB] = [await instance(), await instance()];
    await new RecentWrites(redisA, 60_000, log).noteWrite("caller-7");
    expect(await new RecentWrites(redisB, 60_000, log).wroteRecently("caller-7")).toBe(true);
    expect(await new RecentWrites(redisB, 60_000, log).wroteRecently("caller-8")).toBe(false);

    await new RedisKeyValueCache(redisA, "apq", 60).set("hash-1", "{ products { id } }");
    expect(await new RedisKeyValueCache(redisB, "apq", 60).get("hash-1")).toBe("{ products { id } }");
  });

  // Last: it takes a master away from the cluster every test above shares.
  it("counts as down while a master is gone, and recovers on its own when it is back", async () => {
    const [redisA, redisB] = [await instance(), await instance()];
    const limiter = new Limiter(redisA, log);
    const a = new TaggedCache(redisA, log, { localEntries: 10 });
    const b = new TaggedCache(redisB, log, { localEntries: 10 });
    closers.push(
      () => a.close(),
      () => b.close(),
    );
    await vi.waitFor(() => expect(a.available() && b.available()).toBe(true), { timeout: 10_000 });
    const settings = { capacity: 5, restorePerSecond: 0.001 };

    await cluster.kill(1);
    await vi.waitFor(() => expect(redisA.isReady()).toBe(false), { timeout: 10_000 });
    expect(await redisA.health()).toBe("down");
    expect(a.available()).toBe(false);
    await expect(limiter.takeTokens("outage", 1, settings, { failClosed: true })).rejects.toThrow(
      "the shared rate-limit store is unavailable",
    );
    // A fail-open limit counts in this process meanwhile.
    expect((await limiter.takeTokens("outage", 1, settings, { failClosed: false })).allowed).toBe(true);

    await cluster.restart(1);
    await vi.waitFor(() => expect(redisA.isReady() && redisB.isReady()).toBe(true), { timeout: 30_000 });
    expect(await redisA.health()).toBe("up");
    await vi.waitFor(() => expect(a.available() && b.available()).toBe(true), { timeout: 10_000 });
    expect((await limiter.takeTokens("outage", 1, settings, { failClosed: true })).allowed).toBe(true);
    // The cache works across the instances again (the restarted master came back empty).
    const lookup = await a.get("after");
    if (!lookup.ticket) throw new Error("the cache should be usable");
    await a.set("after", entry("back", ["Product:77"]), lookup.ticket);
    expect((await b.get("after")).entry?.value).toBe("back");
    await a.invalidate(["Product:77"]);
    expect((await b.get("after")).entry).toBeNull();
  }, 60_000);
});
