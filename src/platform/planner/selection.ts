import {
  type FieldNode,
  type FragmentDefinitionNode,
  GraphQLIncludeDirective,
  type GraphQLObjectType,
  type GraphQLSchema,
  GraphQLSkipDirective,
  getDirectiveValues,
  isAbstractType,
  Kind,
  type SelectionSetNode,
} from "graphql";

/** What selection walking needs of an operation: its schema, fragments and variables (a resolver's `info`). */
export type OperationScope = Readonly<{
  schema: GraphQLSchema;
  fragments: Readonly<Record<string, FragmentDefinitionNode>>;
  variableValues: Readonly<Record<string, unknown>>;
}>;

/** The fields a selection asks of an object of `type`, by response key, as graphql-js will execute them. */
export type FieldsByKey = Map<string, FieldNode[]>;

/**
 * The sub-fields selected on `type` under `nodes`, with fragments spread and `@skip`/`@include` applied,
 * grouped by response key: what graphql-js's own field collection yields for an object of that type.
 */
export function subfields(scope: OperationScope, type: GraphQLObjectType, nodes: readonly FieldNode[]): FieldsByKey {
  const fields: FieldsByKey = new Map();
  const visited = new Set<string>();
  for (const node of nodes) if (node.selectionSet) collect(scope, type, node.selectionSet, fields, visited);
  return fields;
}

function collect(
  scope: OperationScope,
  type: GraphQLObjectType,
  selectionSet: SelectionSetNode,
  fields: FieldsByKey,
  visited: Set<string>,
): void {
  for (const selection of selectionSet.selections) {
    if (!included(scope, selection)) continue;
    switch (selection.kind) {
      case Kind.FIELD: {
        const key = selection.alias?.value ?? selection.name.value;
        const same = fields.get(key);
        if (same) same.push(selection);
        else fields.set(key, [selection]);
        break;
      }
      case Kind.INLINE_FRAGMENT:
        if (appliesTo(scope, selection.typeCondition?.name.value, type)) {
          collect(scope, type, selection.selectionSet, fields, visited);
        }
        break;
      case Kind.FRAGMENT_SPREAD: {
        const name = selection.name.value;
        const fragment = scope.fragments[name];
        if (visited.has(name) || !fragment) break;
        visited.add(name);
        if (appliesTo(scope, fragment.typeCondition.name.value, type)) {
          collect(scope, type, fragment.selectionSet, fields, visited);
        }
        break;
      }
    }
  }
}

function included(scope: OperationScope, node: Parameters<typeof getDirectiveValues>[1]): boolean {
  if (!node.directives?.length) return true;
  if (getDirectiveValues(GraphQLSkipDirective, node, scope.variableValues)?.if === true) return false;
  return getDirectiveValues(GraphQLIncludeDirective, node, scope.variableValues)?.if !== false;
}

function appliesTo(scope: OperationScope, condition: string | undefined, type: GraphQLObjectType): boolean {
  if (condition === undefined || condition === type.name) return true;
  const conditionType = scope.schema.getType(condition);
  return conditionType !== undefined && isAbstractType(conditionType) && scope.schema.isSubType(conditionType, type);
}
