import type { RequestContext } from "../../context.js";
import { type Post, PostStatus } from "../../generated/prisma/client.js";
import type { Viewer } from "../../platform/auth/tokens.js";
import { badUserInput } from "../../platform/errors/index.js";
import { parseId } from "../../platform/ids.js";
import {
  type ConnectionArguments,
  type ConnectionResult,
  pageRequest,
  type SortOrder,
  toConnection,
} from "../../platform/pagination/index.js";
import type { PostFilter } from "./post.args.js";
import { postRepository } from "./post.repository.js";

/**
 * Newest first by creation time, not publication time: drafts have no `publishedAt`, and a cursor
 * over a nullable column would need NULL-aware comparisons. For published posts the two orders
 * differ only when a post sat in draft a while before going out.
 */
const newestFirst: SortOrder<Post> = { key: "newest", field: "createdAt", direction: "desc" };

/**
 * Published posts are public; drafts belong to their author (and admins). The lists apply the same
 * rule as a `where` (`readableBy` in post.repository.ts): change both together.
 */
export function isPostReadable(viewer: Viewer | null, post: Pick<Post, "status" | "authorId">): boolean {
  return (
    post.status === PostStatus.PUBLISHED || viewer?.role === "ADMIN" || (viewer !== null && post.authorId === viewer.id)
  );
}

export async function findPost(ctx: RequestContext, lookup: { id?: string | null; slug?: string | null }) {
  if ((lookup.id == null) === (lookup.slug == null)) {
    throw badUserInput("Pass exactly one of `id` or `slug`.", lookup.id == null ? "id" : "slug");
  }
  const post =
    lookup.id != null
      ? await ctx.loaders.post.byId.load(parseId(lookup.id, "id"))
      : await ctx.loaders.post.bySlug.load(lookup.slug as string);
  // Someone else's draft answers null, like a post that does not exist.
  return post && isPostReadable(ctx.viewer, post) ? post : null;
}

/**
 * Any filter is allowed: asking for DRAFT posts of other authors is not an error, the row-level
 * `where` simply returns none of them (every draft for admins).
 */
export async function listPosts(
  ctx: RequestContext,
  args: ConnectionArguments & { filter?: PostFilter | null },
): Promise<ConnectionResult<Post>> {
  const filter = args.filter ?? {};
  const query = {
    authorId: filter.authorId != null ? parseId(filter.authorId, "filter.authorId") : undefined,
    status: filter.status ?? undefined,
  };
  const page = pageRequest(args, newestFirst);
  const posts = postRepository(ctx.prisma);
  const rows = await posts.list(ctx.viewer, query, page);
  for (const row of rows) ctx.loaders.post.byId.prime(row.id, row);
  return toConnection(rows, page, () => posts.count(ctx.viewer, query));
}

export async function authorPosts(ctx: RequestContext, authorId: string, args: ConnectionArguments) {
  const page = pageRequest(args, newestFirst);
  const rows = await ctx.loaders.post.pageByAuthor(page).load(authorId);
  return toConnection(rows, page, () => ctx.loaders.post.countByAuthor.load(authorId));
}
