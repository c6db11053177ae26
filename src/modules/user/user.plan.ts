import type { RequestContext } from "../../context.js";
import type { PlanContribution } from "../../platform/planner/index.js";

/** How the planner reads accounts: the public profile and what the rules read, never the password hash. */
export const userPlans: PlanContribution<RequestContext> = {
  entities: {
    User: {
      table: "users",
      columns: {
        id: "value",
        username: "value",
        name: "value",
        email: "value",
        // Read by the account module's `User.emailVerified`.
        emailVerified: "value",
        role: "value",
        createdAt: "timestamp",
      },
    },
  },
};
