import type { HTTPGraphQLHead } from "@apollo/server";
import type { FormattedExecutionResult } from "graphql";
import type { CostReport } from "../cost/cost-report.js";
import type { Caller } from "../rate-limit/caller.js";

/** Per-request protection state, in the context as `limits`. */
export type RequestLimits = {
  /** Whose budget and limits this request counts against. */
  caller: Caller;
  /** Epoch milliseconds after which no further resolver starts (the execution deadline). */
  deadline: number;
  /** The operation's cost and the caller's budget, set before execution; null when limits are off. */
  cost: CostReport | null;
  /**
   * The strictest refusal met in this request (budget, field limit, store down). When nothing else was
   * answered, the response gets its status; in every case its Retry-After header.
   */
  refusal: { status: 429 | 503; retryAfterSeconds: number } | null;
  /**
   * Set by the response cache before the cost is taken, when it looks the operation up: resolves to
   * true when the answer comes from the cache (which costs less). Null when it does not look.
   */
  cachedAnswer: Promise<boolean> | null;
};

/** All that the limits read of a request's context (the app's context carries more). */
export type LimitsContext = { limits: RequestLimits };

/** Remembers a refusal so the response can carry Retry-After (and its status, if nothing ran). */
export function noteRefusal(limits: RequestLimits, status: 429 | 503, retryAfterSeconds: number) {
  const current = limits.refusal;
  if (!current || retryAfterSeconds > current.retryAfterSeconds) limits.refusal = { status, retryAfterSeconds };
}

/**
 * Puts a noted refusal on the response: always its Retry-After; its status (429 or 503) when nothing was
 * answered, i.e. no data, or every root field null with an error of its own (a refused nullable field).
 * With some data, 200 keeps the partial result usable for clients that drop non-2xx bodies.
 */
export function applyRefusal(limits: RequestLimits, http: HTTPGraphQLHead, result: FormattedExecutionResult) {
  if (!limits.refusal) return;
  http.headers.set("retry-after", String(limits.refusal.retryAfterSeconds));
  if (answeredNothing(result)) http.status = limits.refusal.status;
}

function answeredNothing(result: FormattedExecutionResult): boolean {
  if (result.data == null) return true;
  const failed = new Set((result.errors ?? []).map((error) => error.path?.[0]));
  return Object.entries(result.data).every(([key, value]) => value === null && failed.has(key));
}
