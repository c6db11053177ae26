import type { JobContext } from "../../context.js";
import { defineJob } from "../../platform/jobs/index.js";
import { emailChangeNoticeMail, emailVerificationMail, passwordResetMail, welcomeMail } from "./account.mail.js";
import { accountRepository } from "./account.repository.js";

const deleteExpired = defineJob<object, JobContext>({
  name: "account.delete-expired",
  policy: { attempts: 3 },
  schedule: "7 * * * *",
  async run(_data, { prisma, log }) {
    const deleted = await accountRepository(prisma).deleteExpired();
    log.info({ deleted }, "expired sessions, password reset and e-mail verification tokens deleted");
  },
});

export const accountJobs = [
  passwordResetMail,
  welcomeMail,
  emailVerificationMail,
  emailChangeNoticeMail,
  deleteExpired,
];
