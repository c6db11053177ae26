import type { RequestContext } from "../../context.js";
import { badUserInput } from "../../platform/errors/index.js";
import { parseId } from "../../platform/ids.js";
import { categoryRepository } from "./category.repository.js";

export function findCategory(ctx: RequestContext, lookup: { id?: string | null; slug?: string | null }) {
  if ((lookup.id == null) === (lookup.slug == null)) {
    throw badUserInput("Pass exactly one of `id` or `slug`.", lookup.id == null ? "id" : "slug");
  }
  return lookup.id != null
    ? ctx.loaders.category.byId.load(parseId(lookup.id, "id"))
    : ctx.loaders.category.bySlug.load(lookup.slug as string);
}

export async function rootCategories(ctx: RequestContext) {
  const roots = await categoryRepository(ctx.prisma).findRoots();
  for (const root of roots) ctx.loaders.category.byId.prime(root.id, root);
  return roots;
}
