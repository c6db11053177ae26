import type { Post } from "../../generated/prisma/client.js";
import { allow, isAuthenticated, rule } from "../../platform/permissions/rules.js";
import { payloadPermissions } from "../../platform/validation/index.js";
import { isPostReadable } from "./post.service.js";

/**
 * Defence in depth: the queries never load a draft for someone who may not read it, but should a
 * future field return one, its fields are still refused. Depends on the parent, so never cached.
 */
const isReadablePost = rule({ cache: "no_cache" })((post: Post, _args, ctx) => isPostReadable(ctx.viewer, post));

export const postPermissions = {
  // Open to everyone: which posts come back (and are counted) is the repository's `where`, so asking
  // for other authors' drafts is not refused, it just finds none.
  Query: { post: allow, posts: allow },
  User: { posts: allow },
  // Authors write their own posts (the author is in every repository `where`); anyone may count a read.
  Mutation: {
    createPost: isAuthenticated,
    updatePost: isAuthenticated,
    publishPost: isAuthenticated,
    unpublishPost: isAuthenticated,
    deletePost: isAuthenticated,
    recordPostView: allow,
  },
  Post: {
    id: isReadablePost,
    title: isReadablePost,
    slug: isReadablePost,
    body: isReadablePost,
    status: isReadablePost,
    viewCount: isReadablePost,
    publishedAt: isReadablePost,
    createdAt: isReadablePost,
    updatedAt: isReadablePost,
    author: isReadablePost,
  },
  // Only published posts are published as events; the Post rules above still run per event.
  Subscription: { postPublished: allow },
  PostEvent: { cursor: allow, post: allow },
  // The post inside is checked by the Post rules above (drafts only for their author and admins).
  PostPayload: payloadPermissions("post"),
  DeletePostPayload: payloadPermissions("deletedPostId"),
};
