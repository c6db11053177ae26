import {
  type DocumentNode,
  type GraphQLSchema,
  getNamedType,
  isObjectType,
  type OperationDefinitionNode,
} from "graphql";
import { cacheHintOf } from "./cache-hints.js";
import { everySelectedField } from "./selected-fields.js";

/**
 * The fields whose value is the same for every caller who may share cache entries (anyone but an
 * admin): their permission rule is public (`allow`, or a rule marked with `publicRule`), and neither the
 * field nor the type it returns is hinted PRIVATE. As "Type.field".
 */
export function sharedFields(
  schema: GraphQLSchema,
  isPublicRule: (typeName: string, fieldName: string) => boolean,
): ReadonlySet<string> {
  const shared = new Set<string>();
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || type.name.startsWith("__")) continue;
    for (const field of Object.values(type.getFields())) {
      if (!isPublicRule(type.name, field.name)) continue;
      if (cacheHintOf(field)?.scope === "PRIVATE") continue;
      if (cacheHintOf(getNamedType(field.type))?.scope === "PRIVATE") continue;
      shared.add(`${type.name}.${field.name}`);
    }
  }
  return shared;
}

/**
 * Whether an operation can only ever select shared fields: decided from the document alone, before
 * anything runs, so a private selection never even looks in the shared cache. Both sides of every
 * `@skip`/`@include` count, and a field on an interface or union (whose object type is known only at
 * run time) counts as private. Remembered per parsed document (Apollo keeps one per query text).
 */
export class SharedSelections {
  /** Per parsed operation: Apollo hands every request with the same text the same document. */
  readonly #decided = new WeakMap<OperationDefinitionNode, boolean>();

  constructor(
    private readonly schema: GraphQLSchema,
    private readonly shared: ReadonlySet<string>,
  ) {}

  onlyShared(document: DocumentNode, operation: OperationDefinitionNode): boolean {
    let decision = this.#decided.get(operation);
    if (decision === undefined) {
      decision = this.#decide(document, operation);
      this.#decided.set(operation, decision);
    }
    return decision;
  }

  #decide(document: DocumentNode, operation: OperationDefinitionNode): boolean {
    const root = operation.operation === "query" ? this.schema.getQueryType() : null;
    if (!root) return false;
    return everySelectedField(
      this.schema,
      document,
      operation,
      root,
      (parent, field) => isObjectType(parent) && field !== undefined && this.shared.has(`${parent.name}.${field.name}`),
    );
  }
}
