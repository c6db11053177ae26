import type { RequestContext } from "../../context.js";
import { Prisma } from "../../generated/prisma/client.js";
import type { PlanContribution, RelationPlan } from "../../platform/planner/index.js";
import type { ReviewParent } from "./review.repository.js";
import { newestReviewsFirst } from "./review.service.js";

/** The newest-first page of reviews whose `parent` column names the parent row, as the loaders read it. */
function reviewPage(
  parent: ReviewParent,
  count: (loaders: RequestContext["loaders"]["review"]) => { load(id: string): Promise<number> },
): RelationPlan<RequestContext> {
  return {
    kind: "page",
    target: "Review",
    order: newestReviewsFirst,
    sortColumnType: "timestamp",
    join: (row, review) => Prisma.raw(`${review}."${parent}" = ${row}.id`),
    count: (row, ctx) => count(ctx.loaders.review).load(row.id as string),
  };
}

/** How the planner reads reviews, and the relations the review module owns (see review.resolver.ts). */
export const reviewPlans: PlanContribution<RequestContext> = {
  entities: {
    Review: {
      table: "reviews",
      columns: { id: "value", rating: "value", body: "value", createdAt: "timestamp", updatedAt: "timestamp" },
      foreignKeys: { author: "authorId", product: "productId" },
    },
  },
  relations: {
    Review: {
      author: { kind: "one", target: "User", join: (review, user) => Prisma.raw(`${user}.id = ${review}."authorId"`) },
      product: {
        kind: "one",
        target: "Product",
        join: (review, product) => Prisma.raw(`${product}.id = ${review}."productId"`),
      },
    },
    Product: { reviews: reviewPage("productId", (loaders) => loaders.countByProduct) },
    User: { reviews: reviewPage("authorId", (loaders) => loaders.countByAuthor) },
  },
};
