import type { RequestContext } from "../../context.js";
import { Prisma } from "../../generated/prisma/client.js";
import type { PlanContribution } from "../../platform/planner/index.js";
import { inCategoryTree, onSaleSql, productSortColumnTypes } from "./product.repository.js";
import { newestProductsFirst } from "./product.service.js";

/** How the planner reads products, and the relations the product module owns (see product.resolver.ts). */
export const productPlans: PlanContribution<RequestContext> = {
  entities: {
    Product: {
      table: "products",
      columns: {
        id: "value",
        name: "value",
        slug: "value",
        description: "value",
        priceCents: "value",
        currency: "value",
        stock: "value",
        status: "value",
        imageUrls: "value",
        averageRating: "value",
        reviewCount: "value",
        createdAt: "timestamp",
        updatedAt: "timestamp",
      },
      foreignKeys: { category: "categoryId" },
    },
  },
  relations: {
    Product: {
      category: {
        kind: "one",
        target: "Category",
        join: (product, category) => Prisma.raw(`${category}.id = ${product}."categoryId"`),
      },
    },
    Category: {
      // As `categoryProducts`: products on sale in the category and its sub-categories, newest first.
      products: {
        kind: "page",
        target: "Product",
        order: newestProductsFirst,
        sortColumnType: productSortColumnTypes.createdAt ?? "timestamp",
        join: (category, product) =>
          Prisma.sql`${inCategoryTree(Prisma.raw(`${product}."categoryId"`), Prisma.raw(`${category}.id`))} AND ${onSaleSql(product)}`,
        count: (category, ctx) => ctx.loaders.product.countByCategory.load(category.id as string),
      },
    },
  },
};
