export {
  defineJob,
  type FailedJob,
  type JobKind,
  type JobPolicy,
  type JobQueue,
  type JobQueueConfig,
  type JobQueueStats,
  startJobQueue,
} from "./queue.js";
