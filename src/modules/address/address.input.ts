import { IsBoolean, IsISO31661Alpha2, IsOptional, Matches, MaxLength } from "class-validator";
import { Field, InputType } from "type-graphql";
import { IsNotBlank, IsOmittable } from "../../platform/validation/index.js";

const LABEL_MAX = 50;
const LINE_MAX = 200;
/** Letters, digits, spaces and hyphens, 2 to 12 characters: every national format fits (e.g. `SW1A 1AA`, `10115`, `02139-4307`). */
const POSTAL_CODE = /^[A-Za-z0-9][A-Za-z0-9 -]{0,10}[A-Za-z0-9]$/;
const postalCodeMessage = "$property must be 2 to 12 letters, digits, spaces or hyphens.";
const countryMessage = "$property must be an ISO 3166-1 alpha-2 country code such as DE or US.";

// No owner field: an address always belongs to the caller.

@InputType({ description: "A new address for your address book." })
export class CreateAddressInput {
  @Field(() => String, {
    nullable: true,
    description: `Your name for it, e.g. \`Home\`; at most ${LABEL_MAX} characters.`,
  })
  @IsOptional()
  @MaxLength(LABEL_MAX)
  label?: string | null;

  @Field(() => String, { description: `Who receives parcels sent here; at most ${LINE_MAX} characters.` })
  @IsNotBlank()
  @MaxLength(LINE_MAX)
  recipient!: string;

  @Field(() => String, { description: "Street and number." })
  @IsNotBlank()
  @MaxLength(LINE_MAX)
  line1!: string;

  @Field(() => String, { nullable: true, description: "Apartment, suite, floor." })
  @IsOptional()
  @MaxLength(LINE_MAX)
  line2?: string | null;

  @Field(() => String, { description: "City or town." })
  @IsNotBlank()
  @MaxLength(LINE_MAX)
  city!: string;

  @Field(() => String, { nullable: true, description: "State, province or region, where the country uses one." })
  @IsOptional()
  @MaxLength(LINE_MAX)
  region?: string | null;

  @Field(() => String, { description: "Postal or ZIP code." })
  @Matches(POSTAL_CODE, { message: postalCodeMessage })
  postalCode!: string;

  @Field(() => String, { description: "ISO 3166-1 alpha-2 country code, e.g. `DE`." })
  @IsISO31661Alpha2({ message: countryMessage })
  country!: string;

  @Field(() => Boolean, {
    nullable: true,
    description: "Make it the default address (your first address always is). Default false.",
  })
  @IsOptional()
  @IsBoolean()
  isDefault?: boolean | null;
}

@InputType({
  description:
    "Changes to one of your addresses; fields left out keep their value. Use `setDefaultAddress` for the default.",
})
export class UpdateAddressInput {
  @Field(() => String, { nullable: true, description: "New label; null removes it." })
  @IsOptional()
  @MaxLength(LABEL_MAX)
  label?: string | null;

  @Field(() => String, { nullable: true, description: "New recipient." })
  @IsOmittable()
  @IsNotBlank()
  @MaxLength(LINE_MAX)
  recipient?: string;

  @Field(() => String, { nullable: true, description: "New street and number." })
  @IsOmittable()
  @IsNotBlank()
  @MaxLength(LINE_MAX)
  line1?: string;

  @Field(() => String, { nullable: true, description: "New second line; null removes it." })
  @IsOptional()
  @MaxLength(LINE_MAX)
  line2?: string | null;

  @Field(() => String, { nullable: true, description: "New city." })
  @IsOmittable()
  @IsNotBlank()
  @MaxLength(LINE_MAX)
  city?: string;

  @Field(() => String, { nullable: true, description: "New region; null removes it." })
  @IsOptional()
  @MaxLength(LINE_MAX)
  region?: string | null;

  @Field(() => String, { nullable: true, description: "New postal code." })
  @IsOmittable()
  @Matches(POSTAL_CODE, { message: postalCodeMessage })
  postalCode?: string;

  @Field(() => String, { nullable: true, description: "New ISO 3166-1 alpha-2 country code." })
  @IsOmittable()
  @IsISO31661Alpha2({ message: countryMessage })
  country?: string;
}
