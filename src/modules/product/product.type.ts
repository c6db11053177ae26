import { Directive, Field, Float, ID, Int, ObjectType, registerEnumType } from "type-graphql";
import { type Product as ProductRow, ProductStatus } from "../../generated/prisma/client.js";
import { cacheHint, catalogMaxAge } from "../../platform/cache/index.js";
import { Node } from "../../platform/node.js";
import { connectionType } from "../../platform/pagination/index.js";

registerEnumType(ProductStatus, {
  name: "ProductStatus",
  description: "Lifecycle of a product. Only ACTIVE products are visible outside the admin role.",
  valuesConfig: {
    DRAFT: { description: "Being prepared; not visible in the catalog." },
    ACTIVE: { description: "On sale and visible to everyone." },
    ARCHIVED: { description: "No longer sold; kept so past orders and reviews still resolve." },
  },
});

@Directive(cacheHint.publicFor(catalogMaxAge))
@ObjectType({ description: "Something the shop sells.", implements: Node })
export class Product implements Omit<ProductRow, "categoryId" | "deletedAt"> {
  @Field(() => ID, { description: "Stable unique id." })
  id!: string;

  @Field(() => String, { description: "Display name." })
  name!: string;

  @Field(() => String, { description: "Unique URL-friendly name, e.g. `aurora-wireless-headphones`." })
  slug!: string;

  @Field(() => String, { description: "Long description (plain text)." })
  description!: string;

  @Field(() => Int, { description: "Current price in minor units of `currency` (cents): 1999 means 19.99." })
  priceCents!: number;

  @Field(() => String, { description: "ISO 4217 currency code of `priceCents`." })
  currency!: string;

  @Field(() => Int, { description: "Units available to order now." })
  stock!: number;

  @Field(() => ProductStatus, { description: "Lifecycle status." })
  status!: ProductStatus;

  @Field(() => [String], {
    description: "Image URLs typed in by hand, the first being the main picture.",
    deprecationReason: "Use `images`: uploaded pictures, checked, stripped of metadata and resized.",
  })
  imageUrls!: string[];

  @Field(() => Float, { description: "Mean review rating from 1 to 5, or 0 with no reviews." })
  averageRating!: number;

  @Field(() => Int, { description: "Number of reviews." })
  reviewCount!: number;

  @Field(() => Date, { description: "When the product was created." })
  createdAt!: Date;

  @Field(() => Date, { description: "When the product last changed." })
  updatedAt!: Date;
}

export const ProductConnection = connectionType(Product, "Product", "product");
