import type { PersistedQueryOptions } from "@apollo/server";
import type { RedisConnection } from "./redis.js";

/** Apollo's KeyValueCache<string> (the interface behind `persistedQueries.cache`). */
export type KeyValueCache = NonNullable<PersistedQueryOptions["cache"]>;
type SetOptions = { ttl?: number | null };

/** A bounded in-process LRU with per-entry TTL: the cache when Redis is not configured, and its first tier. */
export class MemoryKeyValueCache implements KeyValueCache {
  private readonly entries = new Map<string, { value: string; expiresAt: number }>();

  constructor(
    private readonly maxEntries = 10_000,
    private readonly defaultTtlSeconds: number | null = null,
  ) {}

  async get(key: string): Promise<string | undefined> {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (entry.expiresAt <= Date.now()) {
      this.entries.delete(key);
      return undefined;
    }
    // Re-insert: Map order is insertion order, so the front is the least recently used.
    this.entries.delete(key);
    this.entries.set(key, entry);
    return entry.value;
  }

  async set(key: string, value: string, options?: SetOptions): Promise<void> {
    const ttl = options?.ttl ?? this.defaultTtlSeconds;
    this.entries.delete(key);
    this.entries.set(key, { value, expiresAt: ttl ? Date.now() + ttl * 1000 : Number.POSITIVE_INFINITY });
    while (this.entries.size > this.maxEntries) {
      const oldest = this.entries.keys().next().value;
      if (oldest === undefined) break;
      this.entries.delete(oldest);
    }
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
