import {
  type DocumentNode,
  type FragmentDefinitionNode,
  type GraphQLField,
  type GraphQLNamedType,
  type GraphQLObjectType,
  type GraphQLSchema,
  getNamedType,
  isInterfaceType,
  isObjectType,
  Kind,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from "graphql";

/** Told of one selected field and the type it is selected on; false stops the walk. */
export type FieldVisitor = (
  parent: GraphQLNamedType | null | undefined,
  field: GraphQLField<unknown, unknown> | undefined,
  isRoot: boolean,
) => boolean;

/**
 * Visits every field an operation may select, from the document alone: through named and inline
 * fragments, both sides of every `@skip`/`@include`. A field on an interface comes with the interface (its
 * object type is known only at run time), one on a union without its definition. Returns false as soon as
 * the visitor does (or on a fragment that is missing or spreads itself, which validation already refuses).
 */
export function everySelectedField(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  root: GraphQLObjectType,
  visit: FieldVisitor,
): boolean {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  }
  const visiting = new Set<string>();
  const walk = (selections: SelectionSetNode, parent: GraphQLNamedType | null | undefined, isRoot: boolean) => {
    for (const selection of selections.selections) {
      if (selection.kind === Kind.FIELD) {
        if (selection.name.value === "__typename") continue;
        const field =
          isObjectType(parent) || isInterfaceType(parent) ? parent.getFields()[selection.name.value] : undefined;
        if (!visit(parent, field, isRoot)) return false;
        if (selection.selectionSet && !walk(selection.selectionSet, field && getNamedType(field.type), false))
          return false;
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        const type = selection.typeCondition ? schema.getType(selection.typeCondition.name.value) : parent;
        if (!walk(selection.selectionSet, type, isRoot)) return false;
      } else {
        const fragment = fragments.get(selection.name.value);
        if (!fragment || visiting.has(fragment.name.value)) return false;
        visiting.add(fragment.name.value);
        const finished = walk(fragment.selectionSet, schema.getType(fragment.typeCondition.name.value), isRoot);
        visiting.delete(fragment.name.value);
        if (!finished) return false;
      }
    }
    return true;
  };
  return walk(operation.selectionSet, root, true);
}
