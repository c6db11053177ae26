import type { RequestContext } from "../../context.js";
import { Prisma } from "../../generated/prisma/client.js";
import type { PlanContribution } from "../../platform/planner/index.js";

/** How the planner reads categories, and the to-one relation the category module owns. */
export const categoryPlans: PlanContribution<RequestContext> = {
  entities: {
    Category: {
      table: "categories",
      columns: {
        id: "value",
        name: "value",
        slug: "value",
        description: "value",
        createdAt: "timestamp",
        updatedAt: "timestamp",
      },
      foreignKeys: { parent: "parentId" },
    },
  },
  relations: {
    Category: {
      parent: {
        kind: "one",
        target: "Category",
        join: (child, parent) => Prisma.raw(`${parent}.id = ${child}."parentId"`),
      },
    },
  },
};
