// A real SMTP server in the test process (the `smtp-server` package), standing in for the mail provider.
// Each delivery attempt is recorded; `respond` decides, attempt by attempt, whether the server accepts the
// message, refuses it (451, a temporary failure) or never answers (a provider that hangs).
import type { AddressInfo } from "node:net";
import { SMTPServer } from "smtp-server";

export type SmtpAttempt = Readonly<{ at: number; to: string[]; messageId: string; subject: string; raw: string }>;
export type SmtpAnswer = "accept" | "refuse" | "hang";

export type TestSmtp = {
  /** For SMTP_URL. */
  url: string;
  attempts: SmtpAttempt[];
  /** The attempts the server accepted. */
  delivered(): SmtpAttempt[];
  respond: (attempt: SmtpAttempt) => SmtpAnswer;
  close(): Promise<void>;
};

const header = (raw: string, name: string) => new RegExp(`^${name}:\\s*(.*)$`, "im").exec(raw)?.[1]?.trim() ?? "";

export async function startSmtp(): Promise<TestSmtp> {
  const accepted = new Set<SmtpAttempt>();
  const smtp: TestSmtp = {
    url: "",
    attempts: [],
    delivered: () => smtp.attempts.filter((attempt) => accepted.has(attempt)),
    respond: () => "accept",
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS", "AUTH"],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on("data", (chunk: Buffer) => chunks.push(chunk));
      stream.on("end", () => {
        const raw = Buffer.concat(chunks).toString("utf8");
        const attempt: SmtpAttempt = {
          at: Date.now(),
          to: session.envelope.rcptTo.map((rcpt) => rcpt.address),
          messageId: header(raw, "Message-ID"),
          subject: header(raw, "Subject"),
          raw,
        };
        smtp.attempts.push(attempt);
        const answer = smtp.respond(attempt);
        if (answer === "accept") {
          accepted.add(attempt);
          callback();
        } else if (answer === "refuse") {
          callback(Object.assign(new Error("Mailbox busy, try again later"), { responseCode: 451 }));
        }
        // "hang": no answer at all.
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  smtp.url = `smtp://127.0.0.1:${(server.server.address() as AddressInfo).port}`;
  return smtp;
}

/** Polls until `check` returns something truthy (or fails after `timeoutMs`). */
export async function eventually<T>(
  check: () => Promise<T> | T,
  timeoutMs = 20_000,
  what = "condition",
): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
