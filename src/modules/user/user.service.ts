import type { RequestContext } from "../../context.js";
import type { Prisma } from "../../generated/prisma/client.js";
import { loadByIdOr } from "../../platform/ids.js";
import {
  type ConnectionArguments,
  pageRequest,
  type SortOrder,
  toConnection,
} from "../../platform/pagination/index.js";
import { substringSearch } from "../../platform/search/index.js";
import type { UserFilter } from "./user.args.js";
import { type UserProfile, userRepository } from "./user.repository.js";

const oldestFirst: SortOrder<UserProfile> = { key: "created", field: "createdAt", direction: "asc" };

export async function currentUser(ctx: RequestContext) {
  if (!ctx.viewer) return null;
  const user = await ctx.loaders.user.byId.load(ctx.viewer.id);
  return user && user.deletedAt === null ? user : null;
}

export async function findUser(ctx: RequestContext, lookup: { id?: string | null; username?: string | null }) {
  const user = await loadByIdOr(lookup, "username", ctx.loaders.user.byId, ctx.loaders.user.byUsername);
  // A deleted account is gone for everyone but admins.
  return user && (user.deletedAt === null || ctx.viewer?.role === "ADMIN") ? user : null;
}

export async function listUsers(ctx: RequestContext, args: ConnectionArguments & { filter?: UserFilter | null }) {
  const filter = args.filter ?? {};
  const search = substringSearch(filter.search, "filter.search");
  const where: Prisma.UserWhereInput = {
    ...(filter.includeDeleted ? {} : { deletedAt: null }),
    ...(filter.role ? { role: filter.role } : {}),
    ...(search
      ? {
          OR: [
            { email: { contains: search, mode: "insensitive" } },
            { username: { contains: search, mode: "insensitive" } },
            { name: { contains: search, mode: "insensitive" } },
          ],
        }
      : {}),
  };
  const page = pageRequest(args, oldestFirst);
  const users = userRepository(ctx.prisma);
  const rows = await users.list(where, page);
  for (const row of rows) ctx.loaders.user.byId.prime(row.id, row);
  return toConnection(rows, page, () => users.count(where));
}

/**
 * For the account module's writes to a user row: the changed row replaces any cached copy (without its
 * password hash, which the read API never holds).
 */
export function rememberUser(
  ctx: RequestContext,
  { passwordHash: _, ...user }: UserProfile & { passwordHash?: string | null },
) {
  ctx.cache.changed("User", [user.id]);
  ctx.loaders.user.byId.clear(user.id).prime(user.id, user);
  ctx.loaders.user.byUsername.clearAll().prime(user.username, user);
}

/** For a user row changed without the new row at hand (an account deleted): the next read goes to the database. */
export function forgetUser(ctx: RequestContext, id: string) {
  // A deleted account's reviews leave the lists that showed them.
  ctx.cache.changed("User", [id]);
  ctx.cache.changed("Review");
  ctx.loaders.user.byId.clear(id);
  ctx.loaders.user.byUsername.clearAll();
}
