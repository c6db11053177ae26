import { defineModule } from "../module.js";
import { createReviewLoaders } from "./review.loaders.js";
import { reviewPlans } from "./review.plan.js";
import { ProductReviewsResolver, ReviewResolver, UserReviewsResolver } from "./review.resolver.js";
import { reviewPermissions } from "./review.rules.js";
import { ReviewSubscriptionResolver } from "./review.subscription.js";

export const reviewModule = defineModule({
  name: "review",
  resolvers: [ReviewSubscriptionResolver, ReviewResolver, ProductReviewsResolver, UserReviewsResolver],
  permissions: reviewPermissions,
  plans: reviewPlans,
  loaders: createReviewLoaders,
});

export { findReview } from "./review.service.js";
