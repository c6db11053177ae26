// A throw-away PostgreSQL cluster of the test's own (never the shared TEST_DATABASE_URL server), for tests
// that stop and restart the database under a running gateway. Needs the server binaries (Debian's
// `postgresql` package puts initdb and pg_ctl in /usr/lib/postgresql/<version>/bin); suites are reported
// skipped, with the reason, without them. PostgreSQL refuses to run as root, so as root the cluster
// belongs to the `postgres` user and its commands run through runuser.
import { execFile, spawnSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { chmod, chown, mkdtemp, rm } from "node:fs/promises";
import { tmpdir, userInfo } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { freePort } from "./redis.js";

const run = promisify(execFile);

function findBinDir(): string | undefined {
  const root = "/usr/lib/postgresql";
  if (!existsSync(root)) return undefined;
  const versions = readdirSync(root)
    .filter(
      (version) => existsSync(join(root, version, "bin", "pg_ctl")) && existsSync(join(root, version, "bin", "initdb")),
    )
    .sort((a, b) => Number(b) - Number(a));
  return versions[0] ? join(root, versions[0], "bin") : undefined;
}

const binDir = findBinDir();
const asRoot = userInfo().uid === 0;
const postgresUser = asRoot ? lookupUid("postgres") : undefined;

function lookupUid(name: string): { uid: number; gid: number } | undefined {
  try {
    const line = readFileSync("/etc/passwd", "utf8")
      .split("\n")
      .find((entry: string) => entry.startsWith(`${name}:`));
    if (!line) return undefined;
    const [, , uid, gid] = line.split(":");
    return { uid: Number(uid), gid: Number(gid) };
  } catch {
    return undefined;
  }
}

/** Why suites that run their own PostgreSQL are skipped; undefined when they run. */
export const postgresServerSkipReason: string | undefined = !binDir
  ? "no PostgreSQL server binaries in /usr/lib/postgresql/*/bin (Debian: apt-get install postgresql)"
  : asRoot && !postgresUser
    ? "running as root and there is no `postgres` user to own the cluster"
    : undefined;

export type OwnPostgres = {
  /** Superuser `postgres`, no password, database `postgres`. */
  url: string;
  /** Stops the server. `fast` ends sessions with 57P01 (admin shutdown), as a restart does. */
  stop(mode?: "fast" | "immediate"): Promise<void>;
  /** Starts it again on the same port, with the same data. */
  start(): Promise<void>;
  /** Stops it and deletes its files. */
  destroy(): Promise<void>;
};

async function pg(command: string, args: string[]): Promise<void> {
  const binary = join(binDir ?? "", command);
  if (asRoot) await run("runuser", ["-u", "postgres", "--", binary, ...args]);
  else await run(binary, args);
}

/** initdb + pg_ctl start on a free loopback port: about a second. */
export async function startOwnPostgres(): Promise<OwnPostgres> {
  if (postgresServerSkipReason) throw new Error(postgresServerSkipReason);
  const { dir, data, port } = await clusterFolder();
  await pg("initdb", ["-D", data, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-sync", "--no-instructions"]);
  return runCluster(dir, data, port, "");
}

/**
 * A streaming replica of a cluster started by `startOwnPostgres` (pg_basebackup, then hot standby), whose
 * replay of each commit waits `applyDelayMs` (`recovery_min_apply_delay`): a replica lagging that much.
 */
export async function startOwnReplica(primaryUrl: string, options: { applyDelayMs: number }): Promise<OwnPostgres> {
  if (postgresServerSkipReason) throw new Error(postgresServerSkipReason);
  const primary = new URL(primaryUrl);
  const { dir, data, port } = await clusterFolder();
  await pg("pg_basebackup", [
    "-h",
    primary.hostname,
    "-p",
    primary.port,
    "-U",
    "postgres",
    "-D",
    data,
    "-R",
    "-X",
    "stream",
  ]);
  return runCluster(dir, data, port, `-c hot_standby=on -c recovery_min_apply_delay=${options.applyDelayMs}ms`);
}

async function clusterFolder() {
  const dir = await mkdtemp(join(tmpdir(), "gw-own-pg-"));
  if (postgresUser) await chown(dir, postgresUser.uid, postgresUser.gid);
  await chmod(dir, 0o700);
  return { dir, data: join(dir, "data"), port: await freePort() };
}

async function runCluster(dir: string, data: string, port: number, extraOptions: string): Promise<OwnPostgres> {
  const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off ${extraOptions}`;
  let running = false;
  const start = async () => {
    await pg("pg_ctl", ["start", "-D", data, "-w", "-t", "30", "-l", join(dir, "log"), "-o", options]);
    running = true;
  };
  const stop = async (mode: "fast" | "immediate" = "fast") => {
    if (!running) return;
    await pg("pg_ctl", ["stop", "-D", data, "-w", "-t", "30", "-m", mode]);
    running = false;
  };
  // A test process that dies mid-suite must not leave a server running.
  process.once("exit", () => {
    if (running) {
      spawnSync(asRoot ? "runuser" : join(binDir ?? "", "pg_ctl"), [
        ...(asRoot ? ["-u", "postgres", "--", join(binDir ?? "", "pg_ctl")] : []),
        "stop",
        "-D",
        data,
        "-m",
        "immediate",
      ]);
    }
  });
  await start();
  return {
    url: `postgresql://postgres@127.0.0.1:${port}/postgres`,
    stop,
    start,
    async destroy() {
      await stop("immediate").catch(() => {});
      await rm(dir, { recursive: true, force: true });
    },
  };
}
