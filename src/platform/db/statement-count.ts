// How many SQL statements a piece of work (one HTTP request) sent, for its log line: a count that rises for
// the same operation is an N+1 in the making. AsyncLocalStorage follows the work through Prisma, DataLoader
// batches and the driver adapter, where openDatabase notes each statement (as cancellation.ts does with
// connections).
import { AsyncLocalStorage } from "node:async_hooks";

export type StatementCount = {
  count: number;
  /**
   * Told the size of every DataLoader batch the work dispatches (platform/loaders), for the metrics. It
   * rides on this scope because DataLoader runs its batch functions in the context of the load that opened
   * the batch: no loader has to be built with a metrics handle, and a request without one pays nothing.
   */
  onLoaderBatch?: (size: number) => void;
};

const scope = new AsyncLocalStorage<StatementCount>();

/** Runs `work` so that the statements it sends are counted in `counter`. */
export function countStatements<T>(counter: StatementCount, work: () => T): T {
  return scope.run(counter, work);
}

/** Called by the database layer for every statement sent. */
export function noteStatement(): void {
  const counter = scope.getStore();
  if (counter) counter.count++;
}

/** Called by the loaders for every batch they dispatch. */
export function noteLoaderBatch(size: number): void {
  scope.getStore()?.onLoaderBatch?.(size);
}
