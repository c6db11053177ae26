import { Directive, Field, ID, Int, ObjectType } from "type-graphql";
import { cacheHint } from "../../platform/cache/index.js";
import { MutationPayload } from "../../platform/validation/index.js";

@Directive(cacheHint.private)
@ObjectType({ description: "A background job (an e-mail delivery, a clean-up) whose last attempt failed. ADMIN only." })
export class FailedJob {
  @Field(() => ID, { description: "The job's id, with `kind` what `retryJob` takes." })
  id!: string;

  @Field(() => String, { description: "Its queue, e.g. `mail.password-reset`." })
  kind!: string;

  @Field(() => Int, { description: "Attempts made, the last one included." })
  attempts!: number;

  @Field(() => String, { description: "The last attempt's error message." })
  lastError!: string;

  @Field(() => Date, { description: "When the job was enqueued." })
  createdAt!: Date;

  @Field(() => Date, { description: "When its last attempt failed." })
  failedAt!: Date;
}

@ObjectType({ description: "The result of retrying a failed job." })
export class RetryJobPayload extends MutationPayload {
  @Field(() => Boolean, { description: "True when the job is queued again, with a fresh set of attempts." })
  retried!: boolean;
}
