// How many SQL statements a piece of work (one HTTP request) sent, for its log line: a count that rises for
// the same operation is an N+1 in the making. AsyncLocalStorage follows the work through Prisma, DataLoader
// batches and the driver adapter, where openDatabase notes each statement (as cancellation.ts does with
// connections).
import { AsyncLocalStorage } from "node:async_hooks";

export type StatementCount = { count: number };

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
