import { Ctx, FieldResolver, Resolver, Root } from "type-graphql";
import type { RequestContext } from "../../context.js";
import type { User as UserRow } from "../../generated/prisma/client.js";
import { User } from "../user/index.js";
import { userAddresses } from "./address.service.js";
import { Address } from "./address.type.js";

/** `User.addresses` lives here so the user module need not know about address books. */
@Resolver(() => User)
export class UserAddressesResolver {
  @FieldResolver(() => [Address], {
    nullable: true,
    description:
      "The user's address book, default first, then oldest first. Visible to the user and admins; null (with a FORBIDDEN error) for others.",
  })
  addresses(@Root() user: UserRow, @Ctx() ctx: RequestContext) {
    return userAddresses(ctx, user.id);
  }
}
