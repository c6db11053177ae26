// Workers in processes of their own, on a PostgreSQL server (PGlite lives in one process): a gateway killed
// in the middle of a delivery leaves its job to be run again by the worker process (`npm run worker`) once
// the job's timeout passes, and the mail arrives; a worker stopped with SIGTERM fails (so releases) the job
// it could not finish rather than leaving it "active".
import { type ChildProcess, spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { pino } from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config/index.js";
import { jobKinds } from "../../src/jobs.js";
import { passwordResetMail } from "../../src/modules/account/account.mail.js";
import { inTransaction } from "../../src/platform/db/transaction.js";
import { type JobQueue, startJobQueue } from "../../src/platform/jobs/index.js";
import { createOutbox } from "../../src/platform/mail/index.js";
import { createStorage } from "../../src/platform/storage/index.js";
import { seedDatabase } from "../../src/seed/index.js";
import { createTestDatabase, postgresSkipReason, type TestDatabase } from "../helpers/database.js";
import { eventually, startSmtp, type TestSmtp } from "../helpers/smtp.js";

const root = fileURLToPath(new URL("../..", import.meta.url));
const title = postgresSkipReason
  ? `job workers in their own processes (skipped: ${postgresSkipReason})`
  : "job workers in their own processes";

type Child = { process: ChildProcess; output: () => string; exited: Promise<number | null> };

/** Starts `script` (relative to the repo) and resolves once a line of its output matches `ready`. */
async function startChild(script: string, env: Record<string, string>, ready: RegExp): Promise<Child> {
  const child = spawn(process.execPath, ["--import", "tsx", script], {
    cwd: root,
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  const collect = (chunk: Buffer) => {
    output += chunk.toString();
  };
  child.stdout?.on("data", collect);
  child.stderr?.on("data", collect);
  let running = true;
  const exited = new Promise<number | null>((resolve) =>
    child.once("exit", (code) => {
      running = false;
      resolve(code);
    }),
  );
  await eventually(
    () => {
      if (!running) throw new Error(`${script} exited before it was ready:\n${output}`);
      return ready.test(output);
    },
    60_000,
    script,
  );
  return { process: child, output: () => output, exited };
}

const jobState = async (db: TestDatabase, id: string) =>
  (
    await db.prisma.$queryRaw<{ state: string; output: unknown }[]>`
      SELECT state::text, output FROM pgboss.job WHERE id = ${id}::uuid`
  )[0];

describe.skipIf(postgresSkipReason !== undefined)(title, () => {
  let db: TestDatabase;
  let smtp: TestSmtp;
  let queue: JobQueue;
  const children: Child[] = [];
  let env: Record<string, string>;

  beforeAll(async () => {
    db = await createTestDatabase("postgres");
    await seedDatabase(db.prisma, { scale: 0.05 });
    smtp = await startSmtp();
    env = {
      NODE_ENV: "test",
      LOG_LEVEL: "info",
      DATABASE_URL: db.url as string,
      SMTP_URL: smtp.url,
      PERSISTED_OPERATIONS: "off",
      JOBS_POLL_INTERVAL_SECONDS: "0.5",
      JOBS_RETRY_DELAY_SECONDS: "1",
      JOBS_MONITOR_INTERVAL_SECONDS: "1",
      JOBS_SHUTDOWN_TIMEOUT_MS: "500",
    };
    // The test's own view of the queue (no workers): to enqueue directly.
    const config = loadConfig({ ...env, JOBS_WORKER: "false" });
    const log = pino({ level: "silent" });
    queue = await startJobQueue(
      db,
      config.jobs,
      jobKinds,
      { prisma: db.prisma, log, mail: { deliver: async () => {} }, config, storage: createStorage(config.storage) },
      log,
    );
  }, 90_000);

  afterAll(async () => {
    for (const child of children) child.process.kill("SIGKILL");
    await queue?.stop();
    await smtp?.close();
    await db?.close();
  });

  it("runs a job again in the worker process after the gateway running it was killed, and delivers it", async () => {
    const alice = await db.prisma.user.findUniqueOrThrow({ where: { username: "alice" } });
    let hung = false;
    smtp.respond = (attempt) => {
      if (!attempt.to.includes(alice.email) || hung) return "accept";
      hung = true;
      return "hang";
    };
    // The gateway's jobs expire 2 s after they start: a dead worker's job is failed (and retried) then.
    const gateway = await startChild(
      "tests/helpers/gateway-process.ts",
      { ...env, JOBS_TIMEOUT_SECONDS: "2" },
      /listening (\S+)/,
    );
    children.push(gateway);
    const url = /listening (\S+)/.exec(gateway.output())?.[1];
    await fetch(`${url}/graphql`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        query: `mutation { requestPasswordReset(input: { email: "${alice.email}" }) { success } }`,
      }),
    });
    const first = await eventually(() => smtp.attempts.find((a) => a.to.includes(alice.email)), 15_000, "attempt 1");
    gateway.process.kill("SIGKILL");
    await gateway.exited;
    const row = await db.prisma.emailOutbox.findFirstOrThrow({ where: { to: alice.email, kind: "password-reset" } });
    expect(first.messageId).toBe(`<${row.id}@outbox.gateway>`);
    const [job] = await db.prisma.$queryRaw<{ id: string; state: string }[]>`
      SELECT id::text, state::text FROM pgboss.job WHERE name = ${passwordResetMail.name} AND data->>'outboxId' = ${row.id}`;
    expect(job?.state).toBe("active");

    const worker = await startChild("src/worker.ts", env, /job workers started/);
    children.push(worker);
    await eventually(() => smtp.delivered().some((a) => a.messageId === first.messageId), 20_000, "redelivery");
    expect(smtp.attempts.filter((a) => a.messageId === first.messageId)).toHaveLength(2);
    await eventually(async () => (await jobState(db, job?.id as string))?.state === "completed", 5_000, "completed");
    expect((await db.prisma.emailOutbox.findUniqueOrThrow({ where: { id: row.id } })).sentAt).not.toBeNull();
  });

  it("on SIGTERM, the worker process fails the job it could not finish in time, so it is retried, not stuck", async () => {
    const worker = children.find((child) => child.process.exitCode === null && child.process.signalCode === null);
    if (!worker) throw new Error("the worker process of the previous test is not running");
    const to = "slow-provider@example.com";
    smtp.respond = (attempt) => (attempt.to.includes(to) ? "hang" : "accept");
    await inTransaction(db.prisma, (tx) =>
      createOutbox(queue).send(tx, passwordResetMail, to, { subject: "slow", text: "slow", html: "<p>slow</p>" }),
    );
    await eventually(() => smtp.attempts.some((a) => a.to.includes(to)), 15_000, "the attempt");
    const [job] = await db.prisma.$queryRaw<{ id: string }[]>`
      SELECT j.id::text FROM pgboss.job j JOIN email_outbox o ON o.id::text = j.data->>'outboxId' WHERE o."to" = ${to}`;

    worker.process.kill("SIGTERM");
    expect(await worker.exited).toBe(0);
    const state = await jobState(db, job?.id as string);
    expect(state?.state).toBe("retry");
    expect(JSON.stringify(state?.output)).toContain("shut down while active");
  });
});
