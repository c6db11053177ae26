import { Arg, Ctx, Directive, ID, Int, Mutation, Query, Resolver } from "type-graphql";
import type { RequestContext } from "../../context.js";
import { cacheHint } from "../../platform/cache/index.js";
import { failedJobs, MAX_FAILED_JOBS, retryJob } from "./job.service.js";
import { FailedJob, RetryJobPayload } from "./job.type.js";

@Resolver()
export class JobResolver {
  @Directive(cacheHint.private)
  @Query(() => [FailedJob], {
    description: "Background jobs whose last attempt failed, most recent first. ADMIN only.",
  })
  failedJobs(
    @Arg("first", () => Int, { defaultValue: 20, description: `How many (1 to ${MAX_FAILED_JOBS}).` }) first: number,
    @Ctx() ctx: RequestContext,
  ) {
    return failedJobs(ctx, first);
  }

  @Mutation(() => RetryJobPayload, {
    description: "Queue a failed job again, with a fresh set of attempts. ADMIN only.",
  })
  retryJob(
    @Arg("kind", () => String, { description: "The job's `kind`." }) kind: string,
    @Arg("id", () => ID, { description: "The job's `id`." }) id: string,
    @Ctx() ctx: RequestContext,
  ) {
    return retryJob(ctx, kind, id);
  }
}
