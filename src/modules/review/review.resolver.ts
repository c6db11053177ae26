import { Arg, Args, Ctx, FieldResolver, ID, Mutation, Resolver, Root } from "type-graphql";
import type { RequestContext } from "../../context.js";
import type { Product as ProductRow, Review as ReviewRow, User as UserRow } from "../../generated/prisma/client.js";
import { ConnectionArgs } from "../../platform/pagination/index.js";
import { requireViewer } from "../../platform/permissions/viewer.js";
import { Product } from "../product/index.js";
import { User } from "../user/index.js";
import { CreateReviewInput, UpdateReviewInput } from "./review.input.js";
import { DeleteReviewPayload, ReviewPayload } from "./review.payload.js";
import { authorReviews, createReview, deleteReview, productReviews, updateReview } from "./review.service.js";
import { Review, ReviewConnection } from "./review.type.js";

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

  @Mutation(() => ReviewPayload, {
    description: "Review a product on sale: one review per customer and product. Needs sign-in.",
  })
  createReview(
    @Arg("input", () => CreateReviewInput, { description: "The review." }) input: CreateReviewInput,
    @Ctx() ctx: RequestContext,
  ) {
    return createReview(ctx, requireViewer(ctx), input);
  }

  @Mutation(() => ReviewPayload, { description: "Edit one of your reviews. Needs sign-in." })
  updateReview(
    @Arg("id", () => ID, { description: "Your review to edit." }) id: string,
    @Arg("input", () => UpdateReviewInput, { description: "The changes." }) input: UpdateReviewInput,
    @Ctx() ctx: RequestContext,
  ) {
    return updateReview(ctx, requireViewer(ctx), id, input);
  }

  @Mutation(() => DeleteReviewPayload, {
    description: "Delete one of your reviews; admins may delete anyone's (moderation). Needs sign-in.",
  })
  deleteReview(@Arg("id", () => ID, { description: "The review to delete." }) id: string, @Ctx() ctx: RequestContext) {
    return deleteReview(ctx, requireViewer(ctx), id);
  }
}

@Resolver(() => Product)
export class ProductReviewsResolver {
  @FieldResolver(() => ReviewConnection, { description: "Reviews of this product, newest first." })
  reviews(@Root() product: ProductRow, @Args(() => ConnectionArgs) args: ConnectionArgs, @Ctx() ctx: RequestContext) {
    return productReviews(ctx, product.id, args);
  }
}

@Resolver(() => User)
export class UserReviewsResolver {
  @FieldResolver(() => ReviewConnection, { description: "Reviews this user wrote, newest first." })
  reviews(@Root() user: UserRow, @Args(() => ConnectionArgs) args: ConnectionArgs, @Ctx() ctx: RequestContext) {
    return authorReviews(ctx, user.id, args);
  }
}
