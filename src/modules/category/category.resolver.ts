import type { GraphQLResolveInfo } from "graphql";
import { Arg, Args, Ctx, FieldResolver, ID, Info, Mutation, Query, Resolver, Root } from "type-graphql";
import type { RequestContext } from "../../context.js";
import type { Category as CategoryRow } from "../../generated/prisma/client.js";
import { CategoryLookupArgs } from "./category.args.js";
import { CreateCategoryInput, UpdateCategoryInput } from "./category.input.js";
import { CategoryPayload, DeleteCategoryPayload } from "./category.payload.js";
import { createCategory, deleteCategory, findCategory, rootCategories, updateCategory } from "./category.service.js";
import { Category } from "./category.type.js";

@Resolver(() => Category)
export class CategoryResolver {
  @Query(() => [Category], { description: "The top-level categories; walk `children` for the rest of the tree." })
  categories(@Ctx() ctx: RequestContext) {
    return rootCategories(ctx);
  }

  @Query(() => Category, { nullable: true, description: "One category by `id` or `slug`." })
  category(
    @Args(() => CategoryLookupArgs) args: CategoryLookupArgs,
    @Ctx() ctx: RequestContext,
    @Info() info: GraphQLResolveInfo,
  ) {
    return findCategory(ctx, args, info);
  }

  @FieldResolver(() => Category, { nullable: true, description: "The enclosing category; null at the top level." })
  parent(@Root() category: CategoryRow, @Ctx() ctx: RequestContext) {
    return category.parentId ? ctx.loaders.category.byId.load(category.parentId) : null;
  }

  @FieldResolver(() => [Category], { description: "Direct sub-categories, by name." })
  children(@Root() category: CategoryRow, @Ctx() ctx: RequestContext) {
    return ctx.loaders.category.childrenByParentId.load(category.id);
  }

  @Mutation(() => CategoryPayload, { description: "Add a category, top-level or under a parent. ADMIN only." })
  createCategory(
    @Arg("input", () => CreateCategoryInput, { description: "The new category." }) input: CreateCategoryInput,
    @Ctx() ctx: RequestContext,
  ) {
    return createCategory(ctx, input);
  }

  @Mutation(() => CategoryPayload, {
    description:
      "Rename a category, change its slug or description, or move it (with its subtree) under another parent. ADMIN only.",
  })
  updateCategory(
    @Arg("id", () => ID, { description: "The category to change." }) id: string,
    @Arg("input", () => UpdateCategoryInput, { description: "The changes." }) input: UpdateCategoryInput,
    @Ctx() ctx: RequestContext,
  ) {
    return updateCategory(ctx, id, input);
  }

  @Mutation(() => DeleteCategoryPayload, {
    description: "Delete an empty category (no sub-categories, no products). ADMIN only.",
  })
  deleteCategory(
    @Arg("id", () => ID, { description: "The category to delete." }) id: string,
    @Ctx() ctx: RequestContext,
  ) {
    return deleteCategory(ctx, id);
  }
}
