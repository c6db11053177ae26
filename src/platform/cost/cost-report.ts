/** The caller's budget after this request, in the shape of Shopify's `throttleStatus`. */
export type ThrottleStatus = Readonly<{
  /** Points the budget holds when full. */
  maximumAvailable: number;
  /** Points left now (after this request was charged). */
  currentlyAvailable: number;
  /** Points restored per second. */
  restoreRate: number;
}>;

/** Sent as `extensions.cost` on every response, and returned by the `rateLimit` query field. */
export type CostReport = Readonly<{
  /** The operation's cost, computed from the document and variables before anything ran. */
  requestedQueryCost: number;
  /** The most a single operation may cost. */
  maximumQueryCost: number;
  throttleStatus: ThrottleStatus;
}>;
