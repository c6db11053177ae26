import type { Logger } from "../logger/index.js";
import type { RedisConnection } from "../redis/index.js";
import {
  type BucketResult,
  type BucketSettings,
  type LimitStore,
  MemoryLimitStore,
  RedisLimitStore,
  type WindowResult,
} from "./stores.js";

/** A fail-closed limit could not be checked (its shared store is away): the call must be refused. */
export class LimitStoreUnavailableError extends Error {
  constructor(cause: unknown) {
    super("the shared rate-limit store is unavailable", { cause });
    this.name = "LimitStoreUnavailableError";
  }
}

export type FailureMode = Readonly<{
  /**
   * true: when Redis is configured but away, refuse (security-critical limits, where a per-instance
   * count would multiply an attacker's allowance by the number of instances). false: count in this
   * process until Redis returns.
   */
  failClosed: boolean;
}>;

/**
 * Routes every limit to Redis when it is configured and up, and otherwise to the in-process store (or
 * to a refusal, for fail-closed limits). Redis coming back is noticed by the connection itself; the
 * next call simply goes there again.
 */
export class Limiter {
  readonly memory = new MemoryLimitStore();
  private readonly redisStore: RedisLimitStore | null;
  private lastWarning = 0;

  constructor(
    private readonly redis: RedisConnection | null,
    private readonly log: Logger,
  ) {
    this.redisStore = redis ? new RedisLimitStore(redis) : null;
  }

  takeTokens(key: string, cost: number, settings: BucketSettings, mode: FailureMode): Promise<BucketResult> {
    return this.run((store) => store.takeTokens(key, cost, settings), mode);
  }

  hitWindow(key: string, max: number, windowMs: number, mode: FailureMode): Promise<WindowResult> {
    return this.run((store) => store.hitWindow(key, max, windowMs), mode);
  }

  private async run<T>(operation: (store: LimitStore) => Promise<T>, mode: FailureMode): Promise<T> {
    if (!this.redisStore || !this.redis) return operation(this.memory);
    if (!this.redis.isReady()) {
      if (mode.failClosed) throw new LimitStoreUnavailableError(new Error(`redis is ${this.redis.client.status}`));
      return operation(this.memory);
    }
    try {
      return await operation(this.redisStore);
    } catch (error) {
      // A timeout or a connection dropped mid-command: same treatment as Redis being away.
      const now = Date.now();
      if (now - this.lastWarning > 10_000) {
        this.lastWarning = now;
        this.log.warn({ err: error }, "rate-limit store command failed; falling back where allowed");
      }
      if (mode.failClosed) throw new LimitStoreUnavailableError(error);
      return operation(this.memory);
    }
  }
}
