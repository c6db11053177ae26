import type { ApolloServerPlugin } from "@apollo/server";
import { LRUCache } from "lru-cache";
import type { Logger } from "../logger/index.js";
import type { RedisConnection } from "../redis/index.js";

/** Where a request's reads go: the primary, or (queries only) the streaming replica. */
export type ReadTarget = "primary" | "replica";

/** What the routing reads and sets on a request's context. */
export type ReadRoutingContext = { readFrom: ReadTarget; limits: { caller: { key: string } } };

/**
 * Callers who wrote in the last `windowMs`: their reads stay on the primary, so a replica that lags
 * never shows them the state before their own write (read-your-writes). With Redis the mark is shared,
 * so the next read may land on any instance; without it each instance knows only its own writes.
 */
export class RecentWrites {
  readonly #local: LRUCache<string, true>;

  constructor(
    private readonly redis: RedisConnection | null,
    private readonly windowMs: number,
    private readonly log: Logger,
  ) {
    this.#local = new LRUCache({ max: 100_000, ttl: Math.max(1, windowMs) });
  }

  async noteWrite(caller: string): Promise<void> {
    this.#local.set(caller, true);
    if (!this.redis?.isReady()) return;
    await this.redis.client
      .set(this.redis.key(`wrote:${caller}`), "1", "PX", Math.max(1, this.windowMs))
      .catch((error: unknown) => this.log.warn({ err: error }, "read-your-writes: could not share a write mark"));
  }

  /** True when in doubt (Redis configured but not answering): the primary is never wrong. */
  async wroteRecently(caller: string): Promise<boolean> {
    if (this.#local.has(caller)) return true;
    if (!this.redis) return false;
    if (!this.redis.isReady()) return true;
    return this.redis.client.exists(this.redis.key(`wrote:${caller}`)).then(
      (found) => found > 0,
      () => true,
    );
  }
}

/**
 * Sends the reads of a query to the replica unless its caller wrote within the window; mutations (and
 * everything else) stay on the primary, and mark their caller as having written before their response
 * leaves. Decided once the operation is known, before any resolver reads.
 */
export function readRoutingPlugin(recent: RecentWrites): ApolloServerPlugin<ReadRoutingContext> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ operation, contextValue }) {
          if (operation?.operation !== "query") return;
          if (!(await recent.wroteRecently(contextValue.limits.caller.key))) contextValue.readFrom = "replica";
        },
        async willSendResponse({ operation, contextValue }) {
          if (operation?.operation === "mutation") await recent.noteWrite(contextValue.limits.caller.key);
        },
      };
    },
  };
}
