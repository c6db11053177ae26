import type { RequestContext } from "../../context.js";
import { type Post, PostStatus } from "../../generated/prisma/client.js";
import type { Viewer } from "../../platform/auth/tokens.js";
import { isUniqueViolation } from "../../platform/db/errors.js";
import { loadByIdOr, parseId } from "../../platform/ids.js";
import {
  type ConnectionArguments,
  type ConnectionResult,
  pageRequest,
  type SortOrder,
  toConnection,
} from "../../platform/pagination/index.js";
import { resumableEvents } from "../../platform/realtime/index.js";
import { failWith, reject, settle, UserErrorCode, validateId, validateInput } from "../../platform/validation/index.js";
import type { PostFilter } from "./post.args.js";
import type { CreatePostInput, UpdatePostInput } from "./post.input.js";
import type { DeletePostPayload, PostPayload } from "./post.payload.js";
import { postRepository, postSlugConstraint } from "./post.repository.js";

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
  const post = await loadByIdOr(lookup, "slug", ctx.loaders.post.byId, ctx.loaders.post.bySlug);
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

const failed = failWith<PostPayload>({ post: null });

function noSuchPost(): never {
  reject(["id"], UserErrorCode.NOT_FOUND, "There is no post of yours with this id.");
}

function slugTakenOr(error: unknown): never {
  if (isUniqueViolation(error, postSlugConstraint)) {
    reject(["input", "slug"], UserErrorCode.TAKEN, "Another post already uses this slug.");
  }
  throw error;
}

/**
 * The written row replaces cached copies (a deleted one is just dropped); lists and counts start over,
 * since a status change or a deletion changes what they hold.
 */
function remember(ctx: RequestContext, post: Post, deleted = false) {
  ctx.cache.changed("Post", [post.id]);
  const { post: loaders } = ctx.loaders;
  loaders.byId.clear(post.id);
  loaders.bySlug.clearAll();
  loaders.pageByAuthor.clearAll();
  loaders.countByAuthor.clearAll();
  if (!deleted) {
    loaders.byId.prime(post.id, post);
    loaders.bySlug.prime(post.slug, post);
  }
}

async function writePost(ctx: RequestContext, write: () => Promise<Post | null>): Promise<PostPayload> {
  return settle(async () => {
    const post = await write();
    if (!post) noSuchPost();
    remember(ctx, post);
    return { post, userErrors: [] };
  }, failed);
}

export async function createPost(ctx: RequestContext, viewer: Viewer, input: CreatePostInput): Promise<PostPayload> {
  const invalid = await validateInput(input);
  if (invalid.length > 0) return failed(invalid);
  const fields = { title: input.title.trim(), slug: input.slug, body: input.body };
  return writePost(ctx, () => postRepository(ctx.prisma).create(viewer.id, fields).catch(slugTakenOr));
}

export async function updatePost(
  ctx: RequestContext,
  viewer: Viewer,
  id: string,
  input: UpdatePostInput,
): Promise<PostPayload> {
  const invalid = [...validateId(id), ...(await validateInput(input))];
  if (invalid.length > 0) return failed(invalid);
  const fields = { title: input.title?.trim(), slug: input.slug, body: input.body };
  return writePost(ctx, () => postRepository(ctx.prisma).update(viewer.id, id, fields).catch(slugTakenOr));
}

/** DRAFT → PUBLISHED (stamping `publishedAt`) or back; anything else is an INVALID_TRANSITION. */
async function movePost(ctx: RequestContext, viewer: Viewer, id: string, from: PostStatus, to: PostStatus) {
  const invalid = validateId(id);
  if (invalid.length > 0) return failed(invalid);
  return writePost(ctx, async () => {
    const posts = postRepository(ctx.prisma);
    const moved = await posts.transition(viewer.id, id, from, to);
    if (moved) return moved;
    // Nothing matched: say whether the post is missing or merely already there.
    const current = await posts.findOwn(viewer.id, id);
    if (!current) return null;
    return reject(
      ["id"],
      UserErrorCode.INVALID_TRANSITION,
      to === PostStatus.PUBLISHED ? "The post is already published." : "The post is not published.",
    );
  });
}

export async function publishPost(ctx: RequestContext, viewer: Viewer, id: string) {
  const payload = await movePost(ctx, viewer, id, PostStatus.DRAFT, PostStatus.PUBLISHED);
  if (payload.post) ctx.events.publish(POST_PUBLISHED, payload.post);
  return payload;
}

const POST_PUBLISHED = "post.published";

/** A published post's place in the `postPublished` stream. */
export const publishedAt = (post: Post) => post.publishedAt ?? post.updatedAt;

/** `postPublished`: posts as they are published; resuming replays those published since the cursor. */
export function postsPublished(ctx: RequestContext, args: { after?: string | null }) {
  return resumableEvents<Post>({
    live: ctx.events.subscribe(POST_PUBLISHED),
    after: args.after,
    settings: ctx.events.resume,
    replay: (from, limit) => postRepository(ctx.prisma).publishedAfter(from, limit),
    key: (post) => post.id,
    position: (post) => ({ at: publishedAt(post), id: post.id }),
    accept: (post) => post.status === PostStatus.PUBLISHED,
  });
}

export const unpublishPost = (ctx: RequestContext, viewer: Viewer, id: string) =>
  movePost(ctx, viewer, id, PostStatus.PUBLISHED, PostStatus.DRAFT);

export async function deletePost(ctx: RequestContext, viewer: Viewer, id: string): Promise<DeletePostPayload> {
  const failedDelete = failWith<DeletePostPayload>({ deletedPostId: null });
  const invalid = validateId(id);
  if (invalid.length > 0) return failedDelete(invalid);
  return settle(async () => {
    const post = await postRepository(ctx.prisma).delete(viewer.id, id);
    if (!post) noSuchPost();
    remember(ctx, post, true);
    return { deletedPostId: post.id, userErrors: [] };
  }, failedDelete);
}

/** Counts one read of a published post. Open to anonymous readers, like the post itself. */
export async function recordPostView(ctx: RequestContext, id: string): Promise<PostPayload> {
  const invalid = validateId(id);
  if (invalid.length > 0) return failed(invalid);
  return settle(async () => {
    const post = await postRepository(ctx.prisma).recordView(id);
    if (!post) reject(["id"], UserErrorCode.NOT_FOUND, "There is no published post with this id.");
    remember(ctx, post);
    return { post, userErrors: [] };
  }, failed);
}
