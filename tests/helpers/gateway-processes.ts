// Starting gateways in processes of their own (tests/helpers/gateway-process.ts), for tests that need
// several instances as a deployment runs them: sharing one Redis, behind a balancer, or killed.
import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { fileURLToPath } from "node:url";

const script = fileURLToPath(new URL("./gateway-process.ts", import.meta.url));

export type GatewayProcess = {
  /** http://127.0.0.1:<port> */
  url: string;
  child: ChildProcess;
  /** The JSON lines it logged (one per request: `requestId`, `sqlStatements`, …). */
  logs: Record<string, unknown>[];
  /** SIGTERM, and waits for the exit. */
  stop(): Promise<void>;
};

export async function startGatewayProcess(env: Record<string, string>): Promise<GatewayProcess> {
  // As `npm start` runs it (AsyncLocalStorage, which counts each request's statements, without promise hooks).
  const child = spawn(process.execPath, ["--experimental-async-context-frame", "--import", "tsx", script], {
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "inherit"],
  });
  const logs: Record<string, unknown>[] = [];
  let pending = "";
  let output = "";
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`gateway did not start: ${output}`)), 90_000);
    child.stdout?.on("data", (chunk: Buffer) => {
      pending += chunk.toString();
      const lines = pending.split("\n");
      pending = lines.pop() ?? "";
      for (const line of lines) {
        if (line.startsWith("{")) logs.push(JSON.parse(line));
        else output += `${line}\n`;
        const listening = /^listening (\S+)/.exec(line);
        if (listening?.[1]) {
          clearTimeout(timer);
          resolve(listening[1]);
        }
      }
    });
    child.once("exit", (code) => reject(new Error(`gateway exited with ${code}: ${output}`)));
  });
  return {
    url,
    child,
    logs,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill("SIGTERM");
      await once(child, "exit");
    },
  };
}
