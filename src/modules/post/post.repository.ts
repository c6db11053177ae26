import { type Post, PostStatus, Prisma, type PrismaClient } from "../../generated/prisma/client.js";
import type { Viewer } from "../../platform/auth/tokens.js";
import { keysetOrderBy, keysetWhere, type PageRequest, pagesByParent } from "../../platform/pagination/index.js";

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

export function postRepository(prisma: PrismaClient) {
  return {
    /** Any post, draft or not: callers decide visibility (see `isPostReadable`). */
    findByIds: (ids: readonly string[]) => prisma.post.findMany({ where: { id: { in: [...ids] } } }),

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
  };
}

export type PostRepository = ReturnType<typeof postRepository>;
