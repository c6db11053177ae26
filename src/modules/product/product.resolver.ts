import { Args, Ctx, FieldResolver, Query, Resolver, Root } from "type-graphql";
import type { RequestContext } from "../../context.js";
import type { Product as ProductRow } from "../../generated/prisma/client.js";
import { ConnectionArgs } from "../../platform/pagination/index.js";
import { Category } from "../category/index.js";
import { productReviews, ReviewConnection } from "../review/index.js";
import { ProductLookupArgs, ProductsArgs } from "./product.args.js";
import { findProduct, listProducts } from "./product.service.js";
import { Product, ProductConnection } from "./product.type.js";

@Resolver(() => Product)
export class ProductResolver {
  @Query(() => Product, {
    nullable: true,
    description: "One product by `id` or `slug`; null when there is none to see.",
  })
  product(@Args(() => ProductLookupArgs) args: ProductLookupArgs, @Ctx() ctx: RequestContext) {
    return findProduct(ctx, args);
  }

  @Query(() => ProductConnection, { description: "The catalog: filter, search and sort products, a page at a time." })
  products(@Args(() => ProductsArgs) args: ProductsArgs, @Ctx() ctx: RequestContext) {
    return listProducts(ctx, args);
  }

  @FieldResolver(() => Category, { description: "The category the product is filed under." })
  async category(@Root() product: ProductRow, @Ctx() ctx: RequestContext) {
    return ctx.loaders.category.byId.load(product.categoryId);
  }

  @FieldResolver(() => ReviewConnection, { description: "Reviews of this product, newest first." })
  reviews(@Root() product: ProductRow, @Args(() => ConnectionArgs) args: ConnectionArgs, @Ctx() ctx: RequestContext) {
    return productReviews(ctx, product.id, args);
  }
}
