export {
  defineJob,
  type FailedJob,
  type JobKind,
  type JobPolicy,
  type JobQueue,
  type JobQueueConfig,
  startJobQueue,
} from "./queue.js";
