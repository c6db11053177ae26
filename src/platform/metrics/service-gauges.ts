import type { PoolStats } from "../db/database.js";
import type { JobQueueStats } from "../jobs/index.js";
import type { Logger } from "../logger/index.js";
import type { Metrics } from "./metrics.js";

/** What the gateway's dependencies report, read at scrape time (nothing is updated between scrapes). */
export type ServiceProbes = Readonly<{
  /** The PostgreSQL server's pool; absent on PGlite (one in-process connection, no pool). */
  databasePool?: () => PoolStats;
  /** Absent without REDIS_URL. */
  redisReady?: () => boolean;
  jobQueue?: () => Promise<readonly JobQueueStats[]>;
}>;

export function registerServiceGauges(metrics: Metrics, probes: ServiceProbes, log: Logger): void {
  const { databasePool, redisReady, jobQueue } = probes;
  if (databasePool) {
    metrics.gauge({
      name: "gateway_db_pool_connections",
      help: "Connections of the database pool, by state (in_use, idle).",
      labelNames: ["state"],
      collect() {
        const stats = databasePool();
        this.set({ state: "in_use" }, stats.total - stats.idle);
        this.set({ state: "idle" }, stats.idle);
      },
    });
    metrics.gauge({
      name: "gateway_db_pool_max_connections",
      help: "DATABASE_POOL_SIZE: the most connections the pool opens.",
      collect() {
        this.set(databasePool().max);
      },
    });
    metrics.gauge({
      name: "gateway_db_pool_waiting",
      help: "Queries waiting for a free pooled connection (above zero: the pool is exhausted).",
      collect() {
        this.set(databasePool().waiting);
      },
    });
  }
  if (redisReady) {
    metrics.gauge({
      name: "gateway_redis_up",
      help: "1 when the shared Redis connection is ready, 0 while it is away (limits fall back or fail closed).",
      collect() {
        this.set(redisReady() ? 1 : 0);
      },
    });
  }
  if (jobQueue) {
    metrics.gauge({
      name: "gateway_job_queue_jobs",
      help: "Background jobs by kind and state (ready, deferred, active, failed), as of the queue's last monitor pass.",
      labelNames: ["kind", "state"],
      async collect() {
        this.reset();
        try {
          for (const queue of await jobQueue()) {
            this.set({ kind: queue.kind, state: "ready" }, queue.ready);
            this.set({ kind: queue.kind, state: "deferred" }, queue.deferred);
            this.set({ kind: queue.kind, state: "active" }, queue.active);
            this.set({ kind: queue.kind, state: "failed" }, queue.failed);
          }
        } catch (error) {
          // The database is away: the scrape still answers (its other series say why), without this one.
          log.warn({ err: error }, "metrics: could not read the job queue's counts");
        }
      },
    });
  }
}
