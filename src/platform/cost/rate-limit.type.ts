import { Directive, Field, Float, Int, ObjectType } from "type-graphql";
import { cacheHint } from "../cache/index.js";

@Directive(cacheHint.private)
@ObjectType({
  description:
    "Your query-cost budget (a token bucket per signed-in user, or per client address): every operation's cost is taken from it before the operation runs, and it refills at `restoreRate` points a second. The same numbers come in `extensions.cost` of every response.",
})
export class RateLimit {
  @Field(() => Int, { description: "What this operation costs, computed from the document before it ran." })
  requestedQueryCost!: number;

  @Field(() => Int, { description: "The most a single operation may cost; costlier ones are refused unrun." })
  maximumQueryCost!: number;

  @Field(() => Int, { description: "Points the budget holds when full." })
  maximumAvailable!: number;

  @Field(() => Int, { description: "Points left after this operation was charged." })
  currentlyAvailable!: number;

  @Field(() => Float, { description: "Points restored each second." })
  restoreRate!: number;
}
