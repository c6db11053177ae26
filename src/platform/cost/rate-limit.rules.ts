import { allow } from "../permissions/rules.js";

/** Anyone may read their own budget: it describes only the caller. */
export const rateLimitPermissions = {
  Query: { rateLimit: allow },
  RateLimit: {
    requestedQueryCost: allow,
    maximumQueryCost: allow,
    maximumAvailable: allow,
    currentlyAvailable: allow,
    restoreRate: allow,
  },
};
