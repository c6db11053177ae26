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
};

/** All that the limits read of a request's context (the app's context carries more). */
export type LimitsContext = { limits: RequestLimits };

/** Remembers a refusal so the response can carry Retry-After (and its status, if nothing ran). */
export function noteRefusal(limits: RequestLimits, status: 429 | 503, retryAfterSeconds: number) {
  const current = limits.refusal;
  if (!current || retryAfterSeconds > current.retryAfterSeconds) limits.refusal = { status, retryAfterSeconds };
}
