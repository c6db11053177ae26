import { isAdmin } from "../../platform/permissions/rules.js";
import { payloadPermissions } from "../../platform/validation/index.js";

export const jobPermissions = {
  Query: { failedJobs: isAdmin },
  Mutation: { retryJob: isAdmin },
  FailedJob: {
    id: isAdmin,
    kind: isAdmin,
    attempts: isAdmin,
    lastError: isAdmin,
    createdAt: isAdmin,
    failedAt: isAdmin,
  },
  RetryJobPayload: payloadPermissions("retried"),
};
