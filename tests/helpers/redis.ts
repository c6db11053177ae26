// Redis for tests.
//
//   shared   the server named by TEST_REDIS_URL (CI starts one): suites that need it are reported skipped,
//            with the reason, when it is not set. Tests isolate themselves with a unique key prefix and
//            delete their keys afterwards; they never stop or flush that server.
//   own      a redis-server process a test starts (and may kill and restart) on a free port: needs the
//            `redis-server` binary; suites are reported skipped, with the reason, without it.
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { randomUUID } from "node:crypto";
import { once } from "node:events";
import { createServer } from "node:net";
import { Redis } from "ioredis";

export const redisUrl: string | undefined = process.env.TEST_REDIS_URL || undefined;

/** Why shared-Redis suites are skipped; undefined when they run. */
export const redisSkipReason: string | undefined = redisUrl
  ? undefined
  : "TEST_REDIS_URL is not set (e.g. redis://127.0.0.1:6379)";

const binaryFound = spawnSync("redis-server", ["--version"], { stdio: "ignore" }).status === 0;

/** Why suites that run their own redis-server are skipped; undefined when they run. */
export const redisServerSkipReason: string | undefined = binaryFound
  ? undefined
  : "the redis-server binary is not installed (Debian: apt-get install redis-server)";

/** A key prefix no other test (or test run) uses. */
export const uniqueKeyPrefix = () => `gwtest:${process.pid}:${randomUUID().slice(0, 8)}:`;

/**
 * Deletes every key under a prefix (the test's own), on the shared server: `<prefix>…`, and the groups kept
 * in one hash slot, `{<prefix>…}…` (RedisConnection.slotKey).
 */
export async function deleteKeys(url: string, prefix: string): Promise<void> {
  const client = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 1 });
  client.on("error", () => {});
  await client.connect();
  try {
    for (const pattern of [`${prefix}*`, `{${prefix}*`]) {
      let cursor = "0";
      do {
        const [next, keys] = await client.scan(cursor, "MATCH", pattern, "COUNT", 500);
        cursor = next;
        if (keys.length > 0) await client.del(...keys);
      } while (cursor !== "0");
    }
  } finally {
    client.disconnect();
  }
}

export async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const address = server.address();
  server.close();
  if (!address || typeof address === "string") throw new Error("no port");
  return address.port;
}

export type OwnRedis = {
  url: string;
  /** SIGKILL, as a crash would. */
  kill(): Promise<void>;
  /** Starts again on the same port (empty: nothing is saved). */
  start(): Promise<void>;
  /** SIGSTOP: connections stay open but nothing answers (a hung server). */
  freeze(): void;
  /** SIGCONT after freeze. */
  thaw(): void;
};

/** A redis-server of the test's own, on a free loopback port, killed when the test process ends. */
export async function startOwnRedis(): Promise<OwnRedis> {
  const port = await freePort();
  let child: ChildProcess | undefined;
  const start = async () => {
    child = spawn(
      "redis-server",
      ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--loglevel", "warning"],
      { stdio: "ignore" },
    );
    const probe = new Redis(port, "127.0.0.1", { lazyConnect: true, retryStrategy: () => null });
    probe.on("error", () => {}); // connect() rejects too; retried below
    for (let attempt = 0; ; attempt++) {
      try {
        await probe.connect();
        await probe.ping();
        probe.disconnect();
        return;
      } catch (error) {
        probe.disconnect();
        if (attempt > 100) throw error;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    }
  };
  const kill = async () => {
    if (!child || child.exitCode !== null) return;
    const exited = once(child, "exit");
    child.kill("SIGKILL");
    await exited;
  };
  process.once("exit", () => child?.kill("SIGKILL"));
  await start();
  return {
    url: `redis://127.0.0.1:${port}`,
    kill,
    start,
    freeze: () => child?.kill("SIGSTOP"),
    thaw: () => child?.kill("SIGCONT"),
  };
}
