// SIGTERM to the real gateway process (src/main.ts, and through `npm start`) while requests are in flight.
// Requests are made "in flight" the sure way: their body is still arriving when the signal lands.
import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { mkdtemp, rm } from "node:fs/promises";
import { connect, type Socket } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { freePort } from "../helpers/redis.js";

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const body = JSON.stringify({ query: "{ products(first: 3) { totalCount edges { node { name } } } }" });

type Started = { child: ChildProcess; port: number; output: () => string; exited: Promise<number | null> };
const started: Started[] = [];
const dirs: string[] = [];

/** Starts a command in a process group of its own; resolves once the gateway logs its address. */
async function startGateway(command: string, args: string[], env: Record<string, string>): Promise<Started> {
  const dir = await mkdtemp(join(tmpdir(), "gw-shutdown-"));
  dirs.push(dir);
  const port = await freePort();
  const child = spawn(command, args, {
    cwd: process.cwd(),
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
    env: {
      ...process.env,
      NODE_ENV: "development",
      HOST: "127.0.0.1",
      PORT: String(port),
      LOG_LEVEL: "info",
      PGLITE_DIR: join(dir, "pglite"),
      DATABASE_URL: "",
      DATABASE_SEED_ON_START: "false",
      REDIS_URL: "",
      ...env,
    },
  });
  let output = "";
  child.stdout?.on("data", (chunk: Buffer) => {
    output += chunk.toString("utf8");
  });
  child.stderr?.on("data", (chunk: Buffer) => {
    output += chunk.toString("utf8");
  });
  const exited = once(child, "exit").then(([code]) => code as number | null);
  const entry: Started = { child, port, output: () => output, exited };
  started.push(entry);
  for (let waited = 0; waited < 90_000; waited += 100) {
    if (output.includes("GraphQL at http://")) return entry;
    if (child.exitCode !== null) break;
    await pause(100);
  }
  throw new Error(`the gateway did not start:\n${output}`);
}

type Exchange = { socket: Socket; answer: Promise<{ text: string; endedByServer: boolean; error?: string }> };

/** Opens a keep-alive connection and sends a POST whose body stops after `sent` bytes. */
async function beginRequest(port: number, sent: number): Promise<Exchange> {
  const socket = connect(port, "127.0.0.1");
  await once(socket, "connect");
  const chunks: Buffer[] = [];
  let endedByServer = false;
  let error: string | undefined;
  socket.on("data", (chunk: Buffer) => chunks.push(chunk));
  socket.on("end", () => {
    endedByServer = true;
  });
  socket.on("error", (failure: NodeJS.ErrnoException) => {
    error = failure.code ?? failure.message;
  });
  const answer = new Promise<{ text: string; endedByServer: boolean; error?: string }>((resolve) => {
    socket.once("close", () =>
      resolve({ text: Buffer.concat(chunks).toString("utf8"), endedByServer, ...(error ? { error } : {}) }),
    );
  });
  // Expect: 100-continue makes the server say when it has the request (Node answers 100 once it parsed the
  // headers), so the request is surely in flight, not still in a socket buffer, when the signal comes.
  socket.write(
    `POST /graphql HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nConnection: keep-alive\r\n` +
      `Expect: 100-continue\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n`,
  );
  while (!Buffer.concat(chunks).toString("utf8").includes("100 Continue")) {
    if (socket.closed) throw new Error("closed before 100 Continue");
    await pause(10);
  }
  chunks.length = 0;
  socket.write(body.slice(0, sent));
  return { socket, answer };
}

/** Waits until a whole response has arrived on the exchange's connection (which stays open). */
async function waitForAnswer({ socket }: Exchange) {
  let seen = "";
  socket.on("data", (chunk: Buffer) => {
    seen += chunk.toString("utf8");
  });
  while (!/\r\n\r\n\{.*\}/s.test(seen)) await pause(10);
}

function parse(text: string) {
  const [head = "", payload = ""] = text.split("\r\n\r\n");
  return { status: Number(head.split(" ")[1]), head: head.toLowerCase(), json: payload ? JSON.parse(payload) : null };
}

afterAll(async () => {
  // The whole group, even when its leader exited: a server orphaned by its wrapper is still in it.
  for (const { child } of started) {
    try {
      if (child.pid) process.kill(-child.pid, "SIGKILL");
    } catch {
      // already gone
    }
  }
  await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })));
});

describe("shutdown of the gateway process", () => {
  it("answers requests in flight at SIGTERM (or 503 at the drain deadline), closes keep-alive connections, exits 0", async () => {
    const gateway = await startGateway(
      process.execPath,
      ["--experimental-async-context-frame", "--import", "tsx", "src/main.ts"],
      {
        SHUTDOWN_GRACE_MS: "5000",
      },
    );
    // An idle keep-alive connection: answered once, then left open by the client.
    const idle = await beginRequest(gateway.port, Buffer.byteLength(body));
    await waitForAnswer(idle);
    // Two requests whose bodies finish after the signal, and one that never finishes.
    const finishing = [await beginRequest(gateway.port, 10), await beginRequest(gateway.port, 20)];
    const stuck = await beginRequest(gateway.port, 10);
    await pause(200);

    process.kill(-(gateway.child.pid ?? 0), "SIGTERM"); // the whole process group, as an orchestrator does
    await pause(300);
    for (const [index, { socket }] of finishing.entries()) socket.write(body.slice(index === 0 ? 10 : 20));

    const answers = await Promise.all([idle, ...finishing, stuck].map((exchange) => exchange.answer));
    expect(
      answers.filter((answer) => answer.error),
      gateway.output(),
    ).toEqual([]); // no connection was reset
    for (const { answer } of finishing) {
      const { text, endedByServer, error } = await answer;
      expect(error).toBeUndefined();
      const response = parse(text);
      expect(response.status).toBe(200);
      expect(response.head).toContain("connection: close");
      expect(response.json.data.products.edges).toEqual([]);
      expect(endedByServer).toBe(true);
    }
    const cut = await stuck.answer;
    expect(cut.error).toBeUndefined();
    const refused = parse(cut.text);
    expect(refused.status).toBe(503);
    expect(refused.head).toContain("retry-after: 5");
    expect(refused.json.errors[0].extensions).toMatchObject({
      code: "SERVICE_UNAVAILABLE",
      requestId: expect.any(String),
    });

    const first = await idle.answer;
    expect(first.error).toBeUndefined();
    expect(parse(first.text).status).toBe(200);
    expect(first.endedByServer).toBe(true);

    expect(await gateway.exited).toBe(0);
    expect(gateway.output()).toContain('"msg":"stopped"');
  }, 120_000);

  it("stops when `npm start` gets SIGTERM (npm's pid only)", async () => {
    const gateway = await startGateway("npm", ["start", "--silent"], {});
    const inFlight = await beginRequest(gateway.port, 10);
    process.kill(gateway.child.pid ?? 0, "SIGTERM");
    await pause(300);
    inFlight.socket.write(body.slice(10));
    const { text, error } = await inFlight.answer;
    expect(error).toBeUndefined();
    expect(parse(text).status).toBe(200);
    await gateway.exited;
    // Nothing is left listening: npm did not leave an orphaned server behind.
    const probe = connect(gateway.port, "127.0.0.1");
    const outcome = await new Promise<string | undefined>((resolve) => {
      probe.once("connect", () => {
        probe.destroy();
        resolve("connected");
      });
      probe.once("error", (failure: NodeJS.ErrnoException) => resolve(failure.code));
    });
    expect(outcome).toBe("ECONNREFUSED");
    expect(gateway.output()).toContain('"msg":"stopped"');
  }, 120_000);
});
