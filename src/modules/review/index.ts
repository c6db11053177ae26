import { defineModule } from "../module.js";
import { createReviewLoaders } from "./review.loaders.js";
import { ProductReviewsResolver, ReviewResolver, UserReviewsResolver } from "./review.resolver.js";
import { reviewPermissions } from "./review.rules.js";

export const reviewModule = defineModule({
  name: "review",
  resolvers: [ReviewResolver, ProductReviewsResolver, UserReviewsResolver],
  permissions: reviewPermissions,
  loaders: createReviewLoaders,
});

export { findReview } from "./review.service.js";
