import { ArgsType, Field, ID, InputType } from "type-graphql";
import { PostStatus } from "../../generated/prisma/client.js";
import { ConnectionArgs } from "../../platform/pagination/index.js";

@InputType({
  description: "Narrows a post list. All given conditions must hold; drafts you may not see are never listed.",
})
export class PostFilter {
  @Field(() => ID, { nullable: true, description: "Only posts by this author." })
  authorId?: string | null;

  @Field(() => PostStatus, {
    nullable: true,
    description: "Only posts with this status. DRAFT lists your own drafts (every draft for admins).",
  })
  status?: PostStatus | null;
}

@ArgsType()
export class PostsArgs extends ConnectionArgs {
  @Field(() => PostFilter, { nullable: true, description: "Conditions posts must meet." })
  filter?: PostFilter | null;
}

@ArgsType()
export class PostLookupArgs {
  @Field(() => ID, { nullable: true, description: "The post's id." })
  id?: string | null;

  @Field(() => String, { nullable: true, description: "The post's slug." })
  slug?: string | null;
}
