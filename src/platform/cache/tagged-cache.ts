import { LRUCache } from "lru-cache";
import type { Logger } from "../logger/index.js";
import { type RedisClient, type RedisConnection, RedisScript, RoundTripBatcher } from "../redis/index.js";

/** A cached value with the tags (`Product:<id>`, `Product:lists`, …) whose change must drop it. */
export type CacheEntry = Readonly<{ value: unknown; tags: readonly string[]; expiresAt: number }>;

/**
 * Proof of when a miss was looked up: a value computed after it may be stored only if nothing was
 * invalidated in between (the value may have been read before the write committed).
 */
export type StoreTicket = Readonly<{ seq: number; generation: number }>;

/** What a lookup found: an entry, or a ticket to store one (null: the cache is not usable now, skip it). */
export type Lookup = { entry: CacheEntry; ticket: null } | { entry: null; ticket: StoreTicket | null };

// Redis layout: every key under one hash tag, `{<prefix>cache}`, so that on a Redis Cluster the whole cache
// lives in one hash slot, on one master:
//   {<prefix>cache}:e:<key>   the entry, JSON {v, t, x}, with its TTL
//   {<prefix>cache}:t:<tag>   set of entry keys holding the tag (expires with the longest-lived entry it lists)
//   {<prefix>cache}:seq       invalidations so far; a store whose lookup saw another value is refused
//   <prefix>cache:events      channel (not a key): "<seq> <tag> <tag> …" after every invalidation
// One slot because the scripts need it: a store checks the sequence number and writes the entry and its
// tags' sets in one atomic step, and an invalidation deletes entries it only learns from the tag sets
// (they cannot be declared in advance) while bumping that same number. Spreading entries over slots would
// mean giving up that atomicity, which is what keeps a stale value from being stored after a write. The
// cost is that the cache's memory and load sit on one master; rate limits, persisted queries and the rest
// hash key by key over all of them. Tag keys are passed as KEYS (the cluster checks they share the slot);
// entry keys deleted by an invalidation are read from the tag sets, always in the same slot.
const STORE = new RedisScript(`
if (redis.call('GET', KEYS[1]) or '0') ~= ARGV[1] then return 0 end
redis.call('SET', KEYS[2], ARGV[2], 'EX', ARGV[3])
local ttl = tonumber(ARGV[3])
for i = 3, #KEYS do
  redis.call('SADD', KEYS[i], KEYS[2])
  if redis.call('TTL', KEYS[i]) < ttl then redis.call('EXPIRE', KEYS[i], ttl) end
end
return 1`);

const INVALIDATE = new RedisScript(`
local seq = redis.call('INCR', KEYS[1])
for i = 2, #KEYS do
  local members = redis.call('SMEMBERS', KEYS[i])
  for j = 1, #members, 500 do
    redis.call('DEL', unpack(members, j, math.min(j + 499, #members)))
  end
  redis.call('DEL', KEYS[i])
end
redis.call('PUBLISH', ARGV[1], seq .. ' ' .. table.concat(ARGV, ' ', 2))
return seq`);

export type TaggedCacheOptions = Readonly<{
  /** Entries kept in this process (the first tier); 0 keeps none here. */
  localEntries: number;
}>;

/**
 * A key-value cache whose entries are dropped by tag. With Redis it has two tiers: Redis, shared by every
 * instance, and a small LRU in this process in front of it; without Redis the LRU alone.
 *
 * Invalidation never scans keys: each tag has a set of the entries holding it, and one Lua script deletes
 * those entries, bumps a sequence number and publishes the tags, atomically. Every instance drops its own
 * first-tier entries when the message arrives. Until it has, the first tier is not trusted: a first-tier
 * hit is served only while the shared sequence number equals the last one this instance processed (one
 * small GET), so a read right after a write on another instance never sees the old entry.
 *
 * When Redis is away, or this instance's subscription is down, or invalidations wait to be sent, the
 * cache is skipped: lookups miss without storing, and everything reads from the database. It recovers by
 * itself when Redis is back (pending invalidations are sent first, the first tier starts empty).
 */
export class TaggedCache {
  readonly #local: LRUCache<string, CacheEntry> | null;
  readonly #keysByTag = new Map<string, Set<string>>();
  readonly #shared: SharedTier | null;
  /** Invalidations applied here: a store whose lookup saw another value is dropped. */
  #generation = 0;

  constructor(redis: RedisConnection | null, log: Logger, options: TaggedCacheOptions) {
    this.#local =
      options.localEntries > 0
        ? new LRUCache<string, CacheEntry>({
            max: options.localEntries,
            dispose: (entry, key) => this.#unindex(key, entry.tags),
          })
        : null;
    this.#shared = redis
      ? new SharedTier(
          redis,
          log,
          (tags) => this.#dropLocal(tags),
          () => this.#clearLocal(),
        )
      : null;
  }

  /** Whether a lookup can answer now (false while Redis is away: everything then reads from the database). */
  available(): boolean {
    return this.#shared ? this.#shared.usable() : this.#local !== null;
  }

  async get(key: string): Promise<Lookup> {
    const shared = this.#shared;
    const local = this.#local?.get(key);
    if (!shared) {
      if (local) return { entry: local, ticket: null };
      return { entry: null, ticket: this.#local ? { seq: 0, generation: this.#generation } : null };
    }
    if (!shared.usable()) return { entry: null, ticket: null };
    // What this instance had applied when it read its first tier: the entry is current if nothing was
    // invalidated since (a message arriving meanwhile drops it from the tier, not from this variable).
    const applied = shared.processedSeq;
    try {
      if (local && (await shared.currentSeq()) === applied) return { entry: local, ticket: null };
      const [text, seqText] = await shared.redis.client.mget(shared.entryKey(key), shared.seqKey);
      const seq = Number(seqText ?? 0);
      if (text == null) return { entry: null, ticket: { seq, generation: this.#generation } };
      const stored = JSON.parse(text) as { v: unknown; t: string[]; x: number };
      const entry: CacheEntry = { value: stored.v, tags: stored.t, expiresAt: stored.x };
      // Into the first tier only when no invalidation is on its way to this instance.
      if (seq === shared.processedSeq) this.#setLocal(key, entry);
      return { entry, ticket: null };
    } catch (error) {
      shared.log.debug({ err: error }, "cache: lookup failed; reading from the database");
      return { entry: null, ticket: null };
    }
  }

  /** Stores what a miss computed, unless something was invalidated since its lookup. */
  async set(key: string, entry: CacheEntry, ticket: StoreTicket): Promise<void> {
    const shared = this.#shared;
    const ttlSeconds = Math.ceil((entry.expiresAt - Date.now()) / 1000);
    if (ttlSeconds <= 0) return;
    if (!shared) {
      if (ticket.generation === this.#generation) this.#setLocal(key, entry);
      return;
    }
    if (!shared.usable()) return;
    try {
      // Into Redis only: the first tier takes an entry on its next lookup, so the many keys asked for once
      // (a search, a page of a long tail) never push out the ones asked for again and again.
      await STORE.run(
        shared.redis.client,
        [shared.seqKey, shared.entryKey(key), ...entry.tags.map((tag) => shared.tagKey(tag))],
        [ticket.seq, JSON.stringify({ v: entry.value, t: entry.tags, x: entry.expiresAt }), ttlSeconds],
      );
    } catch (error) {
      shared.log.debug({ err: error }, "cache: store failed");
    }
  }

  /**
   * Drops every entry holding any of the tags, here at once and on every instance (Redis, then pub/sub)
   * before it resolves. Never rejects: with Redis away the tags are kept and sent when it is back, and
   * until then no instance reads the shared tier.
   */
  async invalidate(tags: readonly string[]): Promise<void> {
    if (tags.length === 0) return;
    this.#generation++;
    this.#dropLocal(tags);
    await this.#shared?.invalidate(tags);
  }

  async close(): Promise<void> {
    this.#shared?.close();
    this.#local?.clear();
  }

  #setLocal(key: string, entry: CacheEntry): void {
    if (!this.#local) return;
    this.#local.set(key, entry, { ttl: Math.max(1, entry.expiresAt - Date.now()) });
    for (const tag of entry.tags) {
      const keys = this.#keysByTag.get(tag);
      if (keys) keys.add(key);
      else this.#keysByTag.set(tag, new Set([key]));
    }
  }

  #unindex(key: string, tags: readonly string[]): void {
    for (const tag of tags) {
      const keys = this.#keysByTag.get(tag);
      if (!keys) continue;
      keys.delete(key);
      if (keys.size === 0) this.#keysByTag.delete(tag);
    }
  }

  #dropLocal(tags: readonly string[]): void {
    if (!this.#local) return;
    for (const tag of tags) {
      const keys = this.#keysByTag.get(tag);
      if (!keys) continue;
      for (const key of [...keys]) this.#local.delete(key);
    }
  }

  #clearLocal(): void {
    this.#local?.clear();
    this.#keysByTag.clear();
  }
}

/** The Redis side: entries, tag sets, the sequence number and the subscription that follows it. */
class SharedTier {
  readonly seqKey: string;
  readonly #channel: string;
  readonly #subscriber: RedisClient;
  /** The last invalidation this instance applied to its first tier; null while not subscribed. */
  processedSeq: number | null = null;
  /** Tags invalidated while Redis was away: sent before the shared tier is read again. */
  readonly #pending = new Set<string>();
  /** First-tier hits check the sequence number together: one GET answers all that asked before it left. */
  readonly #seqReads = new RoundTripBatcher<void, number>(async (calls) => {
    const seq = Number((await this.redis.client.get(this.seqKey)) ?? 0);
    return calls.map(() => seq);
  });
  #closed = false;

  constructor(
    readonly redis: RedisConnection,
    readonly log: Logger,
    private readonly dropLocal: (tags: readonly string[]) => void,
    private readonly clearLocal: () => void,
  ) {
    this.seqKey = redis.slotKey("cache", ":seq");
    this.#channel = redis.key("cache:events");
    // A connection in subscriber mode can run nothing else, hence a second one.
    this.#subscriber = redis.duplicate();
    this.#subscriber.on("error", () => {}); // the main connection logs Redis' state; this one follows it
    this.#subscriber.on("message", (_channel: string, message: string) => this.#onMessage(message));
    this.#subscriber.on("ready", () => void this.#resync());
    // Either connection may come back first; whichever is second finds the other ready. The main one
    // coming back means Redis was away, whether or not this subscription noticed (on a cluster it may
    // have stayed on a master that lived): messages may have been missed, so start over.
    redis.onReady(() => {
      this.processedSeq = null;
      void this.#resync();
    });
    this.#subscriber.on("close", () => {
      // Messages published while away are lost: the first tier starts over once back.
      this.processedSeq = null;
    });
  }

  entryKey(key: string): string {
    return this.redis.slotKey("cache", `:e:${key}`);
  }

  tagKey(tag: string): string {
    return this.redis.slotKey("cache", `:t:${tag}`);
  }

  /** One atomic step: drops the tags' entries, bumps the sequence number, tells every instance. */
  #sendInvalidation(tags: readonly string[]): Promise<unknown> {
    return INVALIDATE.run(
      this.redis.client,
      [this.seqKey, ...tags.map((tag) => this.tagKey(tag))],
      [this.#channel, ...tags],
    );
  }

  usable(): boolean {
    return this.processedSeq !== null && this.#pending.size === 0 && this.redis.isReady();
  }

  /** Invalidations made so far, by every instance, as Redis counted them after this call was made. */
  currentSeq(): Promise<number> {
    return this.#seqReads.run();
  }

  async invalidate(tags: readonly string[]): Promise<void> {
    for (const tag of tags) this.#pending.add(tag);
    if (!this.redis.isReady()) return; // sent on reconnect
    const sending = [...this.#pending];
    try {
      const seq = Number(await this.#sendInvalidation(sending));
      for (const tag of sending) this.#pending.delete(tag);
      // Our own message is on its way; the first tier is already clean of these tags.
      if (this.processedSeq !== null && seq === this.processedSeq + 1) this.processedSeq = seq;
    } catch (error) {
      // Until it is sent, no instance may trust what Redis holds for these tags: this one stops reading
      // the shared tier (`usable`), and keeps trying.
      this.log.warn({ err: error }, "cache: could not publish an invalidation; retrying");
      this.#retryLater();
    }
  }

  #retryLater(): void {
    setTimeout(() => void this.#flushPending(), 1_000).unref();
  }

  close(): void {
    this.#closed = true;
    this.#subscriber.disconnect(false);
  }

  #onMessage(message: string): void {
    const [seqText, ...tags] = message.split(" ");
    const seq = Number(seqText);
    if (this.processedSeq === null || !Number.isFinite(seq)) return;
    this.dropLocal(tags);
    if (seq === this.processedSeq + 1) this.processedSeq = seq;
    else if (seq > this.processedSeq + 1) {
      // A message went missing (or arrived out of turn): start the first tier over.
      this.clearLocal();
      this.processedSeq = seq;
    }
  }

  async #resync(): Promise<void> {
    if (this.#closed || this.processedSeq !== null) return;
    if (this.#subscriber.status !== "ready" || !this.redis.isReady()) return;
    try {
      await this.#subscriber.subscribe(this.#channel);
      await this.#flushPending();
      const seq = Number((await this.redis.client.get(this.seqKey)) ?? 0);
      if (this.#closed || this.#pending.size > 0) return;
      this.clearLocal();
      this.processedSeq = seq;
    } catch (error) {
      // A timeout (a busy start-up) is not a reconnect: without trying again the cache would stay off.
      this.log.warn({ err: error }, "cache: could not subscribe to invalidations; retrying");
      setTimeout(() => void this.#resync(), 1_000).unref();
    }
  }

  async #flushPending(): Promise<void> {
    if (this.#closed || this.#pending.size === 0 || !this.redis.isReady()) return;
    const tags = [...this.#pending];
    try {
      await this.#sendInvalidation(tags);
      for (const tag of tags) this.#pending.delete(tag);
      this.log.info({ tags: tags.length }, "cache: sent the invalidations made while redis was away");
      void this.#resync();
    } catch (error) {
      this.log.warn({ err: error }, "cache: could not send pending invalidations; retrying");
      this.#retryLater();
    }
  }
}
