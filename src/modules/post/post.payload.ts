import { Field, ID, ObjectType } from "type-graphql";
import type { Post as PostRow } from "../../generated/prisma/client.js";
import { MutationPayload } from "../../platform/validation/index.js";
import { Post } from "./post.type.js";

@ObjectType({ description: "The result of writing, changing, publishing or reading a post." })
export class PostPayload extends MutationPayload {
  @Field(() => Post, { nullable: true, description: "The post as it is now; null when `userErrors` is not empty." })
  post!: PostRow | null;
}

@ObjectType({ description: "The result of deleting a post." })
export class DeletePostPayload extends MutationPayload {
  @Field(() => ID, { nullable: true, description: "Id of the deleted post; null when `userErrors` is not empty." })
  deletedPostId!: string | null;
}
