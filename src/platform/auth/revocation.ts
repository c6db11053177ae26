import type { Logger } from "../logger/index.js";
import type { RedisConnection } from "../redis/index.js";
import { ACCESS_TOKEN_TTL_SECONDS, CLOCK_TOLERANCE_SECONDS } from "./tokens.js";

/**
 * How long a revoked session must stay listed: until every access token issued for it has expired.
 * A token minted just before (or, racing a refresh, just after) the revocation lives the access-token
 * lifetime and is accepted for one clock skew past its `exp`; the second skew covers the clocks of the
 * instances that stamp and expire the entry.
 */
export const REVOCATION_ENTRY_TTL_MS = (ACCESS_TOKEN_TTL_SECONDS + 2 * CLOCK_TOLERANCE_SECONDS) * 1000;

/** Sessions whose access tokens must be refused although their signature and `exp` are fine. */
export interface SessionRevocations {
  /** The hot path, run for every request with a token: one in-memory lookup, no I/O. */
  isRevoked(sessionId: string): boolean;
  /**
   * Refuses the sessions' tokens on this instance before it resolves, and on every other instance as
   * soon as Redis delivers the message. Never rejects: without Redis the entries are kept here and sent
   * when it is back.
   */
  revoke(sessionIds: readonly string[]): Promise<void>;
  /** Waits (at most `timeoutMs`) until the shared set has been loaded; true at once without Redis. */
  synced(timeoutMs: number): Promise<boolean>;
  /** Entries held in memory (expired ones are swept every minute). */
  readonly size: number;
  close(): Promise<void>;
}

export type RevocationOptions = {
  /** Default REVOCATION_ENTRY_TTL_MS. */
  entryTtlMs?: number;
  /** Default 60 s. */
  sweepIntervalMs?: number;
};

/**
 * The revocation set. Each instance holds the whole set in a Map (small: only sessions revoked in the
 * last ~16 minutes), so checking a token costs one lookup. With Redis, the set is also kept in a sorted
 * set (score: when the entry may go) that a starting or reconnecting instance loads, and new entries are
 * published on a channel every instance subscribes to. Subscribing happens before loading, so nothing
 * revoked in between is missed.
 */
export function createSessionRevocations(
  redis: RedisConnection | null,
  log: Logger,
  options: RevocationOptions = {},
): SessionRevocations {
  const entryTtlMs = options.entryTtlMs ?? REVOCATION_ENTRY_TTL_MS;
  // session id -> epoch ms after which no token of that session can still be accepted.
  const entries = new Map<string, number>();
  const remember = (sessionId: string, until: number) => {
    if ((entries.get(sessionId) ?? 0) < until) entries.set(sessionId, until);
  };
  const sweep = setInterval(() => {
    const now = Date.now();
    for (const [sessionId, until] of entries) if (until <= now) entries.delete(sessionId);
  }, options.sweepIntervalMs ?? 60_000);
  sweep.unref();

  const shared = redis ? sharedSet(redis, log, remember, entryTtlMs) : null;

  return {
    isRevoked: (sessionId) => entries.has(sessionId),
    async revoke(sessionIds) {
      if (sessionIds.length === 0) return;
      const until = Date.now() + entryTtlMs;
      for (const sessionId of sessionIds) remember(sessionId, until);
      await shared?.publish(sessionIds, until);
    },
    synced: (timeoutMs) => shared?.synced(timeoutMs) ?? Promise.resolve(true),
    get size() {
      return entries.size;
    },
    async close() {
      clearInterval(sweep);
      shared?.close();
    },
  };
}

function sharedSet(
  redis: RedisConnection,
  log: Logger,
  remember: (sessionId: string, until: number) => void,
  entryTtlMs: number,
) {
  const setKey = redis.key("revoked-sessions");
  const channel = redis.key("revoked-sessions:events");
  // Revocations Redis has not taken yet (it was down): written and published once it is back.
  const unsent = new Map<string, number>();
  // A connection in subscriber mode can run nothing else, hence a second one.
  const subscriber = redis.duplicate();
  subscriber.on("error", () => {}); // the main connection logs Redis' state; this one follows it
  let subscribed = false;
  let loaded = false;
  let closed = false;
  const waiting = new Set<() => void>();
  let retry: NodeJS.Timeout | undefined;

  subscriber.on("message", (_channel: string, message: string) => {
    // "<until> <session id> <session id> ..."
    const [until, ...sessionIds] = message.split(" ");
    const untilMs = Number(until);
    if (!Number.isFinite(untilMs)) return;
    for (const sessionId of sessionIds) if (sessionId) remember(sessionId, untilMs);
  });
  const subscribe = () => {
    if (closed || subscriber.status !== "ready") return; // "ready" subscribes again after a reconnect
    subscriber.subscribe(channel).then(
      () => {
        subscribed = true;
        void load();
      },
      (error: unknown) => {
        // A timeout (a busy start-up) is not a reconnect: without trying again nothing would.
        log.warn({ err: error }, "revocations: could not subscribe; retrying");
        setTimeout(subscribe, 1_000).unref();
      },
    );
  };
  subscriber.on("ready", subscribe);
  subscriber.on("close", () => {
    // Messages published while we are away are lost: load the whole set again once back.
    subscribed = false;
    loaded = false;
  });
  const stopOnReady = redis.onReady(() => void load());

  async function load(): Promise<void> {
    if (closed || !subscribed || !redis.isReady()) return;
    const now = Date.now();
    try {
      const pending = [...unsent];
      const batch = redis.client.multi().zremrangebyscore(setKey, "-inf", now);
      if (pending.length > 0) {
        batch.zadd(setKey, "GT", ...pending.flatMap(([sessionId, until]) => [until, sessionId]));
        for (const [sessionId, until] of pending) batch.publish(channel, `${until} ${sessionId}`);
      }
      batch.zrangebyscore(setKey, now, "+inf", "WITHSCORES").pexpire(setKey, entryTtlMs);
      const results = await batch.exec();
      const listed = results?.[pending.length > 0 ? 2 + pending.length : 1];
      if (!listed || listed[0]) throw listed?.[0] ?? new Error("transaction aborted");
      const flat = listed[1] as string[];
      for (let i = 0; i + 1 < flat.length; i += 2) remember(flat[i] as string, Number(flat[i + 1]));
      for (const [sessionId] of pending) unsent.delete(sessionId);
      loaded = true;
      for (const wake of waiting) wake();
      log.debug({ entries: flat.length / 2, sent: pending.length }, "revocations: loaded the shared set");
    } catch (error) {
      log.warn({ err: error }, "revocations: could not load the shared set; retrying");
      clearTimeout(retry);
      retry = setTimeout(() => void load(), 1_000);
      retry.unref();
    }
  }

  return {
    async publish(sessionIds: readonly string[], until: number) {
      try {
        if (!redis.isReady()) throw new Error("redis is not connected");
        const results = await redis.client
          .multi()
          .zadd(setKey, "GT", ...sessionIds.flatMap((sessionId) => [until, sessionId]))
          .pexpire(setKey, entryTtlMs)
          .publish(channel, `${until} ${sessionIds.join(" ")}`)
          .exec();
        const failed = results?.find(([error]) => error)?.[0];
        if (!results || failed) throw failed ?? new Error("transaction aborted");
      } catch (error) {
        for (const sessionId of sessionIds) unsent.set(sessionId, until);
        log.warn(
          { err: error, sessions: sessionIds.length },
          "revocations: redis unavailable; refused here now, other instances learn it when redis is back",
        );
      }
    },
    synced(timeoutMs: number): Promise<boolean> {
      if (loaded) return Promise.resolve(true);
      return new Promise((resolve) => {
        const done = (outcome: boolean) => {
          clearTimeout(timer);
          waiting.delete(wake);
          resolve(outcome);
        };
        const wake = () => done(true);
        const timer = setTimeout(() => done(false), timeoutMs);
        waiting.add(wake);
      });
    },
    close() {
      closed = true;
      clearTimeout(retry);
      stopOnReady();
      subscriber.disconnect(false);
    },
  };
}
