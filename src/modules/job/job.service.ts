import type { RequestContext } from "../../context.js";
import { badUserInput } from "../../platform/errors/index.js";
import { UserErrorCode, userError, validateId } from "../../platform/validation/index.js";
import type { RetryJobPayload } from "./job.type.js";

export const MAX_FAILED_JOBS = 100;

export function failedJobs(ctx: RequestContext, first: number) {
  if (!Number.isInteger(first) || first < 1 || first > MAX_FAILED_JOBS) {
    throw badUserInput(`first must be between 1 and ${MAX_FAILED_JOBS}.`, "first");
  }
  return ctx.jobs.failedJobs(first);
}

export async function retryJob(ctx: RequestContext, kind: string, id: string): Promise<RetryJobPayload> {
  const invalid = validateId(id);
  if (invalid.length > 0) return { retried: false, userErrors: invalid };
  if (await ctx.jobs.retry(kind, id.toLowerCase())) {
    ctx.log.info({ event: "job_retried", job: { kind, id } }, "failed job queued again by an admin");
    return { retried: true, userErrors: [] };
  }
  return {
    retried: false,
    userErrors: [userError(["id"], UserErrorCode.NOT_FOUND, "There is no failed job of this kind with this id.")],
  };
}
