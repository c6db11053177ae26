import { allow, isAuthenticated } from "../../platform/permissions/rules.js";
import { payloadPermissions } from "../../platform/validation/index.js";

export const reviewPermissions = {
  // Any signed-in caller; whose reviews they can change is the repository's `where` (their own, or any
  // for an admin deleting), so another user's review id answers NOT_FOUND.
  Mutation: { createReview: isAuthenticated, updateReview: isAuthenticated, deleteReview: isAuthenticated },
  Review: {
    id: allow,
    rating: allow,
    body: allow,
    createdAt: allow,
    updatedAt: allow,
    author: allow,
    product: allow,
  },
  // Relation fields on other modules' types that return reviews live here, with the reviews.
  Product: { reviews: allow },
  User: { reviews: allow },
  // Public like the reviews themselves; the product must be on sale when subscribing (review.service.ts).
  Subscription: { reviewAdded: allow },
  ReviewEvent: { cursor: allow, review: allow },
  // Reviews and the active products they are written about are public.
  ReviewPayload: payloadPermissions("review"),
  DeleteReviewPayload: payloadPermissions("deletedReviewId", "product"),
};
