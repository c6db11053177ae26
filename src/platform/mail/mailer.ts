import nodemailer from "nodemailer";
import CircuitBreaker from "opossum";
import type { PrismaClient } from "../../generated/prisma/client.js";
import type { Db } from "../db/transaction.js";
import { defineJob, type JobKind, type JobPolicy, type JobQueue } from "../jobs/index.js";
import type { Logger } from "../logger/index.js";
import type { MailContent } from "./template.js";

/**
 * What a transport hands to the provider. `messageId` is the outbox row's: the same on every retry. No `html`
 * for messages recorded before HTML parts existed.
 */
export type OutgoingMail = Omit<MailContent, "html"> &
  Readonly<{ html?: string; from: string; to: string; kind: string; messageId: string }>;

/** Hands a message to something that delivers it. The only part to replace for another provider. */
export interface MailTransport {
  deliver(message: OutgoingMail): Promise<void>;
}

/** Development: the message goes to the log, where the reset link can be clicked. Never the body in production. */
export function logTransport(log: Logger, includeBody: boolean): MailTransport {
  return {
    async deliver({ to, subject, text, kind }) {
      log.info(
        { mail: { to, subject, kind, ...(includeBody ? { text } : {}) } },
        "e-mail (not sent: SMTP_URL is not set)",
      );
    },
  };
}

export function smtpTransport(url: string, timeoutMs: number): MailTransport {
  const options = new URL(url);
  for (const name of ["connectionTimeout", "greetingTimeout", "socketTimeout"]) {
    if (!options.searchParams.has(name)) options.searchParams.set(name, String(timeoutMs));
  }
  const transporter = nodemailer.createTransport(options.toString());
  return {
    async deliver({ from, to, subject, text, html, messageId }) {
      await transporter.sendMail({ from, to, subject, text, html, messageId });
    },
  };
}

/** The job that delivers one outbox message. */
export type MailJobData = Readonly<{ outboxId: string }>;
export type MailKind = JobKind<MailJobData, { mail: MailDelivery }>;

/** A kind of e-mail, and the job kind that delivers it: the outbox row's `kind` is `name`, its queue `mail.<name>`. */
export function mailKind(name: string, policy: JobPolicy): MailKind {
  return defineJob<MailJobData, { mail: MailDelivery }>({
    name: `mail.${name}`,
    policy,
    run: ({ outboxId }, { mail }) => mail.deliver(outboxId),
  });
}

/** Request side: records a message in the caller's transaction, with the job that will deliver it. */
export interface Outbox {
  send(tx: Db, kind: MailKind, to: string, content: MailContent): Promise<void>;
}

export function createOutbox(queue: JobQueue): Outbox {
  return {
    async send(tx, kind, to, { subject, text, html }) {
      const row = await tx.emailOutbox.create({
        data: { to, subject, body: text, html, kind: kind.name.replace(/^mail\./, "") },
        select: { id: true },
      });
      // The row's id is the job's key: one delivery job per message, whatever retries the request makes.
      await queue.enqueue(tx, kind, { outboxId: row.id }, row.id);
    },
  };
}

/** Worker side: delivers outbox messages, at most once per row unless a crash falls between send and record. */
export interface MailDelivery {
  deliver(outboxId: string): Promise<void>;
}

export type BreakerEvents = Readonly<{ onOpen(): void; onHalfOpen(): void; onClose(): void }>;

/**
 * Deliveries go through a circuit breaker: once `failures` of the last minute's attempts (and at least half
 * of them) failed, it opens, `onOpen` pauses the mail queues so their jobs wait instead of hammering the
 * server (and spending attempts), and after `resetMs` it half-opens: `onHalfOpen` resumes them, the next
 * delivery is the test, and the breaker closes on its success or opens again.
 */
export function createMailDelivery(
  prisma: PrismaClient,
  transport: MailTransport,
  options: Readonly<{ from: string; breaker: { failures: number; resetMs: number }; events: BreakerEvents }>,
  log: Logger,
): MailDelivery {
  const breaker = new CircuitBreaker((message: OutgoingMail) => transport.deliver(message), {
    timeout: false,
    resetTimeout: options.breaker.resetMs,
    volumeThreshold: options.breaker.failures,
    errorThresholdPercentage: 50,
    rollingCountTimeout: 60_000,
    rollingCountBuckets: 6,
  });
  breaker.on("open", () => {
    log.warn({ resetMs: options.breaker.resetMs }, "mail circuit breaker open: deliveries paused");
    options.events.onOpen();
  });
  breaker.on("halfOpen", () => {
    log.info("mail circuit breaker half-open: trying a delivery");
    options.events.onHalfOpen();
  });
  breaker.on("close", () => {
    log.info("mail circuit breaker closed: deliveries resumed");
    options.events.onClose();
  });

  return {
    async deliver(outboxId) {
      const row = await prisma.emailOutbox.findUnique({ where: { id: outboxId } });
      // Sent already (a retry after the provider accepted it), or purged: nothing left to do.
      if (!row || row.sentAt || row.purgedAt) return;
      await breaker.fire({
        from: options.from,
        to: row.to,
        subject: row.subject,
        text: row.body,
        ...(row.html ? { html: row.html } : {}),
        kind: row.kind,
        messageId: `<${row.id}@outbox.gateway>`,
      });
      await prisma.emailOutbox.update({ where: { id: row.id }, data: { sentAt: new Date() } });
    },
  };
}

/** Empties the bodies of messages sent more than `retentionHours` ago: they hold reset links. */
export async function purgeOutboxBodies(prisma: PrismaClient, retentionHours: number): Promise<number> {
  const { count } = await prisma.emailOutbox.updateMany({
    where: { sentAt: { lt: new Date(Date.now() - retentionHours * 3_600_000) }, purgedAt: null },
    data: { body: "", html: null, purgedAt: new Date() },
  });
  return count;
}
