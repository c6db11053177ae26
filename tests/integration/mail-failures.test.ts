// When the mail provider keeps failing: a job that used its last attempt is failed for good, visible to
// admins and retried by them; repeated failures open the circuit breaker, which pauses deliveries and
// closes again once the provider answers. A real SMTP server plays the provider, on both backends.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { passwordResetMail } from "../../src/modules/account/account.mail.js";
import { backends } from "../helpers/database.js";
import { startTestGateway, type TestGateway } from "../helpers/gateway.js";
import { errorCode, mutate } from "../helpers/mutations.js";
import { eventually, startSmtp, type TestSmtp } from "../helpers/smtp.js";

const failedJobsQuery = "{ failedJobs(first: 10) { id kind attempts lastError createdAt failedAt } }";
type FailedJobRow = { id: string; kind: string; attempts: number; lastError: string };

async function start(kind: TestGateway["db"]["kind"], env: Record<string, string>) {
  const smtp = await startSmtp();
  const gw = await startTestGateway(kind, {
    env: { SMTP_URL: smtp.url, JOBS_POLL_INTERVAL_SECONDS: "0.5", JOBS_RETRY_DELAY_SECONDS: "1", ...env },
  });
  return { smtp, gw };
}

const requestReset = (gw: TestGateway, email: string) =>
  mutate(gw, `mutation { requestPasswordReset(input: { email: "${email}" }) { success userErrors { code } } }`);

for (const backend of backends) {
  describe.skipIf(backend.skip)(`failed deliveries (${backend.name})`, () => {
    let gw: TestGateway;
    let smtp: TestSmtp;
    beforeAll(async () => {
      // Retries a second apart, and a breaker that never opens: this suite is about attempts.
      ({ gw, smtp } = await start(backend.kind, { JOBS_RETRY_DELAY_MAX_SECONDS: "1", MAIL_BREAKER_FAILURES: "1000" }));
    }, 60_000);
    afterAll(async () => {
      await gw?.close();
      await smtp?.close();
    });

    it("fails a job for good after its last attempt, lists it for admins, and delivers it when an admin retries", async () => {
      const email = (await gw.db.prisma.user.findUniqueOrThrow({ where: { id: gw.users.bob.id } })).email;
      smtp.respond = () => "refuse";
      await requestReset(gw, email);
      const failed = await eventually(
        async () => {
          const response = await gw.graphql<{ failedJobs: FailedJobRow[] }>(failedJobsQuery, { as: gw.users.admin });
          return response.data?.failedJobs.find((job) => job.kind === passwordResetMail.name);
        },
        30_000,
        "the job to fail for good",
      );
      expect(failed.attempts).toBe(passwordResetMail.policy.attempts);
      expect(failed.lastError).toContain("451 Mailbox busy");
      expect(smtp.attempts.filter((attempt) => attempt.to.includes(email))).toHaveLength(
        passwordResetMail.policy.attempts,
      );

      expect(await errorCode(gw, failedJobsQuery, { as: gw.users.alice })).toBe("FORBIDDEN");
      const retry = (id: string, as = gw.users.admin) =>
        mutate<{ retried: boolean }>(
          gw,
          `mutation { retryJob(kind: "${passwordResetMail.name}", id: "${id}") { retried userErrors { field code } } }`,
          { as },
        );
      const unknown = await retry("00000000-0000-4000-8000-000000000000");
      expect(unknown).toEqual({ retried: false, userErrors: [{ field: ["id"], code: "NOT_FOUND" }] });
      expect((await retry("not-an-id")).userErrors).toEqual([{ field: ["id"], code: "INVALID_FORMAT" }]);

      smtp.respond = () => "accept";
      expect(await retry(failed.id)).toEqual({ retried: true, userErrors: [] });
      await eventually(() => smtp.delivered().some((attempt) => attempt.to.includes(email)), 15_000, "delivery");
      // Retried and delivered: no longer listed as failed.
      const after = await gw.graphql<{ failedJobs: FailedJobRow[] }>(failedJobsQuery, { as: gw.users.admin });
      expect(after.data?.failedJobs.map((job) => job.id)).not.toContain(failed.id);
    });
  });

  describe.skipIf(backend.skip)(`mail circuit breaker (${backend.name})`, () => {
    const resetMs = 2_000;
    let gw: TestGateway;
    let smtp: TestSmtp;
    beforeAll(async () => {
      ({ gw, smtp } = await start(backend.kind, {
        MAIL_BREAKER_FAILURES: "2",
        MAIL_BREAKER_RESET_MS: String(resetMs),
        JOBS_RETRY_DELAY_MAX_SECONDS: "1",
      }));
    }, 60_000);
    afterAll(async () => {
      await gw?.close();
      await smtp?.close();
    });

    const loggedAt = (message: string) => gw.logs.find((line) => line.msg === message)?.time as number | undefined;

    it("opens after repeated failures, holds deliveries while open, and closes when the provider is back", async () => {
      const email = (await gw.db.prisma.user.findUniqueOrThrow({ where: { id: gw.users.alice.id } })).email;
      smtp.respond = () => "refuse";
      for (let i = 0; i < 4; i++) await requestReset(gw, email);
      const openedAt = await eventually(() => loggedAt("mail circuit breaker open: deliveries paused"), 15_000, "open");
      smtp.respond = () => "accept";

      const closedAt = await eventually(
        () => loggedAt("mail circuit breaker closed: deliveries resumed"),
        20_000,
        "close",
      );
      expect(closedAt - openedAt).toBeGreaterThanOrEqual(resetMs);
      // While open, the provider was left alone (attempts already under way when it opened aside).
      const duringOpen = smtp.attempts.filter(
        (attempt) => attempt.at > openedAt + 500 && attempt.at < openedAt + resetMs,
      );
      expect(duringOpen).toHaveLength(0);
      // Every message arrives in the end, each exactly once.
      const rows = await gw.db.prisma.emailOutbox.findMany({ where: { to: email, kind: "password-reset" } });
      expect(rows).toHaveLength(4);
      await eventually(
        () =>
          rows.every(
            (row) => smtp.delivered().filter((a) => a.messageId === `<${row.id}@outbox.gateway>`).length === 1,
          ),
        20_000,
        "all four delivered",
      );
    });
  });
}
