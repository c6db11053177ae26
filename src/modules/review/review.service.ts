import type { RequestContext } from "../../context.js";
import type { Product, Review } from "../../generated/prisma/client.js";
import type { Viewer } from "../../platform/auth/tokens.js";
import { isUniqueViolation } from "../../platform/db/errors.js";
import { inTransaction } from "../../platform/db/transaction.js";
import { ClientError } from "../../platform/errors/index.js";
import { parseId } from "../../platform/ids.js";
import {
  type ConnectionArguments,
  pageRequest,
  type SortOrder,
  toConnection,
} from "../../platform/pagination/index.js";
import { resumableEvents } from "../../platform/realtime/index.js";
import { failWith, reject, settle, UserErrorCode, validateId, validateInput } from "../../platform/validation/index.js";
import { findProduct, isOnSale, productInventory, rememberProduct } from "../product/index.js";
import type { CreateReviewInput, UpdateReviewInput } from "./review.input.js";
import type { DeleteReviewPayload, ReviewPayload } from "./review.payload.js";
import { onePerAuthorConstraint, type ReviewScope, reviewRepository } from "./review.repository.js";

export const newestReviewsFirst: SortOrder<Review> = { key: "newest", field: "createdAt", direction: "desc" };

export async function productReviews(ctx: RequestContext, productId: string, args: ConnectionArguments) {
  const page = pageRequest(args, newestReviewsFirst);
  const rows = await ctx.loaders.review.pageByProduct(page).load(productId);
  return toConnection(rows, page, () => ctx.loaders.review.countByProduct.load(productId));
}

export async function authorReviews(ctx: RequestContext, authorId: string, args: ConnectionArguments) {
  const page = pageRequest(args, newestReviewsFirst);
  const rows = await ctx.loaders.review.pageByAuthor(page).load(authorId);
  return toConnection(rows, page, () => ctx.loaders.review.countByAuthor.load(authorId));
}

/**
 * One review by id. A review is read on its product's page, so it is visible when its product is: one
 * about a draft, archived or deleted product answers null for everyone but admins.
 */
export async function findReview(ctx: RequestContext, id: string) {
  const review = await ctx.loaders.review.byId.load(parseId(id, "id"));
  if (!review) return null;
  return (await findProduct(ctx, { id: review.productId })) ? review : null;
}

const failed = failWith<ReviewPayload>({ review: null });

function noSuchReview(): never {
  reject(["id"], UserErrorCode.NOT_FOUND, "There is no review of yours with this id.");
}

/** Authors change their own reviews; admins moderate, so they may delete anyone's (not rewrite them). */
function scopeFor(viewer: Viewer, id: string, moderating: boolean): ReviewScope {
  return moderating && viewer.role === "ADMIN" ? { id } : { id, authorId: viewer.id };
}

/**
 * After a review write, the product (rating) and every review list and count in this request are stale.
 * The product is primed with the row the transaction wrote, so `review { product { averageRating } }` in
 * the payload shows the new figures without another query.
 */
function remember(ctx: RequestContext, product: Product, reviewId: string) {
  ctx.cache.changed("Review", [reviewId]);
  rememberProduct(ctx, product);
  const { review } = ctx.loaders;
  review.pageByProduct.clearAll();
  review.countByProduct.clearAll();
  review.pageByAuthor.clearAll();
  review.countByAuthor.clearAll();
}

export async function createReview(
  ctx: RequestContext,
  viewer: Viewer,
  input: CreateReviewInput,
): Promise<ReviewPayload> {
  const invalid = await validateInput(input);
  if (invalid.length > 0) return failed(invalid);
  return settle(async () => {
    const { review, product } = await inTransaction(ctx.prisma, async (tx) => {
      const reviews = reviewRepository(tx);
      const products = productInventory(tx);
      const target = await products.lock(input.productId);
      if (!target || !isOnSale(target)) {
        reject(["input", "productId"], UserErrorCode.NOT_FOUND, "There is no product on sale with this id.");
      }
      const review = await reviews
        .create({ productId: target.id, authorId: viewer.id, rating: input.rating, body: input.body.trim() })
        .catch((error: unknown) => {
          if (isUniqueViolation(error, onePerAuthorConstraint)) {
            reject(
              ["input", "productId"],
              UserErrorCode.CONFLICT,
              "You already reviewed this product: edit or delete that review instead.",
            );
          }
          throw error;
        });
      return { review, product: await products.refreshRating(target.id) };
    });
    remember(ctx, product, review.id);
    ctx.events.publish(reviewAddedTopic(review.productId), review);
    return { review, userErrors: [] };
  }, failed);
}

/** One topic per product, like `productUpdated`. */
const reviewAddedTopic = (productId: string) => `review.added:${productId}`;

/** `reviewAdded(productId)`: new reviews of a product the caller may see; resuming replays those missed. */
export async function reviewsAdded(ctx: RequestContext, args: { productId: string; after?: string | null }) {
  const productId = parseId(args.productId, "productId");
  if (!(await findProduct(ctx, { id: productId }))) {
    throw new ClientError("NOT_FOUND", "There is no product with this id.", { field: "productId" });
  }
  return resumableEvents<Review>({
    live: ctx.events.subscribe(reviewAddedTopic(productId)),
    after: args.after,
    settings: ctx.events.resume,
    replay: (from, limit) => reviewRepository(ctx.prisma).addedAfter(productId, from, limit),
    key: (review) => review.id,
    position: (review) => ({ at: review.createdAt, id: review.id }),
    accept: () => true,
  });
}

export async function updateReview(
  ctx: RequestContext,
  viewer: Viewer,
  id: string,
  input: UpdateReviewInput,
): Promise<ReviewPayload> {
  const invalid = [...validateId(id), ...(await validateInput(input))];
  if (invalid.length > 0) return failed(invalid);
  const scope = scopeFor(viewer, id, false);
  return settle(async () => {
    const { review, product } = await inTransaction(ctx.prisma, async (tx) => {
      const reviews = reviewRepository(tx);
      const products = productInventory(tx);
      const existing = await reviews.find(scope);
      if (!existing) noSuchReview();
      // Product first, then the review: the same lock order as createReview, so the two cannot deadlock.
      await products.lock(existing.productId);
      const review = await reviews.update(scope, { rating: input.rating, body: input.body?.trim() });
      if (!review) noSuchReview(); // deleted while we waited for the lock
      return { review, product: await products.refreshRating(review.productId) };
    });
    remember(ctx, product, review.id);
    return { review, userErrors: [] };
  }, failed);
}

export async function deleteReview(ctx: RequestContext, viewer: Viewer, id: string): Promise<DeleteReviewPayload> {
  const failedDelete = failWith<DeleteReviewPayload>({ deletedReviewId: null, product: null });
  const invalid = validateId(id);
  if (invalid.length > 0) return failedDelete(invalid);
  const scope = scopeFor(viewer, id, true);
  return settle(async () => {
    const { review, product } = await inTransaction(ctx.prisma, async (tx) => {
      const reviews = reviewRepository(tx);
      const products = productInventory(tx);
      const review = await reviews.find(scope);
      if (!review) noSuchReview();
      await products.lock(review.productId);
      if (!(await reviews.delete(scope))) noSuchReview();
      return { review, product: await products.refreshRating(review.productId) };
    });
    remember(ctx, product, review.id);
    return { deletedReviewId: review.id, product, userErrors: [] };
  }, failedDelete);
}
