import { Field, ID, InterfaceType } from "type-graphql";

/**
 * Which GraphQL type each row handed out as a `Node` is. Rows are plain Prisma objects, not instances of
 * the type classes, so type-graphql's default `instanceof` check cannot tell them apart; the `node`
 * module tags what it returns instead. A WeakMap rather than a property on the row: loader caches share
 * the row objects, and the tag must not outlive them.
 */
const nodeTypes = new WeakMap<object, string>();

/** Marks `row` as an object of the GraphQL type `typeName`, for `Node`'s type resolution. */
export function asNode<Row extends object>(typeName: string, row: Row): Row {
  nodeTypes.set(row, typeName);
  return row;
}

/** The GraphQL type of a row handed out as a `Node`. */
export function resolveNodeType(row: object): string {
  const typeName = nodeTypes.get(row);
  // Only `asNode` rows reach a `Node` field; anything else is a bug on our side (masked for the client).
  if (!typeName) throw new Error("a Node was returned without asNode()");
  return typeName;
}

@InterfaceType({
  description:
    "An object with a globally unique id (Relay's Object Identification): refetch any of them with `node(id:)` or `nodes(ids:)`.",
  resolveType: resolveNodeType,
})
export abstract class Node {
  @Field(() => ID, { description: "Globally unique, opaque id; pass it to `node(id:)` to fetch the object again." })
  id!: string;
}
