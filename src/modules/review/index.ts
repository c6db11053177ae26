export { createReviewLoaders } from "./review.loaders.js";
export { ReviewResolver } from "./review.resolver.js";
export { reviewPermissions } from "./review.rules.js";
export { authorReviews, productReviews } from "./review.service.js";
export { Review, ReviewConnection } from "./review.type.js";
