import { Args, Ctx, Directive, Query, Resolver } from "type-graphql";
import type { RequestContext } from "../../context.js";
import { cacheHint } from "../../platform/cache/index.js";
import { UserLookupArgs, UsersArgs } from "./user.args.js";
import { currentUser, findUser, listUsers } from "./user.service.js";
import { User, UserConnection } from "./user.type.js";

@Resolver(() => User)
export class UserResolver {
  @Directive(cacheHint.private)
  @Query(() => User, { nullable: true, description: "The signed-in account; null for anonymous callers." })
  me(@Ctx() ctx: RequestContext) {
    return currentUser(ctx);
  }

  @Query(() => User, { nullable: true, description: "A public profile by `id` or `username`." })
  user(@Args(() => UserLookupArgs) args: UserLookupArgs, @Ctx() ctx: RequestContext) {
    return findUser(ctx, args);
  }

  @Directive(cacheHint.private)
  @Query(() => UserConnection, { description: "Every account, oldest first. ADMIN only." })
  users(@Args(() => UsersArgs) args: UsersArgs, @Ctx() ctx: RequestContext) {
    return listUsers(ctx, args);
  }
}
