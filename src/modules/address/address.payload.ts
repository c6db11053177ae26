import { Field, ID, ObjectType } from "type-graphql";
import type { Address as AddressRow } from "../../generated/prisma/client.js";
import { MutationPayload } from "../../platform/validation/index.js";
import { Address } from "./address.type.js";

@ObjectType({ description: "The result of adding or changing an address." })
export class AddressPayload extends MutationPayload {
  @Field(() => Address, {
    nullable: true,
    description: "The address as it is now; null when `userErrors` is not empty.",
  })
  address!: AddressRow | null;
}

@ObjectType({ description: "The result of deleting an address." })
export class DeleteAddressPayload extends MutationPayload {
  @Field(() => ID, { nullable: true, description: "Id of the deleted address; null when `userErrors` is not empty." })
  deletedAddressId!: string | null;
}
