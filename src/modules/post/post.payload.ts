import { Field, ID, ObjectType } from "type-graphql";
import type { Post as PostRow } from "../../generated/prisma/client.js";
import { UserError } from "../../platform/validation/index.js";
import { Post } from "./post.type.js";

@ObjectType({ description: "The result of writing, changing, publishing or reading a post." })
export class PostPayload {
  @Field(() => Post, { nullable: true, description: "The post as it is now; null when `userErrors` is not empty." })
  post!: PostRow | null;

  @Field(() => [UserError], { description: "Problems with the input; when non-empty, nothing was changed." })
  userErrors!: UserError[];
}

@ObjectType({ description: "The result of deleting a post." })
export class DeletePostPayload {
  @Field(() => ID, { nullable: true, description: "Id of the deleted post; null when `userErrors` is not empty." })
  deletedPostId!: string | null;

  @Field(() => [UserError], { description: "Problems with the input; when non-empty, nothing was changed." })
  userErrors!: UserError[];
}
