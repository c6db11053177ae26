import { Ctx, Query, Resolver } from "type-graphql";
import type { LimitsContext } from "../limits/request-limits.js";
import { RateLimit } from "./rate-limit.type.js";

@Resolver()
export class RateLimitResolver {
  @Query(() => RateLimit, {
    nullable: true,
    description:
      "Your query-cost budget after this operation (as GitHub's `rateLimit`). Null only when the server runs without limits.",
  })
  rateLimit(@Ctx() ctx: LimitsContext): RateLimit | null {
    const cost = ctx.limits.cost;
    if (!cost) return null;
    return {
      requestedQueryCost: cost.requestedQueryCost,
      maximumQueryCost: cost.maximumQueryCost,
      ...cost.throttleStatus,
    };
  }
}
