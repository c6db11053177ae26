import { Args, ArgsType, Field, ObjectType, Resolver, Root, Subscription } from "type-graphql";
import type { RequestContext } from "../../context.js";
import type { Post as PostRow } from "../../generated/prisma/client.js";
import { encodeEventCursor } from "../../platform/realtime/index.js";
import { postsPublished, publishedAt } from "./post.service.js";
import { Post } from "./post.type.js";

@ArgsType()
export class PostPublishedArgs {
  @Field(() => String, {
    nullable: true,
    description: "Resume: the `cursor` of the last event received; posts published since come first.",
  })
  after?: string | null;
}

@ObjectType({ description: "A post was published." })
export class PostEvent {
  @Field(() => String, { description: "Where this event stands: pass it as `after` when resubscribing." })
  cursor!: string;

  @Field(() => Post, { description: "The post as published." })
  post!: PostRow;
}

@Resolver()
export class PostSubscriptionResolver {
  @Subscription(() => PostEvent, {
    description: "Posts as they are published.",
    subscribe: ({ args, context }) => postsPublished(context as RequestContext, args as PostPublishedArgs),
  })
  postPublished(@Root() post: PostRow, @Args(() => PostPublishedArgs) _args: PostPublishedArgs): PostEvent {
    return { cursor: encodeEventCursor({ at: publishedAt(post), id: post.id }), post };
  }
}
