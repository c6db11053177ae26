import { ArgsType, Field, ID } from "type-graphql";

@ArgsType()
export class CategoryLookupArgs {
  @Field(() => ID, { nullable: true, description: "The category's id." })
  id?: string | null;

  @Field(() => String, { nullable: true, description: "The category's slug." })
  slug?: string | null;
}
