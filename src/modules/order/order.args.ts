import { ArgsType, Field, ID } from "type-graphql";

@ArgsType()
export class OrderLookupArgs {
  @Field(() => ID, { description: "The order's id." })
  id!: string;
}
