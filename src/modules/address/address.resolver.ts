import { Arg, Ctx, Directive, FieldResolver, ID, Mutation, Resolver, Root } from "type-graphql";
import type { RequestContext } from "../../context.js";
import type { User as UserRow } from "../../generated/prisma/client.js";
import { cacheHint } from "../../platform/cache/index.js";
import { requireViewer } from "../../platform/permissions/viewer.js";
import { User } from "../user/index.js";
import { CreateAddressInput, UpdateAddressInput } from "./address.input.js";
import { AddressPayload, DeleteAddressPayload } from "./address.payload.js";
import { createAddress, deleteAddress, setDefaultAddress, updateAddress, userAddresses } from "./address.service.js";
import { Address } from "./address.type.js";

/** `User.addresses` lives here so the user module need not know about address books. */
@Resolver(() => User)
export class UserAddressesResolver {
  @Directive(cacheHint.private)
  @FieldResolver(() => [Address], {
    nullable: true,
    description:
      "The user's address book, default first, then oldest first. Visible to the user and admins; null (with a FORBIDDEN error) for others.",
  })
  addresses(@Root() user: UserRow, @Ctx() ctx: RequestContext) {
    return userAddresses(ctx, user.id);
  }
}

/** Your own address book; nobody, admins included, writes to anyone else's. */
@Resolver(() => Address)
export class AddressResolver {
  @Mutation(() => AddressPayload, { description: "Add an address to your address book. Needs sign-in." })
  createAddress(
    @Arg("input", () => CreateAddressInput, { description: "The address." }) input: CreateAddressInput,
    @Ctx() ctx: RequestContext,
  ) {
    return createAddress(ctx, requireViewer(ctx), input);
  }

  @Mutation(() => AddressPayload, {
    description: "Change one of your addresses (orders already placed keep their copy). Needs sign-in.",
  })
  updateAddress(
    @Arg("id", () => ID, { description: "Your address to change." }) id: string,
    @Arg("input", () => UpdateAddressInput, { description: "The changes." }) input: UpdateAddressInput,
    @Ctx() ctx: RequestContext,
  ) {
    return updateAddress(ctx, requireViewer(ctx), id, input);
  }

  @Mutation(() => AddressPayload, { description: "Make one of your addresses the default. Needs sign-in." })
  setDefaultAddress(
    @Arg("id", () => ID, { description: "Your address to make the default." }) id: string,
    @Ctx() ctx: RequestContext,
  ) {
    return setDefaultAddress(ctx, requireViewer(ctx), id);
  }

  @Mutation(() => DeleteAddressPayload, {
    description:
      "Delete one of your addresses; if it was the default, your oldest other address becomes it. Needs sign-in.",
  })
  deleteAddress(
    @Arg("id", () => ID, { description: "Your address to delete." }) id: string,
    @Ctx() ctx: RequestContext,
  ) {
    return deleteAddress(ctx, requireViewer(ctx), id);
  }
}
