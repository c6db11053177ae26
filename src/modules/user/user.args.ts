import { ArgsType, Field, ID, InputType } from "type-graphql";
import { Role } from "../../generated/prisma/client.js";
import { ConnectionArgs } from "../../platform/pagination/index.js";
import { SearchCost, SUBSTRING_SEARCH_MAX_LENGTH } from "../../platform/search/index.js";

@ArgsType()
export class UserLookupArgs {
  @Field(() => ID, { nullable: true, description: "The user's id." })
  id?: string | null;

  @Field(() => String, { nullable: true, description: "The user's username." })
  username?: string | null;
}

@InputType({ description: "Narrows the account list." })
export class UserFilter {
  @Field(() => Role, { nullable: true, description: "Only accounts with this role." })
  role?: Role | null;

  @Field(() => String, {
    nullable: true,
    description: `Case-insensitive match anywhere in e-mail, username or name. At most ${SUBSTRING_SEARCH_MAX_LENGTH} characters.`,
  })
  @SearchCost("substring")
  search?: string | null;

  @Field(() => Boolean, { nullable: true, description: "Include soft-deleted accounts (default false)." })
  includeDeleted?: boolean | null;
}

@ArgsType()
export class UsersArgs extends ConnectionArgs {
  @Field(() => UserFilter, { nullable: true, description: "Conditions accounts must meet." })
  filter?: UserFilter | null;
}
