import { Directive, Field, ID, ObjectType } from "type-graphql";
import type { Category as CategoryRow } from "../../generated/prisma/client.js";
import { cacheHint, categoryMaxAge } from "../../platform/cache/index.js";
import { Node } from "../../platform/node.js";

@Directive(cacheHint.publicFor(categoryMaxAge))
@ObjectType({ description: "A node in the product category tree.", implements: Node })
export class Category implements Omit<CategoryRow, "parentId" | "path"> {
  @Field(() => ID, { description: "Stable unique id." })
  id!: string;

  @Field(() => String, { description: "Display name." })
  name!: string;

  @Field(() => String, { description: "Unique URL-friendly name." })
  slug!: string;

  @Field(() => String, { nullable: true, description: "Optional description." })
  description!: string | null;

  @Field(() => Date, { description: "When the category was created." })
  createdAt!: Date;

  @Field(() => Date, { description: "When the category last changed." })
  updatedAt!: Date;
}
