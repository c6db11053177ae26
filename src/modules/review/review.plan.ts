import type { RequestContext } from "../../context.js";
import { Prisma } from "../../generated/prisma/client.js";
import type { PlanContribution } from "../../platform/planner/index.js";
import { newestReviewsFirst } from "./review.service.js";

/** How the planner reads reviews, and the relations the review module owns (see review.resolver.ts). */
export const reviewPlans: PlanContribution<RequestContext> = {
  entities: {
    Review: {
      table: "reviews",
      columns: { id: "value", rating: "value", body: "value", createdAt: "timestamp", updatedAt: "timestamp" },
      alwaysRead: { id: "value", productId: "value", authorId: "value" },
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
    Product: {
      reviews: {
        kind: "page",
        target: "Review",
        order: newestReviewsFirst,
        sortColumnType: "timestamp",
        join: (product, review) => Prisma.raw(`${review}."productId" = ${product}.id`),
        count: (product, ctx) => ctx.loaders.review.countByProduct.load(product.id as string),
      },
    },
    User: {
      reviews: {
        kind: "page",
        target: "Review",
        order: newestReviewsFirst,
        sortColumnType: "timestamp",
        join: (user, review) => Prisma.raw(`${review}."authorId" = ${user}.id`),
        count: (user, ctx) => ctx.loaders.review.countByAuthor.load(user.id as string),
      },
    },
  },
};
