import type { TaggedCache } from "./tagged-cache.js";

/** The tag of one object: `Product:<id>`. */
export const entityTag = (typeName: string, id: string) => `${typeName}:${id}`;

/**
 * The tag every list of a type carries (root lists, searches, relation pages, their counts) and every
 * lookup of that type that found nothing: any write to the type may change which rows they hold.
 */
export const listTag = (typeName: string) => `${typeName}:lists`;

export type CacheAsideOptions = Readonly<{
  /** What must drop the value when it changes (see `RequestCache.changed`). */
  tags: readonly string[];
  ttlSeconds: number;
}>;

/**
 * One request's side of the cache, in the context as `cache`: what the response holds (recorded during
 * execution, for the response cache's tags) and what the request's writes changed (announced by the
 * services after their transactions committed, sent before the response leaves).
 */
export class RequestCache {
  /** Tags of what this response holds; null when the response is not going to be stored. */
  reads: Set<string> | null = null;
  /** Tags this request's writes changed. */
  readonly changes = new Set<string>();

  constructor(private readonly store: TaggedCache | null) {}

  /**
   * A write changed these rows of `typeName` (or, with no ids, only which rows its lists hold). Every list
   * of the type is dropped too: a changed column can move a row in or out of a filter, a search, a sort.
   */
  changed(typeName: string, ids: Iterable<string> = []): void {
    this.changedRows(typeName, ids);
    this.changes.add(listTag(typeName));
  }

  /**
   * A write changed only columns no list filters, searches or sorts on (stock taken by an order): the
   * lists that show these rows carry their tags and are dropped, the others stay.
   */
  changedRows(typeName: string, ids: Iterable<string>): void {
    for (const id of ids) this.changes.add(entityTag(typeName, id));
  }

  /**
   * Cache-aside for a value many different responses need (a count behind `totalCount`), dropped by the
   * same invalidations as the responses. A request that has written reads the database: its own write is
   * not announced yet.
   */
  async aside<T>(key: string, options: CacheAsideOptions, load: () => Promise<T>): Promise<T> {
    for (const tag of options.tags) this.reads?.add(tag);
    const store = this.store;
    if (!store || this.changes.size > 0 || !store.available()) return load();
    const cacheKey = `aside:${key}`;
    const lookup = await store.get(cacheKey);
    if (lookup.entry) return lookup.entry.value as T;
    const value = await load();
    if (lookup.ticket) {
      const expiresAt = Date.now() + options.ttlSeconds * 1000;
      void store.set(cacheKey, { value, tags: options.tags, expiresAt }, lookup.ticket);
    }
    return value;
  }
}
