import type { PersistedQueryOptions } from "@apollo/server";
import { LRUCache } from "lru-cache";
import type { RedisConnection } from "./redis.js";

/** Apollo's KeyValueCache<string> (the interface behind `persistedQueries.cache`). */
export type KeyValueCache = NonNullable<PersistedQueryOptions["cache"]>;
type SetOptions = { ttl?: number | null };

/** A bounded in-process LRU with per-entry TTL: the cache when Redis is not configured, and its first tier. */
export class MemoryKeyValueCache implements KeyValueCache {
  private readonly entries: LRUCache<string, string>;

  constructor(
    maxEntries = 10_000,
    private readonly defaultTtlSeconds: number | null = null,
  ) {
    this.entries = new LRUCache({ max: maxEntries });
  }

  async get(key: string): Promise<string | undefined> {
    return this.entries.get(key);
  }

  async set(key: string, value: string, options?: SetOptions): Promise<void> {
    const ttl = options?.ttl ?? this.defaultTtlSeconds;
    this.entries.set(key, value, ttl ? { ttl: ttl * 1000 } : {});
  }

  async delete(key: string): Promise<boolean> {
    return this.entries.delete(key);
  }
}

/**
 * Apollo's KeyValueCache over the shared Redis, with a small in-process tier in front: persisted
 * queries registered on one instance are found by every other one. Redis errors are misses (and
 * ignored writes): a miss only makes the client send the full query once more.
 */
export class RedisKeyValueCache implements KeyValueCache {
  private readonly local: MemoryKeyValueCache;

  constructor(
    private readonly redis: RedisConnection,
    private readonly namespace: string,
    private readonly defaultTtlSeconds: number,
    localEntries = 2_000,
  ) {
    this.local = new MemoryKeyValueCache(localEntries, defaultTtlSeconds);
  }

  async get(key: string): Promise<string | undefined> {
    const local = await this.local.get(key);
    if (local !== undefined || !this.redis.isReady()) return local;
    const value = await this.redis.client.get(this.redisKey(key)).catch(() => null);
    if (value === null) return undefined;
    await this.local.set(key, value);
    return value;
  }

  async set(key: string, value: string, options?: SetOptions): Promise<void> {
    const ttl = options?.ttl ?? this.defaultTtlSeconds;
    await this.local.set(key, value, { ttl });
    if (!this.redis.isReady()) return;
    await this.redis.client.set(this.redisKey(key), value, "EX", Math.max(1, Math.round(ttl))).catch(() => undefined);
  }

  async delete(key: string): Promise<boolean> {
    await this.local.delete(key);
    if (!this.redis.isReady()) return false;
    return (await this.redis.client.del(this.redisKey(key)).catch(() => 0)) > 0;
  }

  private redisKey(key: string): string {
    return this.redis.key(`${this.namespace}:${key}`);
  }
}
