import { Arg, Args, Ctx, Directive, FieldResolver, ID, Mutation, Query, Resolver, Root } from "type-graphql";
import type { RequestContext } from "../../context.js";
import type { Post as PostRow, User as UserRow } from "../../generated/prisma/client.js";
import { cacheHint } from "../../platform/cache/index.js";
import { ConnectionArgs } from "../../platform/pagination/index.js";
import { requireViewer } from "../../platform/permissions/viewer.js";
import { User } from "../user/index.js";
import { PostLookupArgs, PostsArgs } from "./post.args.js";
import { CreatePostInput, UpdatePostInput } from "./post.input.js";
import { DeletePostPayload, PostPayload } from "./post.payload.js";
import {
  authorPosts,
  createPost,
  deletePost,
  findPost,
  listPosts,
  publishPost,
  recordPostView,
  unpublishPost,
  updatePost,
} from "./post.service.js";
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

  @Directive(cacheHint.private)
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

  @Mutation(() => PostPayload, { description: "Write a new post, saved as a draft. Needs sign-in." })
  createPost(
    @Arg("input", () => CreatePostInput, { description: "The post." }) input: CreatePostInput,
    @Ctx() ctx: RequestContext,
  ) {
    return createPost(ctx, requireViewer(ctx), input);
  }

  @Mutation(() => PostPayload, { description: "Edit one of your posts, draft or published. Needs sign-in." })
  updatePost(
    @Arg("id", () => ID, { description: "Your post to edit." }) id: string,
    @Arg("input", () => UpdatePostInput, { description: "The changes." }) input: UpdatePostInput,
    @Ctx() ctx: RequestContext,
  ) {
    return updatePost(ctx, requireViewer(ctx), id, input);
  }

  @Mutation(() => PostPayload, {
    description: "Publish one of your drafts: it becomes public and `publishedAt` is set. Needs sign-in.",
  })
  publishPost(@Arg("id", () => ID, { description: "Your draft." }) id: string, @Ctx() ctx: RequestContext) {
    return publishPost(ctx, requireViewer(ctx), id);
  }

  @Mutation(() => PostPayload, {
    description: "Turn one of your published posts back into a draft. Needs sign-in.",
  })
  unpublishPost(@Arg("id", () => ID, { description: "Your published post." }) id: string, @Ctx() ctx: RequestContext) {
    return unpublishPost(ctx, requireViewer(ctx), id);
  }

  @Mutation(() => DeletePostPayload, { description: "Delete one of your posts for good. Needs sign-in." })
  deletePost(@Arg("id", () => ID, { description: "Your post to delete." }) id: string, @Ctx() ctx: RequestContext) {
    return deletePost(ctx, requireViewer(ctx), id);
  }

  @Mutation(() => PostPayload, {
    description: "Count one read of a published post (`viewCount` + 1, safe under concurrency). Open to everyone.",
  })
  recordPostView(
    @Arg("id", () => ID, { description: "The published post read." }) id: string,
    @Ctx() ctx: RequestContext,
  ) {
    return recordPostView(ctx, id);
  }
}

/** `User.posts` lives here so the user module need not know about the blog. */
@Resolver(() => User)
export class UserPostsResolver {
  @Directive(cacheHint.private)
  @FieldResolver(() => PostConnection, {
    description: "Posts this user wrote, newest first (by creation time). Drafts only for the user and admins.",
  })
  posts(@Root() user: UserRow, @Args(() => ConnectionArgs) args: ConnectionArgs, @Ctx() ctx: RequestContext) {
    return authorPosts(ctx, user.id, args);
  }
}
