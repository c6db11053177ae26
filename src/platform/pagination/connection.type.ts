import { ArgsType, type ClassType, Directive, Field, Int, ObjectType } from "type-graphql";
import { cacheHint } from "../cache/index.js";

@Directive(cacheHint.inherit)
@ObjectType({ description: "Where a page of a connection sits in the whole list (Relay cursor connections)." })
export class PageInfo {
  @Field(() => Boolean, { description: "True when more items follow the last edge." })
  hasNextPage!: boolean;

  @Field(() => Boolean, { description: "True when items precede the first edge." })
  hasPreviousPage!: boolean;

  @Field(() => String, {
    nullable: true,
    description: "Cursor of the first edge; pass it as `before` for the previous page.",
  })
  startCursor!: string | null;

  @Field(() => String, {
    nullable: true,
    description: "Cursor of the last edge; pass it as `after` for the next page.",
  })
  endCursor!: string | null;
}

@ArgsType()
export class ConnectionArgs {
  @Field(() => Int, {
    nullable: true,
    description: "Page size counting from the start or `after` (0–100, default 20).",
  })
  first?: number | null;

  @Field(() => String, { nullable: true, description: "Return items after this cursor." })
  after?: string | null;

  @Field(() => Int, { nullable: true, description: "Page size counting back from the end or `before` (0–100)." })
  last?: number | null;

  @Field(() => String, { nullable: true, description: "Return items before this cursor." })
  before?: string | null;
}

/** Names passed to `connectionType`, so the permission layer can allow their plumbing fields. */
export const connectionTypeNames: string[] = [];

/** Makes the `<Name>Connection` and `<Name>Edge` object types for a node type. */
export function connectionType<Node extends object>(node: ClassType<Node>, name: string, described: string) {
  connectionTypeNames.push(name);
  @Directive(cacheHint.inherit)
  @ObjectType(`${name}Edge`, { description: `One ${described} in a page, with its cursor.` })
  class EdgeType {
    @Field(() => String, { description: "Opaque position of this edge; pass to `after` or `before`." })
    cursor!: string;

    @Field(() => node, { description: `The ${described}.` })
    node!: Node;
  }

  @Directive(cacheHint.inherit)
  @ObjectType(`${name}Connection`, { description: `A page of ${described} items (Relay cursor connection).` })
  class ConnectionType {
    @Field(() => [EdgeType], { description: "The items of this page, in order." })
    edges!: EdgeType[];

    @Field(() => PageInfo, { description: "Cursors and whether more pages exist." })
    pageInfo!: PageInfo;

    // A promise (counted only when selected): a field read without a resolver must hold a plain value
    // (compiled execution, platform/execution), so this one keeps type-graphql's.
    @Field(() => Int, {
      description: "How many items the whole list has (all pages). Costs a query: select it only when shown.",
      simple: false,
    })
    totalCount!: number;
  }

  return ConnectionType;
}
