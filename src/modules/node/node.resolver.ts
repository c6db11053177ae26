import { Arg, Ctx, Directive, ID, Query, Resolver } from "type-graphql";
import type { RequestContext } from "../../context.js";
import { cacheHint } from "../../platform/cache/index.js";
import { CostPerItemOf } from "../../platform/cost/index.js";
import { Node } from "../../platform/node.js";
import { findNode, findNodes } from "./node.service.js";

@Resolver()
export class NodeResolver {
  @Directive(cacheHint.private)
  @Query(() => Node, {
    nullable: true,
    description: "Any object by its id (Relay's Object Identification); null when there is none, or none you may see.",
  })
  node(@Arg("id", () => ID, { description: "The object's id." }) id: string, @Ctx() ctx: RequestContext) {
    return findNode(ctx, id);
  }

  @Directive(cacheHint.private)
  @Query(() => [Node], {
    nullable: "items",
    description:
      "Objects by their ids, in the order asked (at most 100); null in each place where `node` would answer null.",
  })
  @CostPerItemOf("ids")
  nodes(
    @Arg("ids", () => [ID], { description: "The objects' ids, at most 100." }) ids: string[],
    @Ctx() ctx: RequestContext,
  ) {
    return findNodes(ctx, ids);
  }
}
