// Two gateway processes on one Redis share each caller's budget exactly: 100 parallel requests against a
// budget of 5 get 5 answers between them, never more.
import { type ChildProcess, spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { deleteKeys, redisSkipReason, redisUrl, uniqueKeyPrefix } from "../helpers/redis.js";

const title = redisSkipReason
  ? `budgets across gateway processes (skipped: ${redisSkipReason})`
  : "budgets across gateway processes";
const script = fileURLToPath(new URL("../helpers/gateway-process.ts", import.meta.url));

async function startGateway(env: Record<string, string>): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(process.execPath, ["--import", "tsx", script], {
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "inherit"],
  });
  const url = await new Promise<string>((resolve, reject) => {
    let output = "";
    const timer = setTimeout(() => reject(new Error(`gateway did not start: ${output}`)), 60_000);
    child.stdout?.on("data", (chunk: Buffer) => {
      output += chunk.toString();
      const match = /listening (\S+)/.exec(output);
      if (match?.[1]) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    });
    child.once("exit", (code) => reject(new Error(`gateway exited with ${code}: ${output}`)));
  });
  return { url, child };
}

describe.skipIf(redisSkipReason !== undefined)(title, () => {
  const keyPrefix = uniqueKeyPrefix();
  const gateways: { url: string; child: ChildProcess }[] = [];

  beforeAll(async () => {
    const env = {
      NODE_ENV: "test",
      LOG_LEVEL: "silent",
      REDIS_URL: redisUrl as string,
      REDIS_KEY_PREFIX: keyPrefix,
      RATE_LIMIT_BUDGET: "5",
      RATE_LIMIT_RESTORE_RATE: "0.001",
      QUERY_MAX_COST: "5",
      PERSISTED_OPERATIONS: "off",
    };
    gateways.push(...(await Promise.all([startGateway(env), startGateway(env)])));
  }, 90_000);

  afterAll(async () => {
    for (const { child } of gateways) child.kill("SIGTERM");
    await deleteKeys(redisUrl as string, keyPrefix);
  });

  it("admits at most the budget when 100 requests race across two processes", async () => {
    const statuses = await Promise.all(
      Array.from({ length: 100 }, (_, i) =>
        fetch(`${gateways[i % 2]?.url}/graphql`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ query: "{ __typename }" }),
        }).then((response) => response.status),
      ),
    );
    expect(statuses.filter((status) => status === 200)).toHaveLength(5);
    expect(statuses.filter((status) => status === 429)).toHaveLength(95);
  });
});
