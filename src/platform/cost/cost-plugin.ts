import { type ApolloServerPlugin, HeaderMap } from "@apollo/server";
import type { DocumentNode, GraphQLSchema, OperationDefinitionNode } from "graphql";
import { ClientError } from "../errors/index.js";
import { applyRefusal, type LimitsContext, noteRefusal, type RequestLimits } from "../limits/request-limits.js";
import type { Limiter } from "../rate-limit/limiter.js";
import type { BucketResult, BucketSettings } from "../rate-limit/stores.js";
import type { CostReport } from "./cost-report.js";
import { rememberedOperationCost } from "./query-cost.js";

declare module "graphql" {
  interface GraphQLErrorExtensions {
    /** Seconds to wait before retrying, on RATE_LIMITED and SERVICE_UNAVAILABLE (also the Retry-After header). */
    retryAfter?: number;
  }
}

export type CostPluginOptions = Readonly<{
  limiter: Limiter;
  /** Highest cost of a single operation; costlier operations are refused before they run. */
  maxCost: number;
  /** The caller's budget: capacity and restore rate. */
  budget: BucketSettings;
  /** Told of every refusal (metrics): `query_cost` above maxCost, `budget` when the budget is used up. */
  onRefusal?: (reason: "budget" | "query_cost") => void;
}>;

/** What an answer from the response cache costs (README, "Caching"): a tenth of the price, at least 1 point. */
export const cachedAnswerCost = (price: number) => Math.max(1, Math.ceil(price / 10));

const tooComplex = (requested: number, maxCost: number) =>
  new ClientError(
    "QUERY_TOO_COMPLEX",
    `This operation would cost ${requested} points; one operation may cost at most ${maxCost}. ` +
      "Ask for smaller pages (first/last) or fewer nested lists.",
    { http: { status: 400 } },
  );

const overBudget = (price: number, state: BucketResult, budget: BucketSettings) => {
  const retryAfter = Math.max(1, Math.ceil(state.retryAfterMs / 1000));
  return new ClientError(
    "RATE_LIMITED",
    `This operation costs ${price} points and your budget has ${state.available} left ` +
      `(it refills at ${budget.restorePerSecond} a second). Retry after ${retryAfter} s.`,
    { retryAfter, http: { status: 429, headers: new HeaderMap([["retry-after", String(retryAfter)]]) } },
  );
};

/**
 * The same price and budget for an operation that does not pass through Apollo (a subscription, priced
 * and charged once when it starts): the refusal, or null when admitted.
 */
export function admitOperation(options: CostPluginOptions) {
  const priceOf = rememberedOperationCost();
  return async (
    limits: RequestLimits,
    schema: GraphQLSchema,
    document: DocumentNode,
    operation: OperationDefinitionNode,
    variables: Record<string, unknown> | undefined,
  ): Promise<ClientError | null> => {
    const requested = priceOf(schema, document, operation, variables);
    if (requested > options.maxCost) {
      options.onRefusal?.("query_cost");
      return tooComplex(requested, options.maxCost);
    }
    const state = await options.limiter.takeTokens(limits.caller.key, requested, options.budget, { failClosed: false });
    if (state.allowed) return null;
    options.onRefusal?.("budget");
    return overBudget(requested, state, options.budget);
  };
}

/** What a request that fails before an operation is chosen (parse, validation, unknown hash) costs. */
const REJECTED_REQUEST_COST = 1;

/**
 * Prices every operation before execution, refuses those above `maxCost` (QUERY_TOO_COMPLEX, 400) or
 * beyond the caller's budget (RATE_LIMITED, 429, Retry-After), and reports the price and the budget
 * in `extensions.cost` of every response. Refusals happen in `didResolveOperation`, before any
 * resolver, so they cost no SQL.
 */
export function costLimitPlugin(options: CostPluginOptions): ApolloServerPlugin<LimitsContext> {
  const { limiter, maxCost, budget, onRefusal } = options;
  const priceOf = rememberedOperationCost();

  const take = (limits: RequestLimits, cost: number) =>
    limiter.takeTokens(limits.caller.key, cost, budget, { failClosed: false });

  const report = (requested: number, state: BucketResult): CostReport => ({
    requestedQueryCost: requested,
    maximumQueryCost: maxCost,
    throttleStatus: {
      maximumAvailable: budget.capacity,
      currentlyAvailable: state.available,
      restoreRate: budget.restorePerSecond,
    },
  });

  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ schema, document, operation, request, contextValue }) {
          if (!operation) return; // several operations and no name: execution reports it
          const limits = contextValue.limits;
          const requested = priceOf(schema, document, operation, request.variables);
          if (requested > maxCost) {
            limits.cost = report(requested, await take(limits, 0));
            onRefusal?.("query_cost");
            throw tooComplex(requested, maxCost);
          }
          // A cached answer runs no resolver: it costs a share of the price (README, "Caching").
          const price = limits.cachedAnswer && (await limits.cachedAnswer) ? cachedAnswerCost(requested) : requested;
          const state = await take(limits, price);
          limits.cost = report(price, state);
          if (!state.allowed) {
            const refusal = overBudget(price, state, budget);
            noteRefusal(limits, 429, refusal.extensions.retryAfter ?? 1);
            onRefusal?.("budget");
            throw refusal;
          }
        },

        async willSendResponse({ contextValue, response }) {
          const limits = contextValue.limits;
          // Failed before an operation was priced: still costs something, so floods of junk are not free.
          limits.cost ??= report(REJECTED_REQUEST_COST, await take(limits, REJECTED_REQUEST_COST));
          if (response.body.kind !== "single") return;
          const result = response.body.singleResult;
          result.extensions = { ...result.extensions, cost: limits.cost };
          applyRefusal(limits, response.http, result);
        },
      };
    },
  };
}
