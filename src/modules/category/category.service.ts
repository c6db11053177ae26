import type { GraphQLResolveInfo } from "graphql";
import type { RequestContext } from "../../context.js";
import type { Category } from "../../generated/prisma/client.js";
import { isForeignKeyViolation, isUniqueViolation } from "../../platform/db/errors.js";
import { inTransaction, lockForTransaction } from "../../platform/db/transaction.js";
import { loadByIdOr, lookupKey } from "../../platform/ids.js";
import { failWith, reject, settle, UserErrorCode, validateId, validateInput } from "../../platform/validation/index.js";
import type { CreateCategoryInput, UpdateCategoryInput } from "./category.input.js";
import type { CategoryPayload, DeleteCategoryPayload } from "./category.payload.js";

/** Announced after any structural change to the tree: lists of "products in this category" are stale. */
export const CATEGORY_TREE_CHANGED = "category.tree";

import { categoryRepository, categorySlugConstraint } from "./category.repository.js";

/** One category by id or slug; with the resolver's `info`, read with what is selected below it (the planner). */
export function findCategory(
  ctx: RequestContext,
  lookup: { id?: string | null; slug?: string | null },
  info?: GraphQLResolveInfo,
) {
  const planned = info && ctx.planner?.objects<Category>(info, "c");
  if (planned) return categoryRepository(ctx.prisma).findPlanned(lookupKey(lookup, "slug"), planned, ctx);
  return loadByIdOr(lookup, "slug", ctx.loaders.category.byId, ctx.loaders.category.bySlug);
}

export async function rootCategories(ctx: RequestContext) {
  const roots = await categoryRepository(ctx.prisma).findRoots();
  for (const root of roots) ctx.loaders.category.byId.prime(root.id, root);
  return roots;
}

/**
 * Creating under a parent, moving and deleting all read paths and then write them; two such changes
 * running at once could each pass its own cycle check and together make a cycle (A under B, B under A),
 * or file a new child under a path that is being rewritten. They are rare admin actions, so they simply
 * take turns.
 */
const TREE_LOCK = "category-tree";

const failed = failWith<CategoryPayload>({ category: null });

const slugTaken = (): never =>
  reject(["input", "slug"], UserErrorCode.TAKEN, "Another category already uses this slug.");

/**
 * A structural change can alter any category's children, subtree and product lists: drop them all, then
 * keep the row just written (none after a delete) so the payload resolves without another query.
 */
function forgetTree(ctx: RequestContext, written: Category | null, id: string) {
  // Which products a category lists depends on the tree too.
  ctx.cache.changed("Category", [id]);
  ctx.cache.changed("Product");
  const { category } = ctx.loaders;
  category.byId.clearAll();
  category.bySlug.clearAll();
  category.childrenByParentId.clearAll();
  ctx.changes.notify(CATEGORY_TREE_CHANGED);
  if (written) {
    category.byId.prime(written.id, written);
    category.bySlug.prime(written.slug, written);
  }
}

export async function createCategory(ctx: RequestContext, input: CreateCategoryInput): Promise<CategoryPayload> {
  const invalid = await validateInput(input);
  if (invalid.length > 0) return failed(invalid);
  return settle(async () => {
    const category = await inTransaction(ctx.prisma, async (tx) => {
      const categories = categoryRepository(tx);
      let parent: Category | null = null;
      if (input.parentId != null) {
        await lockForTransaction(tx, TREE_LOCK);
        parent = await categories.findById(input.parentId);
        if (!parent) reject(["input", "parentId"], UserErrorCode.NOT_FOUND, "There is no category with this id.");
      }
      const fields = { name: input.name.trim(), slug: input.slug, description: input.description ?? null };
      return categories.create(fields, parent).catch((error: unknown) => {
        if (isUniqueViolation(error, categorySlugConstraint)) slugTaken();
        throw error;
      });
    });
    forgetTree(ctx, category, category.id);
    return { category, userErrors: [] };
  }, failed);
}

export async function updateCategory(
  ctx: RequestContext,
  id: string,
  input: UpdateCategoryInput,
): Promise<CategoryPayload> {
  const invalid = [...validateId(id), ...(await validateInput(input))];
  if (invalid.length > 0) return failed(invalid);
  return settle(async () => {
    const category = await inTransaction(ctx.prisma, async (tx) => {
      const categories = categoryRepository(tx);
      const moving = input.parentId !== undefined;
      if (moving) await lockForTransaction(tx, TREE_LOCK);
      const current = await categories.findById(id);
      if (!current) reject(["id"], UserErrorCode.NOT_FOUND, "There is no category with this id.");

      let path: string | undefined;
      const parentId = input.parentId?.toLowerCase() ?? null;
      if (moving && parentId !== current.parentId) {
        if (parentId === null) {
          path = current.id;
        } else {
          const parent = await categories.findById(parentId);
          if (!parent) reject(["input", "parentId"], UserErrorCode.NOT_FOUND, "There is no category with this id.");
          // The paths are current: the tree lock keeps every other structural change out until we commit.
          if (parent.path === current.path || parent.path.startsWith(`${current.path}/`)) {
            reject(
              ["input", "parentId"],
              UserErrorCode.CYCLE,
              "A category cannot move under itself or one of its own sub-categories.",
            );
          }
          path = `${parent.path}/${current.id}`;
        }
        await categories.movePaths(current.path, path);
      }

      return categories
        .update(current.id, {
          ...(input.name !== undefined ? { name: input.name.trim() } : {}),
          ...(input.slug !== undefined ? { slug: input.slug } : {}),
          ...(input.description !== undefined ? { description: input.description } : {}),
          ...(path !== undefined ? { parentId } : {}),
        })
        .catch((error: unknown) => {
          if (isUniqueViolation(error, categorySlugConstraint)) slugTaken();
          throw error;
        });
    });
    forgetTree(ctx, category, category.id);
    return { category, userErrors: [] };
  }, failed);
}

export async function deleteCategory(ctx: RequestContext, id: string): Promise<DeleteCategoryPayload> {
  const failedDelete = failWith<DeleteCategoryPayload>({ deletedCategoryId: null });
  const invalid = validateId(id);
  if (invalid.length > 0) return failedDelete(invalid);
  return settle(async () => {
    const deleted = await inTransaction(ctx.prisma, async (tx) => {
      const categories = categoryRepository(tx);
      await lockForTransaction(tx, TREE_LOCK);
      const current = await categories.findById(id);
      if (!current) reject(["id"], UserErrorCode.NOT_FOUND, "There is no category with this id.");
      if (await categories.hasChildren(current.id)) {
        reject(["id"], UserErrorCode.CONFLICT, "The category has sub-categories: move or delete them first.");
      }
      const products = await categories.countProducts(current.id);
      if (products > 0) {
        reject(
          ["id"],
          UserErrorCode.CONFLICT,
          `${products} product(s) are filed under this category (deleted ones too, kept for order history): move them first.`,
        );
      }
      // A product filed under it after the count (product writes do not take the tree lock) fails the
      // foreign key instead.
      return categories.delete(current.id).catch((error: unknown) => {
        if (isForeignKeyViolation(error)) {
          reject(["id"], UserErrorCode.CONFLICT, "Products were just filed under this category: move them first.");
        }
        throw error;
      });
    });
    forgetTree(ctx, null, deleted.id);
    return { deletedCategoryId: deleted.id, userErrors: [] };
  }, failedDelete);
}
