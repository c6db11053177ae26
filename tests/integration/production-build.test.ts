// The production path (README, "Deploying"): `npm run build`, then `npm run start:dist` runs dist/main.js with
// plain node (no tsx) on a fresh embedded database, migrating it from prisma/migrations, serves the API and
// its metrics, and stops with exit code 0 on SIGTERM to the process the supervisor started (npm's here).
// The build is the slow part (tsc over src/, 15-60 s on two busy cores), done once for the file.
import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { access, mkdtemp, rm } from "node:fs/promises";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort } from "../helpers/redis.js";

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function run(
  command: string,
  args: string[],
  env: Record<string, string> = {},
): Promise<{ code: number | null; output: string }> {
  const child = spawn(command, args, {
    cwd: process.cwd(),
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...process.env, ...env },
  });
  let output = "";
  child.stdout.on("data", (chunk: Buffer) => {
    output += chunk.toString("utf8");
  });
  child.stderr.on("data", (chunk: Buffer) => {
    output += chunk.toString("utf8");
  });
  const [code] = (await once(child, "exit")) as [number | null];
  return { code, output };
}

async function refused(port: number): Promise<boolean> {
  const probe = connect(port, "127.0.0.1");
  return new Promise((resolve) => {
    probe.once("connect", () => {
      probe.destroy();
      resolve(false);
    });
    probe.once("error", () => resolve(true));
  });
}

describe("the production build", () => {
  let dir: string;
  let child: ChildProcess | undefined;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "gw-dist-"));
    const build = await run("npm", ["run", "build", "--silent"]);
    expect(build.code, build.output).toBe(0);
  }, 300_000);

  afterAll(async () => {
    if (child?.pid && child.exitCode === null) process.kill(-child.pid, "SIGKILL");
    await rm(dir, { recursive: true, force: true });
  });

  it("compiled the generated Prisma client with the rest", async () => {
    await expect(access("dist/main.js")).resolves.toBeUndefined();
    await expect(access("dist/worker.js")).resolves.toBeUndefined();
    await expect(access("dist/generated/prisma/client.js")).resolves.toBeUndefined();
  });

  it("migrates with `npm run db:migrate:dist`, runs with `npm run start:dist`, answers, reports metrics, exits 0 on SIGTERM", async () => {
    const database = { PGLITE_DIR: join(dir, "pglite"), DATABASE_URL: "" };
    const migrated = await run("npm", ["run", "db:migrate:dist", "--silent"], { ...database, NODE_OPTIONS: "" });
    expect(migrated.code, migrated.output).toBe(0);
    expect(migrated.output).toContain("migrations applied");

    const [port, metricsPort] = [await freePort(), await freePort()];
    const gateway = spawn("npm", ["run", "start:dist", "--silent"], {
      cwd: process.cwd(),
      detached: true, // a group of its own, so afterAll can clean up whatever is left
      stdio: ["ignore", "pipe", "pipe"],
      env: {
        ...process.env,
        NODE_ENV: "development",
        HOST: "127.0.0.1",
        PORT: String(port),
        METRICS_PORT: String(metricsPort),
        LOG_LEVEL: "info",
        ...database,
        // The tables come from the migration above.
        DATABASE_MIGRATE_ON_START: "false",
        DATABASE_SEED_ON_START: "false",
        REDIS_URL: "",
        // Neither tsx nor anything else may be preloaded into the production process from outside.
        NODE_OPTIONS: "",
      },
    });
    child = gateway;
    let output = "";
    gateway.stdout?.on("data", (chunk: Buffer) => {
      output += chunk.toString("utf8");
    });
    gateway.stderr?.on("data", (chunk: Buffer) => {
      output += chunk.toString("utf8");
    });
    const exited = once(gateway, "exit").then(([code]) => code as number | null);
    for (let waited = 0; waited < 120_000 && !output.includes("GraphQL at http://"); waited += 100) {
      if (gateway.exitCode !== null) break;
      await pause(100);
    }
    expect(output).toContain("GraphQL at http://");

    const health = await fetch(`http://127.0.0.1:${port}/health`);
    expect(health.status).toBe(200);
    const answer = await fetch(`http://127.0.0.1:${port}/graphql`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ query: "query Catalog { products(first: 3) { totalCount } categories { name } }" }),
    });
    expect(answer.status).toBe(200);
    // Migrated (the tables exist), not seeded.
    expect(await answer.json()).toMatchObject({ data: { products: { totalCount: 0 }, categories: [] } });
    const metrics = await (await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).text();
    expect(metrics).toContain(
      'gateway_graphql_request_duration_seconds_count{operation="Catalog",outcome="success"} 1',
    );

    process.kill(gateway.pid ?? 0, "SIGTERM"); // npm's pid only: npm passes it on to the node it runs
    expect(await exited).toBe(0);
    expect(output).toContain('"msg":"stopped"');
    expect(await refused(port)).toBe(true);
    expect(await refused(metricsPort)).toBe(true);
  }, 180_000);
});
