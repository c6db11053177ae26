import { MaxLength } from "class-validator";
import { Field, InputType } from "type-graphql";
import { IsNotBlank, IsOmittable, IsSlug } from "../../platform/validation/index.js";

export const POST_TITLE_MAX = 200;
export const POST_SLUG_MAX = 120;
export const POST_BODY_MAX = 100_000;

// No author, status, view count or dates: the author is the caller, status moves through
// publishPost/unpublishPost, and the rest is kept by the server.

@InputType({ description: "A new blog post; it starts as a draft." })
export class CreatePostInput {
  @Field(() => String, { description: `Headline, 1 to ${POST_TITLE_MAX} characters.` })
  @IsNotBlank()
  @MaxLength(POST_TITLE_MAX)
  title!: string;

  @Field(() => String, {
    description: `Unique URL-friendly name: lower-case words joined by hyphens, at most ${POST_SLUG_MAX} characters.`,
  })
  @IsSlug()
  @MaxLength(POST_SLUG_MAX)
  slug!: string;

  @Field(() => String, { description: `The text (plain text), 1 to ${POST_BODY_MAX} characters.` })
  @IsNotBlank()
  @MaxLength(POST_BODY_MAX)
  body!: string;
}

@InputType({ description: "Changes to one of your posts; fields left out keep their value." })
export class UpdatePostInput {
  @Field(() => String, { nullable: true, description: "New headline." })
  @IsOmittable()
  @IsNotBlank()
  @MaxLength(POST_TITLE_MAX)
  title?: string;

  @Field(() => String, { nullable: true, description: "New unique slug (old links stop working)." })
  @IsOmittable()
  @IsSlug()
  @MaxLength(POST_SLUG_MAX)
  slug?: string;

  @Field(() => String, { nullable: true, description: "New text." })
  @IsOmittable()
  @IsNotBlank()
  @MaxLength(POST_BODY_MAX)
  body?: string;
}
