// Background jobs end to end, on both backends, with a real SMTP server as the provider: e-mails are
// enqueued in the transaction that causes them and delivered by the in-process worker; refused deliveries
// are retried with growing delays; the periodic clean-ups delete what they should.
import { randomUUID } from "node:crypto";
import { pino } from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config/index.js";
import { jobKinds } from "../../src/jobs.js";
import { passwordResetMail } from "../../src/modules/account/account.mail.js";
import { inTransaction } from "../../src/platform/db/transaction.js";
import { createOutbox, type MailDelivery } from "../../src/platform/mail/index.js";
import { createStorage } from "../../src/platform/storage/index.js";
import { backends } from "../helpers/database.js";
import { startTestGateway, type TestGateway } from "../helpers/gateway.js";
import { mutate } from "../helpers/mutations.js";
import { eventually, startSmtp, type TestSmtp } from "../helpers/smtp.js";

const jobsNamed = (gw: TestGateway, name: string) =>
  gw.db.prisma.$queryRaw<{ id: string; state: string }[]>`
    SELECT id::text, state::text FROM pgboss.job WHERE name = ${name} ORDER BY created_on`;

for (const backend of backends) {
  describe.skipIf(backend.skip)(`background jobs (${backend.name})`, () => {
    let gw: TestGateway;
    let smtp: TestSmtp;

    beforeAll(async () => {
      smtp = await startSmtp();
      gw = await startTestGateway(backend.kind, {
        env: {
          SMTP_URL: smtp.url,
          JOBS_POLL_INTERVAL_SECONDS: "0.5",
          JOBS_RETRY_DELAY_SECONDS: "1",
          MAIL_BREAKER_FAILURES: "1000",
        },
      });
    }, 60_000);
    afterAll(async () => {
      await gw?.close();
      await smtp?.close();
    });

    const emailOf = async (userId: string) =>
      (await gw.db.prisma.user.findUniqueOrThrow({ where: { id: userId } })).email;
    const deliveredTo = (email: string, subject: string) =>
      smtp.delivered().filter((attempt) => attempt.to.includes(email) && attempt.subject.includes(subject));

    it("delivers a password-reset mail through SMTP and records it as sent", async () => {
      const email = await emailOf(gw.users.alice.id);
      await mutate(
        gw,
        `mutation { requestPasswordReset(input: { email: "${email}" }) { success userErrors { code } } }`,
      );
      const [mail] = await eventually(
        () => {
          const found = deliveredTo(email, "Reset your password");
          return found.length > 0 ? found : null;
        },
        15_000,
        "the reset mail",
      );
      const row = await gw.db.prisma.emailOutbox.findFirstOrThrow({
        where: { to: email, kind: "password-reset" },
        orderBy: { createdAt: "desc" },
      });
      // The provider got the outbox row's id as Message-ID: the same on every retry of this message.
      expect(mail?.messageId).toBe(`<${row.id}@outbox.gateway>`);
      expect(row.html).toContain("reset-password?token=");
      await eventually(
        async () => (await gw.db.prisma.emailOutbox.findUniqueOrThrow({ where: { id: row.id } })).sentAt,
        5_000,
        "sentAt",
      );
    });

    it("retries a refused delivery with growing delays, then delivers it once", async () => {
      const email = await emailOf(gw.users.bob.id);
      let refusals = 0;
      smtp.respond = (attempt) => {
        if (!attempt.to.includes(email)) return "accept";
        return refusals++ < 2 ? "refuse" : "accept";
      };
      await mutate(
        gw,
        `mutation { requestPasswordReset(input: { email: "${email}" }) { success userErrors { code } } }`,
      );
      await eventually(() => deliveredTo(email, "Reset your password").length > 0, 20_000, "delivery after retries");
      smtp.respond = () => "accept";
      const attempts = smtp.attempts.filter((attempt) => attempt.to.includes(email));
      expect(attempts).toHaveLength(3);
      // Backoff: the n-th retry waits at least retryDelay × 2^(n-1) (1 s, then 2 s), jitter only adds.
      const gaps = attempts.slice(1).map((attempt, index) => attempt.at - (attempts[index]?.at ?? 0));
      expect(gaps[0]).toBeGreaterThanOrEqual(900);
      expect(gaps[1]).toBeGreaterThanOrEqual(1_800);
      expect(new Set(attempts.map((attempt) => attempt.messageId)).size).toBe(1);
      expect(deliveredTo(email, "Reset your password")).toHaveLength(1);
    });

    it("sends a welcome mail on register, and order mails on placeOrder and on each status change", async () => {
      const email = `jobs-${randomUUID().slice(0, 8)}@example.com`;
      await mutate(
        gw,
        `mutation { register(input: { email: "${email}", username: "jobs${randomUUID().slice(0, 8)}", name: "Jo", password: "correct horse battery staple 42" }) { user { id } userErrors { code } } }`,
      );
      await eventually(() => deliveredTo(email, "Welcome").length === 1, 15_000, "the welcome mail");

      const alice = gw.users.alice;
      const aliceEmail = await emailOf(alice.id);
      const product = await gw.db.prisma.product.findFirstOrThrow({
        where: { status: "ACTIVE", stock: { gt: 5 }, deletedAt: null },
      });
      const address = await gw.db.prisma.address.findFirstOrThrow({ where: { userId: alice.id } });
      const placed = await mutate<{ order: { id: string } }>(
        gw,
        `mutation($input: PlaceOrderInput!) { placeOrder(input: $input) { order { id } userErrors { code } } }`,
        {
          as: alice,
          variables: {
            input: {
              items: [{ productId: product.id, quantity: 1 }],
              addressId: address.id,
              idempotencyKey: randomUUID(),
            },
          },
        },
      );
      const orderId = placed.order.id;
      await eventually(() => deliveredTo(aliceEmail, `Order ${orderId} received`).length === 1, 15_000, "confirmation");
      await mutate(
        gw,
        `mutation { updateOrderStatus(id: "${orderId}", status: PAID) { order { id } userErrors { code } } }`,
        {
          as: gw.users.admin,
        },
      );
      await mutate(gw, `mutation { cancelOrder(id: "${orderId}") { order { id } userErrors { code } } }`, {
        as: gw.users.admin,
      });
      await eventually(() => deliveredTo(aliceEmail, `Order ${orderId} is paid`).length === 1, 15_000, "paid mail");
      await eventually(() => deliveredTo(aliceEmail, `Order ${orderId} is cancelled`).length === 1, 15_000, "cancel");
    });

    it("enqueues nothing when the transaction that would send the mail rolls back", async () => {
      const outbox = createOutbox(gw.gateway.jobs);
      const to = `rollback-${randomUUID().slice(0, 8)}@example.com`;
      const before = (await jobsNamed(gw, passwordResetMail.name)).length;
      await expect(
        inTransaction(gw.db.prisma, async (tx) => {
          await outbox.send(tx, passwordResetMail, to, { subject: "never", text: "never", html: "never" });
          throw new Error("the change failed after the mail was queued");
        }),
      ).rejects.toThrow("the change failed");
      expect(await gw.db.prisma.emailOutbox.count({ where: { to } })).toBe(0);
      expect(await jobsNamed(gw, passwordResetMail.name)).toHaveLength(before);

      // The same, committed, is delivered.
      await inTransaction(gw.db.prisma, (tx) =>
        outbox.send(tx, passwordResetMail, to, { subject: "committed", text: "yes", html: "<p>yes</p>" }),
      );
      expect(await jobsNamed(gw, passwordResetMail.name)).toHaveLength(before + 1);
      await eventually(() => deliveredTo(to, "committed").length === 1, 15_000, "the committed mail");
    });

    it("schedules the clean-ups, which delete what has expired and keep the rest", async () => {
      const schedules = await gw.db.prisma.$queryRaw<
        { name: string }[]
      >`SELECT name FROM pgboss.schedule ORDER BY name`;
      const periodic = jobKinds.filter((kind) => kind.schedule).map((kind) => kind.name);
      expect(schedules.map((row) => row.name)).toEqual([...periodic].sort());

      const prisma = gw.db.prisma;
      const hoursAgo = (hours: number) => new Date(Date.now() - hours * 3_600_000);
      const userId = gw.users.bob.id;
      const sentMail = (sentAt: Date | null) =>
        prisma.emailOutbox.create({
          data: { to: "purge@example.com", subject: "s", body: "link", html: "<a>link</a>", kind: "x", sentAt },
        });
      const oldSent = await sentMail(hoursAgo(100));
      const recentSent = await sentMail(hoursAgo(1));
      const unsent = await sentMail(null);
      const expiredSession = await prisma.session.create({ data: { userId, expiresAt: hoursAgo(1) } });
      const liveSession = await prisma.session.create({ data: { userId, expiresAt: hoursAgo(-1) } });
      const expiredToken = await prisma.passwordResetToken.create({
        data: { userId, tokenHash: randomUUID(), expiresAt: hoursAgo(1) },
      });
      const liveToken = await prisma.passwordResetToken.create({
        data: { userId, tokenHash: randomUUID(), expiresAt: hoursAgo(-1) },
      });
      const [oldOrder, newOrder] = await prisma.order.findMany({ take: 2 });
      if (!oldOrder || !newOrder) throw new Error("the seed has no orders");
      await prisma.order.update({
        where: { id: oldOrder.id },
        data: { createdAt: hoursAgo(25), idempotencyKey: randomUUID() },
      });
      const keptKey = randomUUID();
      await prisma.order.update({
        where: { id: newOrder.id },
        data: { createdAt: hoursAgo(1), idempotencyKey: keptKey },
      });

      const config = loadConfig({ NODE_ENV: "test", OUTBOX_RETENTION_HOURS: "72", IDEMPOTENCY_KEY_TTL_HOURS: "24" });
      const deps = {
        prisma,
        log: pino({ level: "silent" }),
        mail: { deliver: async () => {} } satisfies MailDelivery,
        config,
        storage: createStorage(config.storage),
      };
      // What the schedule runs, run now.
      for (const kind of jobKinds.filter((k) => k.schedule)) await kind.run({}, deps, { id: "test", retryCount: 0 });

      const outbox = async (id: string) => prisma.emailOutbox.findUniqueOrThrow({ where: { id } });
      expect(await outbox(oldSent.id)).toMatchObject({ body: "", html: null, purgedAt: expect.any(Date) });
      expect(await outbox(recentSent.id)).toMatchObject({ body: "link", purgedAt: null });
      expect(await outbox(unsent.id)).toMatchObject({ body: "link", purgedAt: null });
      expect(await prisma.session.findUnique({ where: { id: expiredSession.id } })).toBeNull();
      expect(await prisma.session.findUnique({ where: { id: liveSession.id } })).not.toBeNull();
      expect(await prisma.passwordResetToken.findUnique({ where: { id: expiredToken.id } })).toBeNull();
      expect(await prisma.passwordResetToken.findUnique({ where: { id: liveToken.id } })).not.toBeNull();
      expect((await prisma.order.findUniqueOrThrow({ where: { id: oldOrder.id } })).idempotencyKey).toBeNull();
      expect((await prisma.order.findUniqueOrThrow({ where: { id: newOrder.id } })).idempotencyKey).toBe(keptKey);
    });
  });
}
