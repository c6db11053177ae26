import {
  ArrayMaxSize,
  IsEnum,
  IsInt,
  IsISO4217CurrencyCode,
  IsOptional,
  IsUrl,
  Max,
  MaxLength,
  Min,
} from "class-validator";
import { Field, ID, InputType, Int } from "type-graphql";
import { ProductStatus } from "../../generated/prisma/client.js";
import { IsId, IsNotBlank, IsOmittable, IsSlug } from "../../platform/validation/index.js";

export const PRODUCT_NAME_MAX = 200;
export const PRODUCT_SLUG_MAX = 120;
export const PRODUCT_DESCRIPTION_MAX = 10_000;
/** 1,000,000.00 in cents: far above anything sold here. Order totals are checked against the Int range on their own. */
export const PRICE_CENTS_MAX = 100_000_000;
export const STOCK_MAX = 1_000_000;
export const IMAGE_URLS_MAX = 10;
const IMAGE_URL_LENGTH_MAX = 2048;

const httpsUrl = { protocols: ["https"], require_protocol: true };

// Read-only columns (id, rating, review count, timestamps, deletion) have no field here, so no client can
// set them: the rating follows the reviews, deletion goes through deleteProduct.

@InputType({ description: "A new product. ADMIN only." })
export class CreateProductInput {
  @Field(() => String, { description: `Display name, 1 to ${PRODUCT_NAME_MAX} characters.` })
  @IsNotBlank()
  @MaxLength(PRODUCT_NAME_MAX)
  name!: string;

  @Field(() => String, {
    description: `Unique URL-friendly name: lower-case words joined by hyphens, at most ${PRODUCT_SLUG_MAX} characters.`,
  })
  @IsSlug()
  @MaxLength(PRODUCT_SLUG_MAX)
  slug!: string;

  @Field(() => String, {
    nullable: true,
    description: `Long description (plain text), at most ${PRODUCT_DESCRIPTION_MAX} characters. Default empty.`,
  })
  @IsOptional()
  @MaxLength(PRODUCT_DESCRIPTION_MAX)
  description?: string | null;

  @Field(() => Int, { description: `Price in cents (integer minor units), 0 to ${PRICE_CENTS_MAX}.` })
  @IsInt()
  @Min(0)
  @Max(PRICE_CENTS_MAX)
  priceCents!: number;

  @Field(() => String, { nullable: true, description: "ISO 4217 currency code, e.g. `EUR`. Default `USD`." })
  @IsOptional()
  @IsISO4217CurrencyCode({ message: "$property must be an ISO 4217 currency code such as USD or EUR." })
  currency?: string | null;

  @Field(() => Int, { nullable: true, description: `Units in stock, 0 to ${STOCK_MAX}. Default 0.` })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(STOCK_MAX)
  stock?: number | null;

  @Field(() => ProductStatus, { nullable: true, description: "Lifecycle status. Default DRAFT (not yet visible)." })
  @IsOptional()
  @IsEnum(ProductStatus)
  status?: ProductStatus | null;

  @Field(() => ID, { description: "The category to file it under." })
  @IsId()
  categoryId!: string;

  @Field(() => [String], {
    nullable: true,
    description: `Image URLs (https), the first being the main picture; at most ${IMAGE_URLS_MAX}.`,
  })
  @IsOptional()
  @ArrayMaxSize(IMAGE_URLS_MAX)
  @MaxLength(IMAGE_URL_LENGTH_MAX, { each: true })
  @IsUrl(httpsUrl, { each: true, message: "$property must hold https:// URLs." })
  imageUrls?: string[] | null;
}

@InputType({ description: "Changes to a product; fields left out keep their value. ADMIN only." })
export class UpdateProductInput {
  @Field(() => String, { nullable: true, description: `New display name, 1 to ${PRODUCT_NAME_MAX} characters.` })
  @IsOmittable()
  @IsNotBlank()
  @MaxLength(PRODUCT_NAME_MAX)
  name?: string;

  @Field(() => String, { nullable: true, description: "New unique slug (old links stop working)." })
  @IsOmittable()
  @IsSlug()
  @MaxLength(PRODUCT_SLUG_MAX)
  slug?: string;

  @Field(() => String, { nullable: true, description: "New description." })
  @IsOmittable()
  @MaxLength(PRODUCT_DESCRIPTION_MAX)
  description?: string;

  @Field(() => Int, {
    nullable: true,
    description: "New price in cents. Orders already placed keep the price they were placed at.",
  })
  @IsOmittable()
  @IsInt()
  @Min(0)
  @Max(PRICE_CENTS_MAX)
  priceCents?: number;

  @Field(() => String, { nullable: true, description: "New ISO 4217 currency code." })
  @IsOmittable()
  @IsISO4217CurrencyCode({ message: "$property must be an ISO 4217 currency code such as USD or EUR." })
  currency?: string;

  @Field(() => Int, {
    nullable: true,
    description:
      "Units in stock, as counted now (replaces the number; checkouts after this change decrement it again).",
  })
  @IsOmittable()
  @IsInt()
  @Min(0)
  @Max(STOCK_MAX)
  stock?: number;

  @Field(() => ProductStatus, { nullable: true, description: "New lifecycle status." })
  @IsOmittable()
  @IsEnum(ProductStatus)
  status?: ProductStatus;

  @Field(() => ID, { nullable: true, description: "Move it to this category." })
  @IsOmittable()
  @IsId()
  categoryId?: string;

  @Field(() => [String], { nullable: true, description: "Replaces the image URLs (https); at most 10." })
  @IsOmittable()
  @ArrayMaxSize(IMAGE_URLS_MAX)
  @MaxLength(IMAGE_URL_LENGTH_MAX, { each: true })
  @IsUrl(httpsUrl, { each: true, message: "$property must hold https:// URLs." })
  imageUrls?: string[];
}
