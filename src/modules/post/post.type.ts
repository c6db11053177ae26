import { Directive, Field, ID, Int, ObjectType, registerEnumType } from "type-graphql";
import { type Post as PostRow, PostStatus } from "../../generated/prisma/client.js";
import { cacheHint } from "../../platform/cache/index.js";
import { Node } from "../../platform/node.js";
import { connectionType } from "../../platform/pagination/index.js";

registerEnumType(PostStatus, {
  name: "PostStatus",
  description: "Whether a post is out. Drafts are visible only to their author and admins.",
  valuesConfig: {
    DRAFT: { description: "Being written; visible only to its author and admins." },
    PUBLISHED: { description: "Out, and visible to everyone." },
  },
});

@Directive(cacheHint.private)
@ObjectType({
  description: "A blog post. Published posts are public; drafts are visible to their author and admins.",
  implements: Node,
})
export class Post implements Omit<PostRow, "authorId"> {
  @Field(() => ID, { description: "Stable unique id." })
  id!: string;

  @Field(() => String, { description: "Headline." })
  title!: string;

  @Field(() => String, { description: "Unique URL-friendly name." })
  slug!: string;

  @Field(() => String, { description: "The post's text (plain text, paragraphs separated by blank lines)." })
  body!: string;

  @Field(() => PostStatus, { description: "Draft or published." })
  status!: PostStatus;

  @Field(() => Int, { description: "How many times the post was read." })
  viewCount!: number;

  @Field(() => Date, { nullable: true, description: "When the post was published; null for drafts." })
  publishedAt!: Date | null;

  @Field(() => Date, { description: "When the post was first saved." })
  createdAt!: Date;

  @Field(() => Date, { description: "When the post last changed." })
  updatedAt!: Date;
}

export const PostConnection = connectionType(Post, "Post", "post");
