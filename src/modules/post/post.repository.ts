import { type Post, PostStatus, Prisma } from "../../generated/prisma/client.js";
import type { Viewer } from "../../platform/auth/tokens.js";
import { isRecordNotFound } from "../../platform/db/errors.js";
import type { Db } from "../../platform/db/transaction.js";
import {
  columnList,
  keysetOrderBy,
  keysetWhere,
  type PageRequest,
  pagesByParent,
} from "../../platform/pagination/index.js";
import { changedAfter, type EventPosition } from "../../platform/realtime/index.js";

const postColumns = Object.values(Prisma.PostScalarFieldEnum);

/**
 * The row-level rule, as a `where` so counts and cursors only ever include readable posts: admins
 * read everything; anyone else published posts plus, when signed in, their own drafts.
 * `isPostReadable` in post.service.ts is the same rule for a single row: change both together.
 */
function readableBy(viewer: Viewer | null): Prisma.PostWhereInput {
  if (viewer?.role === "ADMIN") return {};
  if (!viewer) return { status: PostStatus.PUBLISHED };
  return { OR: [{ status: PostStatus.PUBLISHED }, { authorId: viewer.id }] };
}

/** `readableBy` for raw SQL over alias `c` (an AND-clause, as `pagesByParent` takes it). */
function readableBySql(viewer: Viewer | null): Prisma.Sql {
  if (viewer?.role === "ADMIN") return Prisma.empty;
  if (!viewer) return Prisma.sql`AND c.status = 'PUBLISHED'`;
  return Prisma.sql`AND (c.status = 'PUBLISHED' OR c."authorId" = ${viewer.id}::uuid)`;
}

export type PostListQuery = Readonly<{ authorId?: string; status?: PostStatus }>;

function listWhere(viewer: Viewer | null, query: PostListQuery): Prisma.PostWhereInput {
  return {
    AND: [
      readableBy(viewer),
      query.authorId !== undefined ? { authorId: query.authorId } : {},
      query.status !== undefined ? { status: query.status } : {},
    ],
  };
}

export const postSlugConstraint = { index: "posts_slug_key", columns: ["slug"] } as const;

export type PostFields = Pick<Prisma.PostUncheckedCreateInput, "title" | "slug" | "body">;

/** Null instead of Prisma's P2025 when the `where` matched nothing (no such post, or not the caller's). */
const orNull = <Row>(write: Promise<Row>): Promise<Row | null> =>
  write.catch((error: unknown) => {
    if (isRecordNotFound(error)) return null;
    throw error;
  });

export function postRepository(prisma: Db) {
  return {
    /** Any post, draft or not: callers decide visibility (see `isPostReadable`). */
    findByIds: (ids: readonly string[]) => prisma.post.findMany({ where: { id: { in: [...ids] } } }),

    /** Posts published after `from`, oldest first: what a resuming `postPublished` missed. */
    publishedAfter: (from: EventPosition, limit: number) =>
      prisma.post.findMany({
        where: { status: PostStatus.PUBLISHED, ...changedAfter<Prisma.PostWhereInput>("publishedAt", from) },
        orderBy: [{ publishedAt: "asc" }, { id: "asc" }],
        take: limit,
      }),

    findBySlugs: (slugs: readonly string[]) => prisma.post.findMany({ where: { slug: { in: [...slugs] } } }),

    list: (viewer: Viewer | null, query: PostListQuery, page: PageRequest<Post>) =>
      prisma.post.findMany({
        where: { AND: [listWhere(viewer, query), keysetWhere(page)] },
        orderBy: keysetOrderBy(page),
        take: page.take,
      }),

    count: (viewer: Viewer | null, query: PostListQuery) => prisma.post.count({ where: listWhere(viewer, query) }),

    /** A page of each author's posts that `viewer` may read. */
    pagesByAuthor: (viewer: Viewer | null, authorIds: readonly string[], page: PageRequest<Post>) =>
      pagesByParent(prisma, authorIds, page, {
        table: "posts",
        columns: postColumns,
        sortColumnType: "timestamp",
        belongsToParent: Prisma.sql`c."authorId" = parent.id`,
        where: readableBySql(viewer),
      }),

    countsByAuthor: async (viewer: Viewer | null, authorIds: readonly string[]) => {
      const groups = await prisma.post.groupBy({
        by: ["authorId"],
        where: { AND: [{ authorId: { in: [...authorIds] } }, readableBy(viewer)] },
        _count: { _all: true },
      });
      const counts = new Map(groups.map((group) => [group.authorId, group._count._all]));
      return authorIds.map((id) => counts.get(id) ?? 0);
    },

    // Writes: the author is in every `where`, so only the author's own posts can change.

    create: (authorId: string, fields: PostFields) => prisma.post.create({ data: { ...fields, authorId } }),

    findOwn: (authorId: string, id: string) => prisma.post.findFirst({ where: { id, authorId } }),

    update: (authorId: string, id: string, fields: Partial<PostFields>) =>
      orNull(prisma.post.update({ where: { id, authorId }, data: fields })),

    /**
     * Moves a post from one status to the other, only if it is in the expected one: the status check and
     * the change are one statement, so two concurrent publishes cannot both "publish" (and both stamp
     * `publishedAt`). Null when nothing matched.
     */
    transition: (authorId: string, id: string, from: PostStatus, to: PostStatus) =>
      orNull(
        prisma.post.update({
          where: { id, authorId, status: from },
          data: { status: to, publishedAt: to === PostStatus.PUBLISHED ? new Date() : null },
        }),
      ),

    delete: (authorId: string, id: string) => orNull(prisma.post.delete({ where: { id, authorId } })),

    /**
     * `SET "viewCount" = "viewCount" + 1` in one statement: PostgreSQL applies concurrent increments one
     * after the other on the row, so none is lost (a read-then-write in the app would lose them). Only
     * published posts count reads.
     */
    recordView: async (id: string) => {
      // Raw SQL because Prisma's update would also stamp `updatedAt`: being read is not a change.
      const [row] = await prisma.$queryRaw<Post[]>`
        UPDATE posts p SET "viewCount" = p."viewCount" + 1
        WHERE p.id = ${id}::uuid AND p.status = 'PUBLISHED'
        RETURNING ${columnList("p", postColumns)}`;
      return row ?? null;
    },
  };
}

export type PostRepository = ReturnType<typeof postRepository>;
