import DataLoader from "dataloader";
import type { PrismaClient } from "../../generated/prisma/client.js";
import type { Viewer } from "../auth/tokens.js";
import { noteLoaderBatch } from "../db/statement-count.js";

/**
 * What a write in this request changed, announced by the module that wrote it, so that modules it must not
 * import (they depend on it) can drop their stale loader entries: a category move makes the product
 * module's per-category lists stale. Listeners are added as loaders are built; most requests notify none.
 */
export class ChangeNotices {
  readonly #listeners = new Map<string, (() => void)[]>();

  on(topic: string, listener: () => void): void {
    const listeners = this.#listeners.get(topic);
    if (listeners) listeners.push(listener);
    else this.#listeners.set(topic, [listener]);
  }

  notify(topic: string): void {
    for (const listener of this.#listeners.get(topic) ?? []) listener();
  }
}

/** What every module's loaders are built from, once per request. */
export type LoaderDeps = Readonly<{
  prisma: PrismaClient;
  viewer: Viewer | null;
  changes: ChangeNotices;
}>;

/** The largest IN-list or unnest array one batch sends; bigger batches are split by DataLoader. */
const MAX_BATCH_SIZE = 500;

export function createLoader<Key, Value>(
  batchLoad: (keys: readonly Key[]) => Promise<readonly Value[]>,
): DataLoader<Key, Value> {
  // The batch's size goes to the metrics (when on) through the request's scope: once per batch, not per key.
  const observed = (keys: readonly Key[]) => {
    noteLoaderBatch(keys.length);
    return batchLoad(keys);
  };
  return new DataLoader(observed, { maxBatchSize: MAX_BATCH_SIZE });
}

/** Results in key order (DataLoader's contract), through a Map rather than a search per key. */
export function inKeyOrder<Key, Row>(
  keys: readonly Key[],
  rows: readonly Row[],
  keyOf: (row: Row) => Key,
): (Row | null)[] {
  const byKey = new Map<Key, Row>();
  for (const row of rows) byKey.set(keyOf(row), row);
  return keys.map((key) => byKey.get(key) ?? null);
}

export function groupedInKeyOrder<Key, Row>(
  keys: readonly Key[],
  rows: readonly Row[],
  keyOf: (row: Row) => Key,
): Row[][] {
  const groups = new Map<Key, Row[]>(keys.map((key) => [key, []]));
  for (const row of rows) groups.get(keyOf(row))?.push(row);
  return keys.map((key) => groups.get(key) ?? []);
}

/**
 * One loader per distinct argument set: `reviews(first: 5)` on fifty products batches into one
 * statement, while `reviews(first: 2)` elsewhere in the same request gets its own batch.
 */
export function loaderPerArguments<Args, Loader extends { clearAll(): unknown }>(
  create: (args: Args) => Loader,
): ((args: Args) => Loader) & { clearAll(): void } {
  const loaders = new Map<string, Loader>();
  const loaderFor = (args: Args) => {
    const key = JSON.stringify(args);
    let loader = loaders.get(key);
    if (!loader) {
      loader = create(args);
      loaders.set(key, loader);
    }
    return loader;
  };
  // After a mutation changes which rows a list holds, every page cached so far (whatever its arguments) is stale.
  return Object.assign(loaderFor, {
    clearAll() {
      for (const loader of loaders.values()) loader.clearAll();
    },
  });
}
