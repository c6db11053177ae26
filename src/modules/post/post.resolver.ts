import { Args, Ctx, FieldResolver, Query, Resolver, Root } from "type-graphql";
import type { RequestContext } from "../../context.js";
import type { Post as PostRow, User as UserRow } from "../../generated/prisma/client.js";
import { ConnectionArgs } from "../../platform/pagination/index.js";
import { User } from "../user/index.js";
import { PostLookupArgs, PostsArgs } from "./post.args.js";
import { authorPosts, findPost, listPosts } from "./post.service.js";
import { Post, PostConnection } from "./post.type.js";

@Resolver(() => Post)
export class PostResolver {
  @Query(() => Post, {
    nullable: true,
    description: "One post by `id` or `slug`; null when there is none, or it is a draft you may not see.",
  })
  post(@Args(() => PostLookupArgs) args: PostLookupArgs, @Ctx() ctx: RequestContext) {
    return findPost(ctx, args);
  }

  @Query(() => PostConnection, {
    description:
      "The blog, newest first (by creation time). Everyone sees published posts; signed-in authors also their own drafts, admins every draft.",
  })
  posts(@Args(() => PostsArgs) args: PostsArgs, @Ctx() ctx: RequestContext) {
    return listPosts(ctx, args);
  }

  @FieldResolver(() => User, { description: "Who wrote the post." })
  author(@Root() post: PostRow, @Ctx() ctx: RequestContext) {
    return ctx.loaders.user.byId.load(post.authorId);
  }
}

/** `User.posts` lives here so the user module need not know about the blog. */
@Resolver(() => User)
export class UserPostsResolver {
  @FieldResolver(() => PostConnection, {
    description: "Posts this user wrote, newest first (by creation time). Drafts only for the user and admins.",
  })
  posts(@Root() user: UserRow, @Args(() => ConnectionArgs) args: ConnectionArgs, @Ctx() ctx: RequestContext) {
    return authorPosts(ctx, user.id, args);
  }
}
