import type { RequestContext } from "../../context.js";
import type { Review } from "../../generated/prisma/client.js";
import {
  type ConnectionArguments,
  pageRequest,
  type SortOrder,
  toConnection,
} from "../../platform/pagination/index.js";

const newestFirst: SortOrder<Review> = { key: "newest", field: "createdAt", direction: "desc" };

export async function productReviews(ctx: RequestContext, productId: string, args: ConnectionArguments) {
  const page = pageRequest(args, newestFirst);
  const rows = await ctx.loaders.review.pageByProduct(page).load(productId);
  return toConnection(rows, page, () => ctx.loaders.review.countByProduct.load(productId));
}

export async function authorReviews(ctx: RequestContext, authorId: string, args: ConnectionArguments) {
  const page = pageRequest(args, newestFirst);
  const rows = await ctx.loaders.review.pageByAuthor(page).load(authorId);
  return toConnection(rows, page, () => ctx.loaders.review.countByAuthor.load(authorId));
}
