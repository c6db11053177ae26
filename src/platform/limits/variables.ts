import {
  type GraphQLSchema,
  getVariableValues,
  isInputType,
  type OperationDefinitionNode,
  typeFromAST,
  valueFromAST,
} from "graphql";

/**
 * The variable values an operation will execute with: the request's values, coerced, with each omitted
 * variable's default filled in (as execution does). Checks that run before execution (cost, the input
 * guard) must see these, not the raw JSON: `query($n: Int = 100)` sent without `n` runs with 100.
 * When the values do not coerce (execution will refuse them), the raw values are kept and only the
 * defaults of omitted variables are added.
 */
export function operationVariables(
  schema: GraphQLSchema,
  operation: OperationDefinitionNode,
  raw: Readonly<Record<string, unknown>> | undefined,
): Record<string, unknown> {
  // The cost plugin and the input guard both ask, for the same request: coerce once.
  const known = raw && coercedByRequest.get(raw);
  if (known && known.operation === operation) return known.values;
  const values = coerce(schema, operation, raw);
  if (raw) coercedByRequest.set(raw, { operation, values });
  return values;
}

/** Keyed by the request's own variables object, so an entry lives exactly as long as its request. */
const coercedByRequest = new WeakMap<object, { operation: OperationDefinitionNode; values: Record<string, unknown> }>();

function coerce(
  schema: GraphQLSchema,
  operation: OperationDefinitionNode,
  raw: Readonly<Record<string, unknown>> | undefined,
): Record<string, unknown> {
  const definitions = operation.variableDefinitions ?? [];
  const inputs = raw ?? {};
  if (definitions.length === 0) return { ...inputs };
  const coerced = getVariableValues(schema, definitions, inputs, { maxErrors: 1 });
  if (coerced.coerced) return coerced.coerced;
  const values: Record<string, unknown> = { ...inputs };
  for (const definition of definitions) {
    const name = definition.variable.name.value;
    if (name in values || !definition.defaultValue) continue;
    const type = typeFromAST(schema, definition.type);
    if (type && isInputType(type)) values[name] = valueFromAST(definition.defaultValue, type);
  }
  return values;
}
