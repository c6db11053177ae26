import { createPubSub, type PubSubEventTarget } from "@graphql-yoga/subscription";
import type { Redis } from "ioredis";
import type { Logger } from "../logger/index.js";
import type { RedisConnection } from "../redis/index.js";

/**
 * Events that happened, for subscribers: published by services after their transaction committed, heard
 * by every instance's subscribers. `subscribe` yields each event published on the topic from then on and
 * stops listening when the iteration ends (`return()`).
 */
export interface EventBus {
  publish(topic: string, payload: object): void;
  subscribe(topic: string): AsyncIterableIterator<unknown>;
  /** Subscribers listening on this instance now. */
  readonly subscribers: number;
  close(): Promise<void>;
}

// The yoga pub/sub's event types are keyed by topic; ours are open-ended, so one loose signature.
type AnyTopics = Record<string, [object]>;

/**
 * With Redis, every instance hears every instance's events (Redis pub/sub); without it, this process's.
 * The pub/sub machinery (an async iterator per subscriber, listening while iterated) is yoga's; only the
 * event target is ours: one Redis subscription per topic for all of this instance's subscribers.
 */
export function createEventBus(redis: RedisConnection | null, log: Logger): EventBus {
  const target = redis ? redisEventTarget(redis, log) : null;
  const pubSub = createPubSub<AnyTopics>(target ? { eventTarget: target.eventTarget } : {});
  let subscribers = 0;
  return {
    publish: (topic, payload) => pubSub.publish(topic, payload),
    subscribe(topic) {
      const events = pubSub.subscribe(topic);
      subscribers++;
      let ended = false;
      const end = events.return.bind(events);
      events.return = (value?: unknown) => {
        if (!ended) subscribers--;
        ended = true;
        return end(value);
      };
      return events;
    },
    get subscribers() {
      return subscribers;
    },
    close: async () => target?.close(),
  };
}

/** Dates survive the trip through Redis as `{ "$date": epochMs }` (JSON alone would turn them into strings). */
function encode(payload: unknown): string {
  return JSON.stringify(payload, function (this: Record<string, unknown>, key, value) {
    const raw = this[key];
    return raw instanceof Date ? { $date: raw.getTime() } : value;
  });
}

function decode(message: string): unknown {
  return JSON.parse(message, (_key, value) =>
    value !== null && typeof value === "object" && typeof value.$date === "number" && Object.keys(value).length === 1
      ? new Date(value.$date)
      : value,
  );
}

/**
 * Like `@graphql-yoga/redis-event-target`, which cannot be used as is: it leaves the promises of
 * PUBLISH and SUBSCRIBE unhandled (with our connection's offline queue off, a Redis outage would crash
 * the process), and it would lose events published while Redis is away. Here such an event is delivered
 * to this instance's subscribers at least, and logged; subscriptions are made again on every reconnect.
 */
function redisEventTarget(redis: RedisConnection, log: Logger) {
  const channelPrefix = redis.key("events:");
  type Listener = (event: CustomEvent) => void;
  const listeners = new Map<string, Set<Listener>>();
  // A connection in subscriber mode can run nothing else, hence a second one.
  const subscriber: Redis = redis.client.duplicate();
  subscriber.on("error", () => {}); // the main connection logs Redis' state; this one follows it
  const deliver = (topic: string, detail: unknown) => {
    const event = new CustomEvent(topic, { detail });
    for (const listener of listeners.get(topic) ?? []) listener(event);
  };
  subscriber.on("message", (channel: string, message: string) => {
    if (!channel.startsWith(channelPrefix)) return;
    deliver(channel.slice(channelPrefix.length), decode(message));
  });
  const subscribeChannel = (topic: string) => {
    if (subscriber.status !== "ready") return; // done for all topics once ready
    subscriber.subscribe(channelPrefix + topic).catch((error: unknown) => {
      log.warn({ err: error, topic }, "events: could not subscribe; retrying on reconnect");
    });
  };
  subscriber.on("ready", () => {
    // Nothing is resubscribed by ioredis itself when the subscription never went through.
    if (listeners.size > 0) {
      subscriber.subscribe(...[...listeners.keys()].map((topic) => channelPrefix + topic)).catch((error: unknown) => {
        log.warn({ err: error }, "events: could not subscribe after reconnecting");
      });
    }
  });

  const eventTarget: PubSubEventTarget<AnyTopics> = {
    addEventListener(topic, callback) {
      if (!callback) return;
      const listener = ("handleEvent" in callback ? callback.handleEvent.bind(callback) : callback) as Listener;
      let set = listeners.get(topic);
      if (!set) {
        set = new Set();
        listeners.set(topic, set);
        subscribeChannel(topic);
      }
      set.add(listener);
    },
    removeEventListener(topic, callback) {
      if (!callback) return;
      const set = listeners.get(topic);
      if (!set) return;
      for (const listener of set) {
        if (listener === callback || (listener as { name?: string }).name === "bound handleEvent") set.delete(listener);
      }
      if (set.size > 0) return;
      listeners.delete(topic);
      if (subscriber.status === "ready") subscriber.unsubscribe(channelPrefix + topic).catch(() => {});
    },
    dispatchEvent(event) {
      const topic = event.type;
      const detail = (event as CustomEvent).detail;
      if (!redis.isReady()) {
        log.warn({ topic }, "events: redis unavailable; delivered to this instance's subscribers only");
        deliver(topic, detail);
        return true;
      }
      redis.client.publish(channelPrefix + topic, encode(detail)).catch((error: unknown) => {
        log.warn({ err: error, topic }, "events: could not publish; delivered to this instance's subscribers only");
        deliver(topic, detail);
      });
      return true;
    },
  };
  return {
    eventTarget,
    close() {
      subscriber.disconnect(false);
    },
  };
}
