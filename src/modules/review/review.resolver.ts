import { Ctx, FieldResolver, Resolver, Root } from "type-graphql";
import type { RequestContext } from "../../context.js";
import type { Review as ReviewRow } from "../../generated/prisma/client.js";
import { Product } from "../product/index.js";
import { User } from "../user/index.js";
import { Review } from "./review.type.js";

@Resolver(() => Review)
export class ReviewResolver {
  @FieldResolver(() => User, { description: "Who wrote the review." })
  author(@Root() review: ReviewRow, @Ctx() ctx: RequestContext) {
    return ctx.loaders.user.byId.load(review.authorId);
  }

  @FieldResolver(() => Product, { description: "The product reviewed." })
  product(@Root() review: ReviewRow, @Ctx() ctx: RequestContext) {
    return ctx.loaders.product.byId.load(review.productId);
  }
}
