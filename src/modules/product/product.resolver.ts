import type { GraphQLResolveInfo } from "graphql";
import { Arg, Args, Ctx, Directive, FieldResolver, ID, Info, Mutation, Query, Resolver, Root } from "type-graphql";
import type { RequestContext } from "../../context.js";
import type { Category as CategoryRow, Product as ProductRow } from "../../generated/prisma/client.js";
import { cacheHint, catalogMaxAge } from "../../platform/cache/index.js";
import { ConnectionArgs } from "../../platform/pagination/index.js";
import { Category } from "../category/index.js";
import { ProductLookupArgs, ProductsArgs } from "./product.args.js";
import { CreateProductInput, UpdateProductInput } from "./product.input.js";
import { DeleteProductPayload, ProductPayload } from "./product.payload.js";
import {
  archiveProduct,
  categoryProducts,
  createProduct,
  deleteProduct,
  findProduct,
  listProducts,
  updateProduct,
} from "./product.service.js";
import { Product, ProductConnection } from "./product.type.js";

@Resolver(() => Product)
export class ProductResolver {
  @Query(() => Product, {
    nullable: true,
    description: "One product by `id` or `slug`; null when there is none to see.",
  })
  product(
    @Args(() => ProductLookupArgs) args: ProductLookupArgs,
    @Ctx() ctx: RequestContext,
    @Info() info: GraphQLResolveInfo,
  ) {
    return findProduct(ctx, args, info);
  }

  @Directive(cacheHint.publicFor(catalogMaxAge))
  @Query(() => ProductConnection, { description: "The catalog: filter, search and sort products, a page at a time." })
  products(@Args(() => ProductsArgs) args: ProductsArgs, @Ctx() ctx: RequestContext, @Info() info: GraphQLResolveInfo) {
    return listProducts(ctx, args, info);
  }

  @FieldResolver(() => Category, { description: "The category the product is filed under." })
  async category(@Root() product: ProductRow, @Ctx() ctx: RequestContext) {
    return ctx.loaders.category.byId.load(product.categoryId);
  }

  @Mutation(() => ProductPayload, {
    description: "Add a product (a DRAFT unless `status` says otherwise). ADMIN only.",
  })
  createProduct(
    @Arg("input", () => CreateProductInput, { description: "The new product." }) input: CreateProductInput,
    @Ctx() ctx: RequestContext,
  ) {
    return createProduct(ctx, input);
  }

  @Mutation(() => ProductPayload, { description: "Change a product that is not deleted. ADMIN only." })
  updateProduct(
    @Arg("id", () => ID, { description: "The product to change." }) id: string,
    @Arg("input", () => UpdateProductInput, { description: "The changes." }) input: UpdateProductInput,
    @Ctx() ctx: RequestContext,
  ) {
    return updateProduct(ctx, id, input);
  }

  @Mutation(() => ProductPayload, {
    description: "Take a product off sale (status ARCHIVED); orders and reviews still show it. ADMIN only.",
  })
  archiveProduct(
    @Arg("id", () => ID, { description: "The product to archive." }) id: string,
    @Ctx() ctx: RequestContext,
  ) {
    return archiveProduct(ctx, id);
  }

  @Mutation(() => DeleteProductPayload, {
    description:
      "Delete a product (a soft delete: it disappears for everyone but admins, and past orders keep it). ADMIN only.",
  })
  deleteProduct(
    @Arg("id", () => ID, { description: "The product to delete." }) id: string,
    @Ctx() ctx: RequestContext,
  ) {
    return deleteProduct(ctx, id);
  }
}

@Resolver(() => Category)
export class CategoryProductsResolver {
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
