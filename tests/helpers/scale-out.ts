// The engines of a scaled-out deployment, on loopback, from Debian's packages (.ci/run installs them):
// PgBouncer in transaction mode in front of PostgreSQL, and HAProxy in front of several gateways.
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { once } from "node:events";
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort } from "./redis.js";

const found = (binary: string, flag: string) => spawnSync(binary, [flag], { stdio: "ignore" }).status === 0;
const missing = [
  ...(found("pgbouncer", "--version") ? [] : ["pgbouncer"]),
  ...(found("haproxy", "-v") ? [] : ["haproxy"]),
];
/** Why the scale-out tests cannot run here; undefined when they can. */
export const scaleOutSkipReason: string | undefined =
  missing.length > 0 ? `${missing.join(" and ")} not installed (Debian packages; .ci/run installs them)` : undefined;

export type Engine = { port: number; stop(): Promise<void> };

async function listening(port: number, child: ChildProcess, name: string, log: () => string): Promise<void> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${name} exited with ${child.exitCode}: ${log()}`);
    const open = await new Promise<boolean>((resolve) => {
      const socket = connect(port, "127.0.0.1");
      socket.once("connect", () => resolve(socket.end() && true));
      socket.once("error", () => resolve(false));
    });
    if (open) return;
    if (Date.now() > deadline) throw new Error(`${name} did not listen on ${port}: ${log()}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

function engine(name: string, command: string, args: string[], port: number, dir: string): Promise<Engine> {
  let output = "";
  const child = spawn(command, args, { stdio: ["ignore", "pipe", "pipe"] });
  child.stdout?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  return listening(port, child, name, () => output).then(() => ({
    port,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill("SIGTERM");
        await once(child, "exit");
      }
      rmSync(dir, { recursive: true, force: true });
    },
  }));
}

/**
 * PgBouncer in transaction mode in front of the PostgreSQL server at `serverUrl`, any database name passed
 * through. PgBouncer refuses to run as root, so under root (CI) it runs as the `postgres` user.
 */
export async function startPgBouncer(serverUrl: string): Promise<Engine> {
  const server = new URL(serverUrl);
  const dir = mkdtempSync(join(tmpdir(), "gw-pgbouncer-"));
  chmodSync(dir, 0o777);
  const port = await freePort();
  const user = decodeURIComponent(server.username || "postgres");
  writeFileSync(join(dir, "users.txt"), `"${user}" ""\n`);
  writeFileSync(
    join(dir, "pgbouncer.ini"),
    [
      "[databases]",
      `* = host=${server.hostname} port=${server.port || 5432}`,
      "[pgbouncer]",
      "listen_addr = 127.0.0.1",
      `listen_port = ${port}`,
      "unix_socket_dir =",
      "auth_type = trust",
      `auth_file = ${join(dir, "users.txt")}`,
      "pool_mode = transaction",
      "max_client_conn = 1000",
      "default_pool_size = 20",
      // What node-postgres sends on connecting; PgBouncer refuses unknown startup parameters.
      "ignore_startup_parameters = extra_float_digits,options",
      `pidfile = ${join(dir, "pgbouncer.pid")}`,
    ].join("\n") + "\n",
  );
  for (const file of ["users.txt", "pgbouncer.ini"]) chmodSync(join(dir, file), 0o644);
  const asRoot = process.getuid?.() === 0;
  return engine(
    "pgbouncer",
    "pgbouncer",
    [...(asRoot ? ["-u", "postgres"] : []), join(dir, "pgbouncer.ini")],
    port,
    dir,
  );
}

/**
 * HAProxy balancing round-robin over `backends` (http://127.0.0.1:<port> each), taking an instance out
 * after two failed `/ready` checks 300 ms apart (each given 2 s: three gateways on two cores are slow at times). A request is retried on another instance only when it
 * could not be sent (connection refused): a mutation the dead instance may have run is never replayed.
 */
export async function startHaproxy(backends: readonly string[]): Promise<Engine> {
  const dir = mkdtempSync(join(tmpdir(), "gw-haproxy-"));
  const port = await freePort();
  writeFileSync(
    join(dir, "haproxy.cfg"),
    [
      "global",
      "  maxconn 4000",
      "defaults",
      "  mode http",
      "  timeout connect 1s",
      "  timeout client 60s",
      "  timeout server 60s",
      "  timeout tunnel 1h",
      "  timeout check 2s",
      "  option redispatch",
      "  retries 3",
      "  retry-on conn-failure",
      "frontend gateway",
      `  bind 127.0.0.1:${port}`,
      "  default_backend gateways",
      "backend gateways",
      "  balance roundrobin",
      "  option httpchk GET /ready",
      "  http-check expect status 200",
      "  default-server inter 300ms fall 2 rise 1",
      ...backends.map((backend, i) => `  server gateway${i + 1} ${new URL(backend).host} check`),
    ].join("\n") + "\n",
  );
  return engine("haproxy", "haproxy", ["-db", "-f", join(dir, "haproxy.cfg")], port, dir);
}
