// Starts the servers under test as child processes (fork + IPC, see ipc.ts) and talks to them.
import { type ChildProcess, fork } from "node:child_process";
import { join } from "node:path";
import type { GatewayMode } from "./gateway-process.js";
import type { ChildMessage, HarnessMessage } from "./ipc.js";

export type ServerProcess = Readonly<{
  /** Label in the output. */
  name: string;
  pid: number;
  /** POST here. */
  graphqlUrl: string;
  /** SQL statements the server has sent since it started. */
  statements(): Promise<number>;
  stop(): Promise<void>;
}>;

// As `npm start` runs the gateway (tsx, the heap flags); the reference server gets the same so only the code differs.
const execArgv = [
  "--experimental-async-context-frame",
  "--heap-growing-percent=50",
  "--max-semi-space-size=16",
  "--import",
  "tsx",
];
const START_TIMEOUT_MS = 120_000;

async function startProcess(name: string, script: string, args: string[]): Promise<ServerProcess> {
  const child = fork(join(import.meta.dirname, script), args, {
    execArgv,
    // As deployed: libraries skip their development checks (graphql-js's cross-realm instanceof among them).
    env: { ...process.env, NODE_ENV: "production" },
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  const pid = child.pid;
  if (pid === undefined) throw new Error(`${name}: could not start`);
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`${name}: not ready after ${START_TIMEOUT_MS} ms`)),
      START_TIMEOUT_MS,
    );
    child.once("exit", (code) => reject(new Error(`${name}: exited with code ${code} before it was ready`)));
    child.on("message", (message: ChildMessage) => {
      if (message.type !== "ready") return;
      clearTimeout(timer);
      resolve(message.url);
    });
  }).catch((error: unknown) => {
    child.kill("SIGKILL");
    throw error;
  });

  let nextId = 0;
  const pending = new Map<number, { resolve: (count: number) => void; reject: (error: Error) => void }>();
  child.on("message", (message: ChildMessage) => {
    if (message.type !== "statements") return;
    pending.get(message.id)?.resolve(message.count);
    pending.delete(message.id);
  });
  child.once("exit", (code, signal) => {
    for (const waiting of pending.values()) waiting.reject(new Error(`${name}: exited (${signal ?? code})`));
    pending.clear();
  });
  return {
    name,
    pid,
    graphqlUrl: `${url}/graphql`,
    statements: () =>
      new Promise<number>((resolve, reject) => {
        if (!child.connected) return reject(new Error(`${name}: not running`));
        const id = nextId++;
        pending.set(id, { resolve, reject });
        child.send({ type: "statements", id } satisfies HarnessMessage);
      }),
    stop: () => stopProcess(child),
  };
}

function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const kill = setTimeout(() => child.kill("SIGKILL"), 10_000);
    child.once("exit", () => {
      clearTimeout(kill);
      resolve();
    });
    child.kill("SIGTERM");
  });
}

export const startGateway = (name: string, databaseUrl: string, mode: GatewayMode) =>
  startProcess(name, "gateway-process.ts", [databaseUrl, mode]);

export const startReference = (databaseUrl: string) => startProcess("reference", "reference-server.ts", [databaseUrl]);

/** POSTs one operation to a server; its data, or throws on errors (the bench's own requests must succeed). */
export async function postGraphQL<Data>(server: ServerProcess, body: object, token?: string): Promise<Data> {
  const response = await fetch(server.graphqlUrl, {
    method: "POST",
    headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  });
  const json = (await response.json()) as { data?: Data; errors?: unknown };
  if (!json.data || json.errors) throw new Error(`unexpected answer: ${JSON.stringify(json).slice(0, 500)}`);
  return json.data;
}
