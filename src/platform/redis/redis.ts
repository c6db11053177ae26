import { createHash } from "node:crypto";
import { Cluster, Redis, type RedisOptions } from "ioredis";
import type { Logger } from "../logger/index.js";
import { parseClusterUrl } from "./cluster-url.js";

/**
 * One Redis server, or a Redis Cluster: both speak the same commands. On a cluster every command goes to
 * the master owning its key's hash slot, so the keys of one Lua script or MULTI must share a slot
 * (`RedisConnection.slotKey`).
 */
export type RedisClient = Redis | Cluster;

export type RedisSettings = Readonly<{
  /**
   * redis:// or rediss:// (TLS). For a cluster, the host list may name several seed nodes
   * (`redis://:password@10.0.0.1:6379,10.0.0.2:6379`); the others are discovered.
   */
  url: string;
  /** A Redis Cluster (default false: one server). */
  cluster?: boolean;
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
  readonly client: RedisClient;
  /** Prefixes a key with the deployment's key prefix. */
  key(name: string): string;
  /**
   * A key of a group that must live in one hash slot, because one Lua script, MGET or MULTI touches
   * several of its keys: `{<prefix><group>}<name>`, the braces being the Redis Cluster hash tag. Only
   * such groups share a slot; every other key (a caller's budget, a persisted query) hashes on its own,
   * so they spread over the cluster's masters. The same names on a single server.
   */
  slotKey(group: string, name: string): string;
  /**
   * A new connection with the same settings, for SUBSCRIBE (a connection in subscriber mode can run
   * nothing else). On a cluster, PUBLISH reaches the subscribers on every node.
   */
  duplicate(): RedisClient;
  /**
   * True when a command can be sent now. While Redis is away this is false and callers fall back at
   * once instead of each waiting for a timeout.
   */
  isReady(): boolean;
  /**
   * Calls `listener` each time the connection becomes ready (again); returns the unsubscribe. On a cluster
   * that is once the connection to every master is up, not only the cluster's own "ready".
   */
  onReady(listener: () => void): () => void;
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
  const reconnectDelay = (attempt: number) => Math.min(attempt * 100, 1_000);
  const perConnection = {
    connectTimeout: settings.connectTimeoutMs,
    commandTimeout: settings.commandTimeoutMs,
    // A command caught by a dropped connection fails instead of being replayed after the reconnect.
    maxRetriesPerRequest: 0,
    enableReadyCheck: true,
  } satisfies RedisOptions;
  const client: RedisClient = settings.cluster
    ? clusterClient(settings, perConnection, reconnectDelay)
    : new Redis(settings.url, {
        ...perConnection,
        enableOfflineQueue: false,
        retryStrategy: reconnectDelay,
        lazyConnect: false,
      });

  // Ready means every command can be sent now. One server: its connection is ready. A cluster: it knows
  // its slots and the connection to the master of every slot is up. With the offline queue off, a command
  // for a master whose connection is still opening would fail; a master that is gone (and not replaced
  // by a replica) takes its slots with it, so the cluster counts as down until it is back, as one server
  // would: budgets count per instance, fail-closed limits refuse, the cache is skipped.
  let masters: readonly string[] = [];
  const ready =
    client instanceof Cluster
      ? () => {
          if (client.status !== "ready" || masters.length === 0) return false;
          const up = new Set(
            client
              .nodes("master")
              .filter((node) => node.status === "ready")
              .map((node) => `${node.options.host}:${node.options.port}`),
          );
          return masters.every((master) => up.has(master));
        }
      : () => client.status === "ready";
  const readyListeners = new Set<() => void>();
  let announced = false;
  const checkReady = () => {
    if (!ready()) {
      announced = false;
      return;
    }
    if (announced) return;
    announced = true;
    for (const listener of [...readyListeners]) listener();
  };
  // Status changes before its event is emitted: each event re-reads the whole state.
  for (const event of ["ready", "close", "end"]) client.on(event, checkReady);
  if (client instanceof Cluster) {
    // After every refresh of the slot map (at connecting, every 5 s, and on a MOVED).
    client.on("refresh", () => {
      masters = [...new Set(client.slots.map((owners) => owners?.[0]).filter((owner) => owner !== undefined))];
      checkReady();
    });
    client.on("+node", (node: Redis) => {
      for (const event of ["ready", "close", "end"]) node.on(event, checkReady);
    });
    client.on("-node", checkReady);
  }
  const onReady = (listener: () => void) => {
    readyListeners.add(listener);
    return () => void readyListeners.delete(listener);
  };

  // Log transitions, not every failed reconnection attempt.
  let state: "starting" | RedisHealth = "starting";
  onReady(() => {
    log.info({ redis: redactUrl(settings.url) }, state === "down" ? "redis is back" : "redis connected");
    state = "up";
  });
  const onError = (error: Error) => {
    if (state === "down") return;
    state = "down";
    log.warn({ err: error, redis: redactUrl(settings.url) }, "redis unavailable; falling back where allowed");
  };
  client.on("error", onError);
  // A cluster reports a master's failures on that node; the others may still be serving.
  client.on("node error", onError);
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
    slotKey: (group, name) => `{${settings.keyPrefix}${group}}${name}`,
    // A subscriber cluster needs only its subscriber connection: its per-master connections open on use.
    duplicate: () =>
      client instanceof Cluster ? client.duplicate([], { redisOptions: { lazyConnect: true } }) : client.duplicate(),
    isReady: ready,
    onReady,
    connected(timeoutMs) {
      if (ready()) return Promise.resolve(true);
      return new Promise((resolve) => {
        const finish = (outcome: boolean) => {
          clearTimeout(timer);
          stop();
          client.off("error", fail);
          resolve(outcome);
        };
        const fail = () => finish(false);
        const stop = onReady(() => finish(true));
        const timer = setTimeout(fail, timeoutMs);
        client.on("error", fail);
      });
    },
    async health() {
      if (!ready()) return "down";
      // A cluster that lost a master without a replica to promote refuses that master's slots: asking
      // one node for the cluster's state reports it, where a PING to any node would not.
      const probe =
        client instanceof Cluster
          ? client.cluster("INFO").then((info) => {
              if (!/^cluster_state:ok\b/m.test(String(info))) throw new Error("cluster state is not ok");
            })
          : client.ping();
      return probe.then(
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

/**
 * The same promises as the single-server client: no offline queue (a command sent while the cluster is
 * not ready fails at once), each command bounded by the command timeout, reconnecting forever. A
 * command that meets a closed node connection or a cluster that is down fails instead of being retried
 * later (the callers fall back or fail closed, as with one server); MOVED and ASK redirections, which
 * cost one more round trip, are still followed.
 */
function clusterClient(
  settings: RedisSettings,
  perConnection: RedisOptions,
  reconnectDelay: (attempt: number) => number,
): Cluster {
  const { nodes, username, password, tls } = parseClusterUrl(settings.url);
  return new Cluster(nodes, {
    enableOfflineQueue: false,
    enableReadyCheck: true,
    lazyConnect: false,
    clusterRetryStrategy: reconnectDelay,
    // A master that restarts is reconnected to as one server would be (by default ioredis drops the
    // connection and waits for a MOVED that, with no replica to take over, never comes).
    clusterNodeRetryStrategy: reconnectDelay,
    // Failovers and resharding are learnt within seconds even when no command meets a MOVED (off by default).
    slotsRefreshInterval: 5_000,
    retryDelayOnFailover: 0,
    retryDelayOnClusterDown: 0,
    slotsRefreshTimeout: settings.connectTimeoutMs,
    // Each master's connection opens as soon as the cluster learns of it (isReady waits for all of them).
    redisOptions: { ...perConnection, lazyConnect: false, username, password, ...(tls ? { tls: {} } : {}) },
  });
}

function redactUrl(url: string): string {
  // The password sits between the scheme's "//" and the last "@" before the host list (a cluster URL has
  // several hosts, which URL cannot parse).
  return url.replace(/^(rediss?:\/\/[^:@/]*:)[^@/]*@/, "$1redacted@");
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

  async run(client: RedisClient, keys: readonly string[], args: readonly (string | number)[]): Promise<unknown> {
    try {
      return await client.evalsha(this.sha, keys.length, ...keys, ...args);
    } catch (error) {
      if (!(error instanceof Error) || !error.message.startsWith("NOSCRIPT")) throw error;
      return client.eval(this.lua, keys.length, ...keys, ...args);
    }
  }
}
