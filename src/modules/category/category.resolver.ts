import { Args, Ctx, FieldResolver, Query, Resolver, Root } from "type-graphql";
import type { RequestContext } from "../../context.js";
import type { Category as CategoryRow } from "../../generated/prisma/client.js";
import { ConnectionArgs } from "../../platform/pagination/index.js";
import { categoryProducts, ProductConnection } from "../product/index.js";
import { CategoryLookupArgs } from "./category.args.js";
import { findCategory, rootCategories } from "./category.service.js";
import { Category } from "./category.type.js";

@Resolver(() => Category)
export class CategoryResolver {
  @Query(() => [Category], { description: "The top-level categories; walk `children` for the rest of the tree." })
  categories(@Ctx() ctx: RequestContext) {
    return rootCategories(ctx);
  }

  @Query(() => Category, { nullable: true, description: "One category by `id` or `slug`." })
  category(@Args(() => CategoryLookupArgs) args: CategoryLookupArgs, @Ctx() ctx: RequestContext) {
    return findCategory(ctx, args);
  }

  @FieldResolver(() => Category, { nullable: true, description: "The enclosing category; null at the top level." })
  parent(@Root() category: CategoryRow, @Ctx() ctx: RequestContext) {
    return category.parentId ? ctx.loaders.category.byId.load(category.parentId) : null;
  }

  @FieldResolver(() => [Category], { description: "Direct sub-categories, by name." })
  children(@Root() category: CategoryRow, @Ctx() ctx: RequestContext) {
    return ctx.loaders.category.childrenByParentId.load(category.id);
  }

  @FieldResolver(() => ProductConnection, {
    description: "Active products in this category and all its sub-categories, newest first.",
  })
  products(
    @Root() category: CategoryRow,
    @Args(() => ConnectionArgs) args: ConnectionArgs,
    @Ctx() ctx: RequestContext,
  ) {
    return categoryProducts(ctx, category.id, args);
  }
}
