import { Directive, Field, ID, ObjectType, registerEnumType } from "type-graphql";
import { Role, type User as UserRow } from "../../generated/prisma/client.js";
import { cacheHint, catalogMaxAge } from "../../platform/cache/index.js";
import { Node } from "../../platform/node.js";
import { connectionType } from "../../platform/pagination/index.js";

registerEnumType(Role, {
  name: "Role",
  description: "What an account may do beyond its own data.",
  valuesConfig: {
    USER: { description: "A customer or author." },
    ADMIN: { description: "Staff: manages the catalog and sees every account and order." },
  },
});

@Directive(cacheHint.publicFor(catalogMaxAge))
@ObjectType({
  description:
    "An account. Profile fields are public; contact details, orders and addresses only for the account itself and admins.",
  implements: Node,
})
export class User implements Pick<UserRow, "id" | "username" | "name" | "email" | "role" | "createdAt"> {
  @Field(() => ID, { description: "Stable unique id." })
  id!: string;

  @Field(() => String, { description: "Unique public handle." })
  username!: string;

  @Field(() => String, { description: "Display name." })
  name!: string;

  @Directive(cacheHint.private)
  @Field(() => String, {
    nullable: true,
    description:
      "E-mail address (lower-cased). Visible to the account itself and admins; null (with a FORBIDDEN error) for others.",
  })
  email!: string;

  @Directive(cacheHint.private)
  @Field(() => Role, {
    nullable: true,
    description:
      "The account's role. Visible to the account itself and admins; null (with a FORBIDDEN error) for others.",
  })
  role!: Role;

  @Field(() => Date, { description: "When the account was created." })
  createdAt!: Date;
}

export const UserConnection = connectionType(User, "User", "user");
