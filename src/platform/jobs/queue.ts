// Durable jobs on PostgreSQL through pg-boss: enqueued in the transaction of the change that causes them,
// retried with exponential backoff and jitter, failed for good after a kind's last attempt (and listed for
// admins), run by workers in this process or in `npm run worker`. On PGlite, pg-boss shares the one
// in-process connection (its `pglite` backend); on a server it keeps a small pool of its own.
import { fromPglite, fromPrisma, type Job, type JobResult, PgBoss } from "pg-boss";
import type { Database } from "../db/database.js";
import type { Db } from "../db/transaction.js";
import type { Logger } from "../logger/index.js";

/** How often a kind of job is tried, and how long one try may run before it counts as failed (default: the queue's). */
export type JobPolicy = Readonly<{ attempts: number; timeoutSeconds?: number }>;

/** One kind of job: its queue, its policy and what runs it. `Deps` are what the process gives handlers. */
export type JobKind<Data extends object, Deps> = Readonly<{
  /** The queue's name: also what admins see and retry by. */
  name: string;
  policy: JobPolicy;
  /** A cron expression: the job is enqueued on this schedule (once per tick, whatever the number of workers). */
  schedule?: string;
  run(data: Data, deps: Deps, job: Readonly<{ id: string; retryCount: number }>): Promise<void>;
}>;

export function defineJob<Data extends object, Deps>(kind: JobKind<Data, Deps>): JobKind<Data, Deps> {
  return kind;
}

export type JobQueueConfig = Readonly<{
  /** Run the workers in this process (`npm start`); false leaves them to `npm run worker`. */
  worker: boolean;
  /** Worker loops per job kind in one process, each running a claimed batch of up to 5 jobs in turn. */
  concurrency: number;
  /** PostgreSQL server only: the queue's own connections (PGlite shares its single one). */
  poolSize: number;
  pollIntervalSeconds: number;
  /** Exponential backoff with jitter: about `retryDelaySeconds * 2^attempt`, at most `retryDelayMaxSeconds`. */
  retryDelaySeconds: number;
  retryDelayMaxSeconds: number;
  /** How often jobs that outlived their timeout (a worker that died) are failed and so retried. */
  monitorIntervalSeconds: number;
  /** Longest one attempt of a job may run (unless its kind says otherwise) before it is failed and retried. */
  timeoutSeconds: number;
  /** On shutdown, running jobs get this long to finish; what is left is failed and retried later. */
  shutdownTimeoutMs: number;
}>;

/** A job whose last attempt failed: kept for admins to read and retry. */
export type FailedJob = Readonly<{
  id: string;
  kind: string;
  attempts: number;
  lastError: string;
  createdAt: Date;
  failedAt: Date;
}>;

/** One kind's jobs, as of pg-boss's last monitor pass (every JOBS_MONITOR_INTERVAL_SECONDS). */
export type JobQueueStats = Readonly<{
  kind: string;
  /** Waiting and due now: a number that keeps growing means the workers do not keep up. */
  ready: number;
  /** Waiting for a later time (a retry's backoff, a scheduled start). */
  deferred: number;
  active: number;
  /** Failed for good and still kept (admins can retry them). */
  failed: number;
}>;

export interface JobQueue {
  /**
   * Adds a job in `tx`, so it exists exactly when the transaction commits. `key` names the logical task
   * (e.g. the outbox row a delivery is for), stored as the job's singleton key to find it by; handlers are
   * idempotent, since a job whose worker died after doing the work is run again.
   */
  enqueue<Data extends object>(tx: Db, kind: JobKind<Data, never>, data: Data, key: string): Promise<void>;
  /** Most recent first. */
  failedJobs(limit: number): Promise<FailedJob[]>;
  /** Puts a failed job back in its queue with a fresh set of attempts; false when there is no such failed job. */
  retry(kind: string, id: string): Promise<boolean>;
  /** Counts per kind, for metrics: read from pg-boss's queue table (its cached counts), not the jobs. */
  stats(): Promise<JobQueueStats[]>;
  /** Stops fetching jobs of these kinds (their waiting jobs stay queued) until `resume`. */
  pause(kinds: readonly string[]): Promise<void>;
  resume(kinds: readonly string[]): Promise<void>;
  /**
   * Stops the workers: running jobs get `shutdownTimeoutMs` to finish, and what is still running is
   * failed, so it is retried (by this process after a restart, or another worker) rather than stuck.
   */
  stop(): Promise<void>;
}

/** Jobs one worker loop claims at a time (see `work`). */
const BATCH = 5;

// biome-ignore lint/suspicious/noExplicitAny: a queue runs kinds of every data type.
type AnyJobKind<Deps> = JobKind<any, Deps>;

export async function startJobQueue<Deps>(
  db: Database,
  config: JobQueueConfig,
  kinds: readonly AnyJobKind<Deps>[],
  deps: Deps,
  log: Logger,
): Promise<JobQueue> {
  const boss = db.pglite
    ? new PgBoss({ backend: "pglite", db: fromPglite(db.pglite), ...intervals(config) })
    : new PgBoss({
        connectionString: db.url,
        max: config.poolSize,
        application_name: "gateway-jobs",
        useListenNotify: true,
        ...intervals(config),
      });
  // Mostly the database going away: pg-boss reconnects and carries on, and requests report the outage.
  boss.on("error", (error) => log.warn({ err: error }, "job queue: database error, retrying"));
  await boss.start();

  const byName = new Map(kinds.map((kind) => [kind.name, kind]));
  for (const kind of kinds) {
    const options = {
      retryLimit: kind.policy.attempts - 1,
      retryDelay: config.retryDelaySeconds,
      retryBackoff: true,
      retryDelayMax: config.retryDelayMaxSeconds,
      expireInSeconds: kind.policy.timeoutSeconds ?? config.timeoutSeconds,
      notify: true,
    };
    // Another instance may be creating it at the same moment; whichever wins, the options end up the same.
    if (await boss.getQueue(kind.name)) await boss.updateQueue(kind.name, options);
    else await boss.createQueue(kind.name, options).catch(() => boss.updateQueue(kind.name, options));
    if (kind.schedule) await boss.schedule(kind.name, kind.schedule, {}, { key: kind.name });
  }

  const run = async (kind: AnyJobKind<Deps>, job: Job<object>): Promise<JobResult> => {
    try {
      await kind.run(job.data, deps, { id: job.id, retryCount: job.retryCount });
      return { id: job.id, status: "completed" };
    } catch (error) {
      log.warn({ err: error, job: { kind: kind.name, id: job.id, retryCount: job.retryCount } }, "job failed");
      const { name, message } = error instanceof Error ? error : { name: "Error", message: String(error) };
      return { id: job.id, status: "failed", output: { name, message } };
    }
  };
  const work = async (name: string) => {
    const kind = byName.get(name);
    if (!kind) return;
    await boss.work(
      name,
      {
        // `concurrency` loops (one for a scheduled kind: an hourly clean-up needs no more, and each loop
        // polls), each claiming up to BATCH jobs and running them one after the other; while batches come
        // back full a loop fetches again at once (a backlog drains at full speed), otherwise it polls.
        // Each job of a batch succeeds or fails (and is retried) on its own.
        localConcurrency: kind.schedule ? 1 : config.concurrency,
        batchSize: BATCH,
        burstWhenBatchFull: true,
        perJobResults: true,
        pollingIntervalSeconds: config.pollIntervalSeconds,
        // NOTIFY wakes workers for new jobs only; retries come due by polling, which must not relax to 30 s.
        notifyPollingIntervalSeconds: config.pollIntervalSeconds,
      },
      async (jobs: Job<object>[]) => {
        const results: JobResult[] = [];
        for (const job of jobs) results.push(await run(kind, job));
        return results;
      },
    );
  };
  if (config.worker) for (const kind of kinds) await work(kind.name);
  log.info({ kinds: kinds.length, worker: config.worker }, config.worker ? "job workers started" : "job queue ready");

  const names = [...byName.keys()];
  return {
    async enqueue(tx, kind, data, key) {
      await boss.send(kind.name, data, { db: fromPrisma(tx), singletonKey: key });
    },
    async failedJobs(limit) {
      // pg-boss has no query by state; its job table is documented for direct use (docs/sql/job-table.md).
      const rows = await db.prisma.$queryRaw<
        { id: string; name: string; retry_count: number; output: unknown; created_on: Date; completed_on: Date }[]
      >`SELECT id::text, name, retry_count, output, created_on, completed_on FROM pgboss.job
        WHERE state = 'failed' AND name = ANY(${names}) ORDER BY completed_on DESC LIMIT ${limit}`;
      return rows.map((row) => ({
        id: row.id,
        kind: row.name,
        attempts: row.retry_count + 1,
        lastError: errorMessage(row.output),
        createdAt: row.created_on,
        failedAt: row.completed_on,
      }));
    },
    async retry(kind, id) {
      if (!byName.has(kind)) return false;
      const job = await boss.getJobById(kind, id);
      if (job?.state !== "failed") return false;
      await boss.retry(kind, id);
      return true;
    },
    async stats() {
      const queues = await boss.getQueues(names);
      return queues.map((queue) => ({
        kind: queue.name,
        ready: queue.readyCount,
        deferred: queue.deferredCount,
        active: queue.activeCount,
        failed: queue.failedCount,
      }));
    },
    async pause(paused) {
      for (const name of paused) await boss.offWork(name);
    },
    async resume(resumed) {
      if (config.worker) for (const name of resumed) await work(name);
    },
    stop: () => boss.stop({ graceful: true, timeout: config.shutdownTimeoutMs }),
  };
}

/** How often timed-out jobs are failed (so retried) and queues maintained. */
function intervals(config: JobQueueConfig) {
  return {
    monitorIntervalSeconds: config.monitorIntervalSeconds,
    superviseIntervalSeconds: config.monitorIntervalSeconds,
  };
}

function errorMessage(output: unknown): string {
  if (output && typeof output === "object" && "message" in output) return String(output.message);
  return output === null || output === undefined ? "" : JSON.stringify(output);
}
