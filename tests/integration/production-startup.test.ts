// `npm start` in production: refuses the embedded database and demo seeding unless DEMO_MODE says it is a
// demo, and then the demo accounts open with random passwords (logged once), never the README's.
// Runs src/main.ts in a process of its own, configured by the environment as a deployment would be.
import { type ChildProcess, spawn } from "node:child_process";
import { generateKeyPairSync, randomUUID } from "node:crypto";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { SEED_ACCOUNTS, SEED_PASSWORD } from "../../src/seed/index.js";
import { backends, postgresUrl } from "../helpers/database.js";
import { freePort } from "../helpers/redis.js";

const key = generateKeyPairSync("ed25519").privateKey.export({ type: "pkcs8", format: "pem" }).toString();
const scratch = mkdtempSync(join(tmpdir(), "gw-startup-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

type Run = { child: ChildProcess; lines: Record<string, unknown>[]; exit: Promise<number | null> };

function startMain(env: Record<string, string>): Run {
  const child = spawn(process.execPath, ["--experimental-async-context-frame", "--import", "tsx", "src/main.ts"], {
    // Only what a deployment would set: nothing inherited from the test run's own configuration.
    env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", LOG_LEVEL: "info", HOST: "127.0.0.1", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const lines: Record<string, unknown>[] = [];
  let rest = "";
  child.stdout?.on("data", (chunk: Buffer) => {
    const text = rest + chunk.toString();
    const parts = text.split("\n");
    rest = parts.pop() ?? "";
    for (const line of parts) {
      try {
        lines.push(JSON.parse(line));
      } catch {
        lines.push({ msg: line });
      }
    }
  });
  child.stderr?.on("data", () => {});
  const exit = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  return { child, lines, exit };
}

async function untilListening(run: Run): Promise<void> {
  for (let waited = 0; waited < 240; waited++) {
    if (run.lines.some((line) => String(line.msg).startsWith("GraphQL at"))) return;
    if (run.child.exitCode !== null) throw new Error(`exited: ${JSON.stringify(run.lines.slice(-3))}`);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  throw new Error("never listened");
}

async function stop(run: Run): Promise<void> {
  if (run.child.exitCode === null) run.child.kill("SIGTERM");
  await run.exit;
}

async function loginCode(port: number, email: string, password: string): Promise<string> {
  const response = await fetch(`http://127.0.0.1:${port}/graphql`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({
      query: "mutation($input: LoginInput!) { login(input: $input) { accessToken userErrors { code } } }",
      variables: { input: { email, password } },
    }),
  });
  const body = (await response.json()) as {
    data?: { login: { accessToken: string | null; userErrors: { code: string }[] } };
  };
  return body.data?.login.accessToken ? "signed in" : (body.data?.login.userErrors[0]?.code ?? JSON.stringify(body));
}

/** A fresh database on the test server, and its URL; dropped by the returned function. */
async function scratchDatabase(): Promise<{ url: string; drop: () => Promise<void> }> {
  const admin = postgresUrl as string;
  const name = `gw_test_${process.pid}_${randomUUID().slice(0, 8)}`;
  const run = async (sql: string) => {
    const client = new pg.Client({ connectionString: admin });
    await client.connect();
    try {
      await client.query(sql);
    } finally {
      await client.end();
    }
  };
  await run(`CREATE DATABASE "${name}"`);
  const url = new URL(admin);
  url.pathname = `/${name}`;
  return { url: url.toString(), drop: () => run(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`) };
}

describe("production start-up", () => {
  it("refuses to start without DATABASE_URL and creates no embedded database", async () => {
    const pgliteDir = join(scratch, "refused");
    const run = startMain({ NODE_ENV: "production", JWT_PRIVATE_KEY: key, PGLITE_DIR: pgliteDir, PORT: "0" });
    const code = await Promise.race([run.exit, new Promise<"running">((r) => setTimeout(() => r("running"), 60_000))]);
    await stop(run);
    expect(code).toBe(1);
    const fatal = run.lines.find((line) => line.level === "fatal" || line.level === 60);
    expect(JSON.stringify(fatal?.problems)).toContain("DATABASE_URL: required in production");
    expect(existsSync(pgliteDir)).toBe(false);
  }, 90_000);
});

for (const backend of backends) {
  describe.skipIf(backend.skip)(`production start-up (${backend.name})`, () => {
    const database = async (): Promise<{ env: Record<string, string>; drop: () => Promise<void> }> => {
      if (backend.kind === "pglite") {
        return { env: { PGLITE_DIR: join(scratch, randomUUID()) }, drop: async () => {} };
      }
      const db = await scratchDatabase();
      return { env: { DATABASE_URL: db.url, DATABASE_MIGRATE_ON_START: "true" }, drop: db.drop };
    };

    it("refuses DATABASE_SEED_ON_START without DEMO_MODE", async () => {
      const db = await database();
      try {
        const env = { NODE_ENV: "production", JWT_PRIVATE_KEY: key, DATABASE_SEED_ON_START: "true", PORT: "0" };
        const run = startMain({ ...env, ...db.env });
        const code = await Promise.race([
          run.exit,
          new Promise<"running">((r) => setTimeout(() => r("running"), 60_000)),
        ]);
        await stop(run);
        expect(code).toBe(1);
        const fatal = run.lines.find((line) => line.level === "fatal" || line.level === 60);
        expect(JSON.stringify(fatal?.problems)).toContain("DATABASE_SEED_ON_START: demo data is never seeded");
      } finally {
        await db.drop();
      }
    }, 90_000);

    it("with DEMO_MODE seeds the demo accounts with random passwords, logged once, not the README's", async () => {
      const db = await database();
      const port = await freePort();
      const run = startMain({
        NODE_ENV: "production",
        DEMO_MODE: "true",
        JWT_PRIVATE_KEY: key,
        DATABASE_SEED_ON_START: "true",
        SEED_SCALE: "0.02",
        PORT: String(port),
        ...db.env,
      });
      try {
        await untilListening(run);
        const shown = run.lines.filter((line) => line.demoAccounts !== undefined);
        expect(shown).toHaveLength(1);
        const passwords = shown[0]?.demoAccounts as Record<string, string>;
        const { admin, alice } = SEED_ACCOUNTS;
        expect(Object.keys(passwords).sort()).toEqual(
          Object.values(SEED_ACCOUNTS)
            .map((a) => a.email)
            .sort(),
        );
        expect(new Set(Object.values(passwords)).size).toBe(3);

        expect(await loginCode(port, admin.email, SEED_PASSWORD)).toBe("INVALID_CREDENTIALS");
        expect(await loginCode(port, alice.email, SEED_PASSWORD)).toBe("INVALID_CREDENTIALS");
        expect(await loginCode(port, admin.email, passwords[admin.email] as string)).toBe("signed in");
      } finally {
        await stop(run);
        await db.drop();
      }
    }, 180_000);
  });
}
