// A Redis Cluster of the test's own: three masters, no replicas, each a redis-server process on loopback,
// joined by `redis-cli --cluster create`. Gated like the shared-Redis suites: they run when the environment
// names a Redis server (TEST_REDIS_URL; CI sets it and installs redis-server, which brings redis-cli), and
// are reported skipped, with the reason, otherwise or when the binaries are missing.
//
// Ports come from a band of their own (57000-57999), client and cluster-bus port both: the bus port is by
// default the client port + 10000, which for a port the OS hands out (up to 60999) would not exist.
import { type ChildProcess, execFile, spawn, spawnSync } from "node:child_process";
import { once } from "node:events";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { Redis } from "ioredis";
import { redisSkipReason } from "./redis.js";

const run = promisify(execFile);
const found = (binary: string) => spawnSync(binary, ["--version"], { stdio: "ignore" }).status === 0;
const missing = ["redis-server", "redis-cli"].filter((binary) => !found(binary));

/** Why Redis Cluster suites are skipped; undefined when they run. */
export const redisClusterSkipReason: string | undefined =
  redisSkipReason ??
  (missing.length > 0
    ? `${missing.join(" and ")} not installed (Debian: apt-get install redis-server; .ci/run installs it)`
    : undefined);

export type ClusterNodeAddress = Readonly<{ host: string; port: number }>;

export type OwnRedisCluster = {
  /** The gateway's REDIS_URL for it (with REDIS_CLUSTER=true): every master as a seed node. */
  url: string;
  /** The masters' addresses. */
  masters: readonly ClusterNodeAddress[];
  /** Keys matching `pattern`, by master (a plain connection to each node, in the order of `masters`). */
  keysByMaster(pattern: string): Promise<string[][]>;
  /** SIGKILLs master `i` (0-2), as a crash would; no replica takes over its slots. */
  kill(i: number): Promise<void>;
  /** Starts master `i` again (empty: nothing is saved) and waits until the cluster is ok again. */
  restart(i: number): Promise<void>;
  /** Stops every node and removes their files. */
  stop(): Promise<void>;
};

const BAND = { from: 57_000, to: 57_999 };

async function portFree(port: number): Promise<boolean> {
  const server = createServer();
  return new Promise((resolve) => {
    server.once("error", () => resolve(false));
    server.listen(port, "127.0.0.1", () => server.close(() => resolve(true)));
  });
}

/** `count` ports of the band nobody listens on (several suites may start clusters side by side). */
async function freePortsInBand(count: number): Promise<number[]> {
  const ports: number[] = [];
  const size = BAND.to - BAND.from + 1;
  const start = Math.floor(Math.random() * size);
  for (let i = 0; i < size && ports.length < count; i++) {
    const port = BAND.from + ((start + i) % size);
    if (await portFree(port)) ports.push(port);
  }
  if (ports.length < count) throw new Error(`fewer than ${count} free ports in ${BAND.from}-${BAND.to}`);
  return ports;
}

async function untilAnswers(port: number, child: ChildProcess, output: () => string): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    if (child.exitCode !== null) throw new Error(`redis-server on ${port} exited: ${output()}`);
    const probe = new Redis(port, "127.0.0.1", { lazyConnect: true, retryStrategy: () => null });
    probe.on("error", () => {});
    try {
      await probe.connect();
      await probe.ping();
      return;
    } catch (error) {
      if (attempt > 100) throw error;
      await new Promise((resolve) => setTimeout(resolve, 50));
    } finally {
      probe.disconnect();
    }
  }
}

async function clusterInfo(port: number): Promise<string> {
  const probe = new Redis(port, "127.0.0.1", { lazyConnect: true, retryStrategy: () => null });
  probe.on("error", () => {});
  try {
    await probe.connect();
    return String(await probe.cluster("INFO"));
  } finally {
    probe.disconnect();
  }
}

/**
 * Starts three masters, joins them (16384 slots split in three) and waits until every node says ok. Tried
 * again on other ports when a start fails: another suite may have taken a port between the check and
 * redis-server binding it.
 */
export async function startRedisCluster(): Promise<OwnRedisCluster> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await startOnce();
    } catch (error) {
      if (attempt >= 3) throw error;
    }
  }
}

async function startOnce(): Promise<OwnRedisCluster> {
  const dir = mkdtempSync(join(tmpdir(), "gw-redis-cluster-"));
  const ports = await freePortsInBand(6);
  const masters = [0, 1, 2].map((i) => ({ host: "127.0.0.1", port: ports[i] as number }));
  const children: (ChildProcess | undefined)[] = [];
  const startNode = async (i: number) => {
    const { port } = masters[i] as ClusterNodeAddress;
    let output = "";
    const child = spawn(
      "redis-server",
      [
        "--port",
        String(port),
        "--cluster-port",
        String(ports[3 + i]),
        "--bind",
        "127.0.0.1",
        "--cluster-enabled",
        "yes",
        // Kept across a restart: the node comes back knowing the cluster and its slots.
        "--cluster-config-file",
        join(dir, `nodes-${port}.conf`),
        "--cluster-node-timeout",
        "5000",
        "--dir",
        dir,
        "--save",
        "",
        "--appendonly",
        "no",
        "--loglevel",
        "warning",
      ],
      { stdio: ["ignore", "pipe", "pipe"] },
    );
    children[i] = child;
    child.stdout?.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.stderr?.on("data", (chunk: Buffer) => (output += chunk.toString()));
    await untilAnswers(port, child, () => output);
  };
  const killNode = async (i: number) => {
    const child = children[i];
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = once(child, "exit");
    child.kill("SIGKILL");
    await exited;
  };
  const killAll = () => {
    for (const child of children) if (child?.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
  };
  process.once("exit", killAll);
  const allOk = async () => {
    const deadline = Date.now() + 30_000;
    for (;;) {
      const infos = await Promise.all(masters.map(({ port }) => clusterInfo(port).catch(String)));
      if (infos.every((info) => /^cluster_state:ok\b/m.test(info) && /^cluster_known_nodes:3\b/m.test(info))) return;
      if (Date.now() > deadline) throw new Error(`the cluster did not become ok: ${infos.join("\n")}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  };
  try {
    await Promise.all(masters.map((_, i) => startNode(i)));
    // Asynchronously: the suite may be preparing its database meanwhile.
    await run("redis-cli", [
      "--cluster",
      "create",
      ...masters.map(({ host, port }) => `${host}:${port}`),
      "--cluster-replicas",
      "0",
      "--cluster-yes",
    ]).catch((error: Error & { stdout?: string; stderr?: string }) => {
      throw new Error(`redis-cli --cluster create failed: ${error.message} ${error.stdout ?? ""}${error.stderr ?? ""}`);
    });
    await allOk();
  } catch (error) {
    process.off("exit", killAll);
    killAll();
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }

  return {
    url: `redis://${masters.map(({ host, port }) => `${host}:${port}`).join(",")}`,
    masters,
    async keysByMaster(pattern) {
      return Promise.all(
        masters.map(async ({ host, port }) => {
          const node = new Redis(port, host, { lazyConnect: true, retryStrategy: () => null });
          node.on("error", () => {});
          await node.connect();
          try {
            const keys: string[] = [];
            let cursor = "0";
            do {
              const [next, batch] = await node.scan(cursor, "MATCH", pattern, "COUNT", 500);
              cursor = next;
              keys.push(...batch);
            } while (cursor !== "0");
            return keys;
          } finally {
            node.disconnect();
          }
        }),
      );
    },
    kill: killNode,
    async restart(i) {
      await startNode(i);
      await allOk();
    },
    async stop() {
      process.off("exit", killAll);
      await Promise.all(masters.map((_, i) => killNode(i)));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
