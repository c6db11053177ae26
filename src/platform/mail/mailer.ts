import nodemailer from "nodemailer";
import type { PrismaClient } from "../../generated/prisma/client.js";
import type { Logger } from "../logger/index.js";

export type EmailMessage = Readonly<{ to: string; subject: string; text: string; kind: string }>;

/** Hands a message to something that delivers it. The only part to replace for another provider. */
export interface MailTransport {
  deliver(message: EmailMessage & { from: string }): Promise<void>;
}

export interface Mailer {
  /** Records the message in the outbox, then delivers it; a delivery failure is logged, not thrown. */
  send(message: EmailMessage): Promise<void>;
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

export function smtpTransport(url: string): MailTransport {
  const transporter = nodemailer.createTransport(url);
  return {
    async deliver({ from, to, subject, text }) {
      await transporter.sendMail({ from, to, subject, text });
    },
  };
}

/**
 * Every e-mail is written to the `email_outbox` table before delivery, so what was sent is auditable
 * (and tests read reset links from there), and `sentAt` stays null for deliveries that failed.
 */
export function createMailer(prisma: PrismaClient, transport: MailTransport, from: string, log: Logger): Mailer {
  return {
    async send(message) {
      const { to, subject, text, kind } = message;
      const row = await prisma.emailOutbox.create({ data: { to, subject, body: text, kind } });
      try {
        await transport.deliver({ ...message, from });
        await prisma.emailOutbox.update({ where: { id: row.id }, data: { sentAt: new Date() } });
      } catch (error) {
        log.error({ err: error, outboxId: row.id, kind: message.kind }, "e-mail delivery failed");
      }
    },
  };
}
