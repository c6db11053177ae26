import { Directive, Field, ID, ObjectType } from "type-graphql";
import type { Address as AddressRow } from "../../generated/prisma/client.js";
import { cacheHint } from "../../platform/cache/index.js";
import { Node } from "../../platform/node.js";

@Directive(cacheHint.private)
@ObjectType({
  description: "A postal address in a user's address book. Visible to its owner and admins.",
  implements: Node,
})
export class Address implements Omit<AddressRow, "userId"> {
  @Field(() => ID, { description: "Stable unique id." })
  id!: string;

  @Field(() => String, { nullable: true, description: "The owner's name for it, e.g. `Home` or `Work`." })
  label!: string | null;

  @Field(() => String, { description: "Who receives parcels sent here." })
  recipient!: string;

  @Field(() => String, { description: "First address line: street and number." })
  line1!: string;

  @Field(() => String, { nullable: true, description: "Second address line: apartment, suite, floor." })
  line2!: string | null;

  @Field(() => String, { description: "City or town." })
  city!: string;

  @Field(() => String, { nullable: true, description: "State, province or region, where the country uses one." })
  region!: string | null;

  @Field(() => String, { description: "Postal or ZIP code." })
  postalCode!: string;

  @Field(() => String, { description: "ISO 3166-1 alpha-2 country code, e.g. `DE`." })
  country!: string;

  @Field(() => Boolean, { description: "True for the address used when the owner does not choose one." })
  isDefault!: boolean;

  @Field(() => Date, { description: "When the address was added." })
  createdAt!: Date;

  @Field(() => Date, { description: "When the address last changed." })
  updatedAt!: Date;
}
