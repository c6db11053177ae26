import { IsOptional, MaxLength } from "class-validator";
import { Field, ID, InputType } from "type-graphql";
import { IsId, IsNotBlank, IsOmittable, IsSlug } from "../../platform/validation/index.js";

export const CATEGORY_NAME_MAX = 100;
export const CATEGORY_SLUG_MAX = 100;
export const CATEGORY_DESCRIPTION_MAX = 2000;

@InputType({ description: "A new category. ADMIN only." })
export class CreateCategoryInput {
  @Field(() => String, { description: `Display name, 1 to ${CATEGORY_NAME_MAX} characters.` })
  @IsNotBlank()
  @MaxLength(CATEGORY_NAME_MAX)
  name!: string;

  @Field(() => String, {
    description: `Unique URL-friendly name: lower-case words joined by hyphens, at most ${CATEGORY_SLUG_MAX} characters.`,
  })
  @IsSlug()
  @MaxLength(CATEGORY_SLUG_MAX)
  slug!: string;

  @Field(() => String, {
    nullable: true,
    description: `Optional description, at most ${CATEGORY_DESCRIPTION_MAX} characters.`,
  })
  @IsOptional()
  @MaxLength(CATEGORY_DESCRIPTION_MAX)
  description?: string | null;

  @Field(() => ID, { nullable: true, description: "The enclosing category; omit or null for a top-level one." })
  @IsOptional()
  @IsId()
  parentId?: string | null;
}

@InputType({ description: "Changes to a category; fields left out keep their value. ADMIN only." })
export class UpdateCategoryInput {
  @Field(() => String, { nullable: true, description: `New display name, 1 to ${CATEGORY_NAME_MAX} characters.` })
  @IsOmittable()
  @IsNotBlank()
  @MaxLength(CATEGORY_NAME_MAX)
  name?: string;

  @Field(() => String, { nullable: true, description: "New unique slug (old links stop working)." })
  @IsOmittable()
  @IsSlug()
  @MaxLength(CATEGORY_SLUG_MAX)
  slug?: string;

  @Field(() => String, { nullable: true, description: "New description; null removes it." })
  @IsOptional()
  @MaxLength(CATEGORY_DESCRIPTION_MAX)
  description?: string | null;

  @Field(() => ID, {
    nullable: true,
    description:
      "Move the category (with its whole subtree) under this parent; null makes it top-level. It cannot move into its own subtree.",
  })
  @IsOptional()
  @IsId()
  parentId?: string | null;
}
