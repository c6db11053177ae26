import { createHash } from "node:crypto";
import { Redis } from "ioredis";
import type { Logger } from "../logger/index.js";

export type RedisSettings = Readonly<{
  url: string;
  /** Put in front of every key, so several deployments can share one Redis. */
  keyPrefix: string;
  /** How long one connection attempt may take before it counts as failed. */
  connectTimeoutMs: number;
  /** How long one command may take before it fails (the caller then falls back or fails closed). */
  commandTimeoutMs: number;
}>;

export type RedisHealth = "up" | "down";

/** The gateway's one Redis connection, with its health. */
export interface RedisConnection {
  readonly client: Redis;
  /** Prefixes a key with the deployment's key prefix. */
  key(name: string): string;
  /**
   * True when a command can be sent now. While Redis is away this is false and callers fall back at
   * once instead of each waiting for a timeout.
   */
  isReady(): boolean;
  /**
   * Waits for the first connection, at most `timeoutMs`: true when connected, false when the attempt
   * failed or took too long (the connection keeps retrying in the background either way).
   */
  connected(timeoutMs: number): Promise<boolean>;
  /** For `/ready`: answers within the command timeout. */
  health(): Promise<RedisHealth>;
  close(): Promise<void>;
}

/**
 * Connects in the background and keeps reconnecting forever (at most every second), so the gateway
 * starts and serves without Redis and picks it up again when it returns. No command ever waits for a
 * connection: with the offline queue off, a command sent while disconnected fails immediately, and
 * one sent on a live connection fails after `commandTimeoutMs`.
 */
export function connectRedis(settings: RedisSettings, log: Logger): RedisConnection {
  const client = new Redis(settings.url, {
    connectTimeout: settings.connectTimeoutMs,
    commandTimeout: settings.commandTimeoutMs,
    enableOfflineQueue: false,
    // A command caught by a dropped connection fails instead of being replayed after the reconnect.
    maxRetriesPerRequest: 0,
    retryStrategy: (attempt) => Math.min(attempt * 100, 1_000),
    enableReadyCheck: true,
    lazyConnect: false,
  });

  // Log transitions, not every failed reconnection attempt.
  let state: "starting" | RedisHealth = "starting";
  client.on("ready", () => {
    log.info({ redis: redactUrl(settings.url) }, state === "down" ? "redis is back" : "redis connected");
    state = "up";
  });
  client.on("error", (error: Error) => {
    if (state === "down") return;
    state = "down";
    log.warn({ err: error, redis: redactUrl(settings.url) }, "redis unavailable; falling back where allowed");
  });
  let closing = false;
  client.on("close", () => {
    if (state === "up" && !closing) {
      state = "down";
      log.warn({ redis: redactUrl(settings.url) }, "redis connection lost; reconnecting");
    }
  });

  return {
    client,
    key: (name) => `${settings.keyPrefix}${name}`,
    isReady: () => client.status === "ready",
    connected(timeoutMs) {
      if (client.status === "ready") return Promise.resolve(true);
      return new Promise((resolve) => {
        const finish = (outcome: boolean) => {
          clearTimeout(timer);
          client.off("ready", onReady);
          client.off("error", onError);
          resolve(outcome);
        };
        const onReady = () => finish(true);
        const onError = () => finish(false);
        const timer = setTimeout(onError, timeoutMs);
        client.on("ready", onReady);
        client.on("error", onError);
      });
    },
    async health() {
      if (client.status !== "ready") return "down";
      return client.ping().then(
        () => "up" as const,
        () => "down" as const,
      );
    },
    async close() {
      closing = true;
      client.disconnect(false);
    },
  };
}

function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = "redacted";
    return parsed.toString();
  } catch {
    return "redis";
  }
}

/**
 * A Lua script run with EVALSHA (the script travels once per connection, not with every call), falling
 * back to EVAL when the server does not know it yet (after a restart or failover).
 */
export class RedisScript {
  private readonly sha: string;

  constructor(private readonly lua: string) {
    this.sha = createHash("sha1").update(lua).digest("hex");
  }

  async run(client: Redis, keys: readonly string[], args: readonly (string | number)[]): Promise<unknown> {
    try {
      return await client.evalsha(this.sha, keys.length, ...keys, ...args);
    } catch (error) {
      if (!(error instanceof Error) || !error.message.startsWith("NOSCRIPT")) throw error;
      return client.eval(this.lua, keys.length, ...keys, ...args);
    }
  }
}
