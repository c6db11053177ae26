// Background jobs: every module's kinds plus the outbox purge, the mail delivery they share (behind its
// circuit breaker), and the queue that runs them. Used by the gateway (server.ts; workers in-process unless
// JOBS_WORKER=false) and by the worker process (worker.ts).
import type { Config } from "./config/index.js";
import type { JobContext } from "./context.js";
import { modules } from "./modules/index.js";
import type { Database } from "./platform/db/database.js";
import { defineJob, type JobQueue, startJobQueue } from "./platform/jobs/index.js";
import type { Logger } from "./platform/logger/index.js";
import {
  createMailDelivery,
  createOutbox,
  logTransport,
  type MailTransport,
  type Outbox,
  purgeOutboxBodies,
  smtpTransport,
} from "./platform/mail/index.js";
import { createStorage, type ObjectStorage } from "./platform/storage/index.js";

const purgeOutbox = defineJob<object, JobContext>({
  name: "outbox.purge-bodies",
  policy: { attempts: 3 },
  schedule: "37 * * * *",
  async run(_data, { prisma, config, log }) {
    const purged = await purgeOutboxBodies(prisma, config.mail.retentionHours);
    log.info({ purged }, "sent e-mails' bodies purged from the outbox");
  },
});

export const jobKinds = [...modules.flatMap((module) => module.jobs ?? []), purgeOutbox];

/** Deliveries (the `mail.*` kinds, see mailKind) pause together when the mail breaker opens. */
const mailDeliveryKinds = jobKinds.filter((kind) => kind.name.startsWith("mail."));

export function defaultMailTransport(config: Config, log: Logger): MailTransport {
  return config.mail.smtpUrl
    ? smtpTransport(config.mail.smtpUrl, (config.jobs.timeoutSeconds * 1000) / 2)
    : logTransport(log, !config.isProduction);
}

export type Jobs = Readonly<{ queue: JobQueue; outbox: Outbox }>;

export async function startJobs(
  db: Database,
  config: Config,
  transport: MailTransport,
  log: Logger,
  storage: ObjectStorage = createStorage(config.storage),
): Promise<Jobs> {
  let queue: JobQueue | undefined;
  const names = mailDeliveryKinds.map((kind) => kind.name);
  const toggle = (action: "pause" | "resume") => {
    queue?.[action](names).catch((error: unknown) => log.error({ err: error }, `could not ${action} mail delivery`));
  };
  const mail = createMailDelivery(
    db.prisma,
    transport,
    {
      from: config.mail.from,
      breaker: config.mail.breaker,
      events: { onOpen: () => toggle("pause"), onHalfOpen: () => toggle("resume"), onClose() {} },
    },
    log,
  );
  queue = await startJobQueue(db, config.jobs, jobKinds, { prisma: db.prisma, log, mail, config, storage }, log);
  return { queue, outbox: createOutbox(queue) };
}
