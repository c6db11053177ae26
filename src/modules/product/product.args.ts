import { ArgsType, Field, ID, InputType, Int, registerEnumType } from "type-graphql";
import { ProductStatus } from "../../generated/prisma/client.js";
import { ConnectionArgs } from "../../platform/pagination/index.js";
import { SEARCH_MAX_LENGTH, SEARCH_MAX_TERMS, SearchCost } from "../../platform/search/index.js";

export enum ProductSort {
  NEWEST = "NEWEST",
  PRICE_ASC = "PRICE_ASC",
  PRICE_DESC = "PRICE_DESC",
  RATING = "RATING",
}

registerEnumType(ProductSort, {
  name: "ProductSort",
  description: "Order of a product list. Every order breaks ties by id, so pages never overlap.",
  valuesConfig: {
    NEWEST: { description: "Most recently added first (default)." },
    PRICE_ASC: { description: "Cheapest first." },
    PRICE_DESC: { description: "Most expensive first." },
    RATING: { description: "Highest average rating first." },
  },
});

@InputType({ description: "Narrows a product list. All given conditions must hold." })
export class ProductFilter {
  @Field(() => ID, { nullable: true, description: "Only products in this category or any of its sub-categories." })
  categoryId?: string | null;

  @Field(() => Int, { nullable: true, description: "Lowest price, in cents, inclusive." })
  minPriceCents?: number | null;

  @Field(() => Int, { nullable: true, description: "Highest price, in cents, inclusive." })
  maxPriceCents?: number | null;

  @Field(() => [ProductStatus], {
    nullable: true,
    description: "Statuses to include (default ACTIVE). Anything but ACTIVE needs the ADMIN role.",
  })
  status?: ProductStatus[] | null;

  @Field(() => String, {
    nullable: true,
    description:
      'Full-text search over name and description, web-search syntax: `wireless headphones -cable`, `"exact phrase"`, `a or b`. ' +
      `At most ${SEARCH_MAX_LENGTH} characters and ${SEARCH_MAX_TERMS} words.`,
  })
  @SearchCost("fullText")
  search?: string | null;
}

@ArgsType()
export class ProductsArgs extends ConnectionArgs {
  @Field(() => ProductFilter, { nullable: true, description: "Conditions products must meet." })
  filter?: ProductFilter | null;

  @Field(() => ProductSort, { nullable: true, description: "Order of the list (default NEWEST)." })
  sort?: ProductSort | null;
}

@ArgsType()
export class ProductLookupArgs {
  @Field(() => ID, { nullable: true, description: "The product's id." })
  id?: string | null;

  @Field(() => String, { nullable: true, description: "The product's slug." })
  slug?: string | null;
}
