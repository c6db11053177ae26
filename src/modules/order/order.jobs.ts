import type { JobContext } from "../../context.js";
import { defineJob } from "../../platform/jobs/index.js";
import { orderConfirmationMail, orderStatusMail } from "./order.mail.js";
import { orderRepository } from "./order.repository.js";

const expireIdempotencyKeys = defineJob<object, JobContext>({
  name: "order.expire-idempotency-keys",
  policy: { attempts: 3 },
  schedule: "23 * * * *",
  async run(_data, { prisma, config, log }) {
    const before = new Date(Date.now() - config.idempotencyKeyTtlHours * 3_600_000);
    const expired = await orderRepository(prisma).expireIdempotencyKeys(before);
    log.info({ expired }, "order idempotency keys expired");
  },
});

export const orderJobs = [orderConfirmationMail, orderStatusMail, expireIdempotencyKeys];
