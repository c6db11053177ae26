import { createPubSub, type PubSubEventTarget } from "@graphql-yoga/subscription";
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
type Listener = (event: CustomEvent) => void;

/**
 * With Redis, every instance hears every instance's events (Redis pub/sub); without it, this process's.
 * The pub/sub machinery (an async iterator per subscriber, listening while iterated) is yoga's; the event
 * target is ours. Compared with `@graphql-yoga/redis-event-target` and Node's EventTarget it:
 * - keeps one subscriber's failure (its iterator overflowing) from reaching the others or the process;
 * - handles the promises of PUBLISH and SUBSCRIBE (with our connection's offline queue off, a Redis outage
 *   would otherwise leave them rejected and unhandled), and delivers an event it could not publish to this
 *   instance's subscribers at least;
 * - holds one Redis subscription per topic for all of this instance's subscribers, made again on every
 *   reconnect.
 */
export function createEventBus(redis: RedisConnection | null, log: Logger): EventBus {
  const listeners = new Map<string, Set<Listener>>();
  const deliver = (topic: string, detail: unknown) => {
    const event = new CustomEvent(topic, { detail });
    for (const listener of listeners.get(topic) ?? []) {
      try {
        listener(event);
      } catch (error) {
        log.warn({ err: error, topic }, "events: a subscriber could not take an event");
      }
    }
  };
  const transport = redis ? redisTransport(redis, log, deliver) : null;

  const eventTarget: PubSubEventTarget<AnyTopics> = {
    addEventListener(topic, listener) {
      if (typeof listener !== "function") return;
      let set = listeners.get(topic);
      if (!set) {
        set = new Set();
        listeners.set(topic, set);
        transport?.listen(topic);
      }
      set.add(listener as Listener);
    },
    removeEventListener(topic, listener) {
      const set = listeners.get(topic);
      if (!set || typeof listener !== "function") return;
      set.delete(listener as Listener);
      if (set.size > 0) return;
      listeners.delete(topic);
      transport?.stopListening(topic);
    },
    dispatchEvent(event) {
      const detail = (event as CustomEvent).detail;
      if (transport) transport.publish(event.type, detail);
      // After the publisher's own continuation: a mutation's response does not wait for the fan-out.
      else setImmediate(deliver, event.type, detail);
      return true;
    },
  };
  const pubSub = createPubSub<AnyTopics>({ eventTarget });

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
    close: async () => transport?.close(),
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

function redisTransport(redis: RedisConnection, log: Logger, deliver: (topic: string, detail: unknown) => void) {
  const channelPrefix = redis.key("events:");
  const topics = new Set<string>();
  // A connection in subscriber mode can run nothing else, hence a second one.
  const subscriber = redis.duplicate();
  subscriber.on("error", () => {}); // the main connection logs Redis' state; this one follows it
  subscriber.on("message", (channel: string, message: string) => {
    if (channel.startsWith(channelPrefix)) deliver(channel.slice(channelPrefix.length), decode(message));
  });
  let closed = false;
  const subscribe = (channels: string[]) => {
    if (closed || subscriber.status !== "ready" || channels.length === 0) return; // all of them on "ready"
    subscriber.subscribe(...channels).catch((error: unknown) => {
      // A timeout (a busy start-up) is not a reconnect: try again those still listened to.
      log.warn({ err: error }, "events: could not subscribe; retrying");
      const retry = () => subscribe(channels.filter((channel) => topics.has(channel.slice(channelPrefix.length))));
      setTimeout(retry, 1_000).unref();
    });
  };
  subscriber.on("ready", () => subscribe([...topics].map((topic) => channelPrefix + topic)));

  return {
    listen(topic: string) {
      topics.add(topic);
      subscribe([channelPrefix + topic]);
    },
    stopListening(topic: string) {
      topics.delete(topic);
      if (subscriber.status === "ready") subscriber.unsubscribe(channelPrefix + topic).catch(() => {});
    },
    publish(topic: string, detail: unknown) {
      const fallBack = (error?: unknown) => {
        log.warn({ err: error, topic }, "events: redis unavailable; delivered to this instance's subscribers only");
        deliver(topic, detail);
      };
      if (!redis.isReady()) return fallBack();
      redis.client.publish(channelPrefix + topic, encode(detail)).catch(fallBack);
    },
    close() {
      closed = true;
      subscriber.disconnect(false);
    },
  };
}
