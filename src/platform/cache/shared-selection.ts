import {
  type DocumentNode,
  type FragmentDefinitionNode,
  type GraphQLNamedType,
  type GraphQLSchema,
  getNamedType,
  isObjectType,
  Kind,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from "graphql";
import { cacheHintOf } from "./cache-hints.js";

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
  readonly #decided = new WeakMap<DocumentNode, Map<string, boolean>>();

  constructor(
    private readonly schema: GraphQLSchema,
    private readonly shared: ReadonlySet<string>,
  ) {}

  onlyShared(document: DocumentNode, operation: OperationDefinitionNode): boolean {
    let byOperation = this.#decided.get(document);
    if (!byOperation) {
      byOperation = new Map();
      this.#decided.set(document, byOperation);
    }
    const name = operation.name?.value ?? "";
    let decision = byOperation.get(name);
    if (decision === undefined) {
      decision = this.#decide(document, operation);
      byOperation.set(name, decision);
    }
    return decision;
  }

  #decide(document: DocumentNode, operation: OperationDefinitionNode): boolean {
    const root = operation.operation === "query" ? this.schema.getQueryType() : null;
    if (!root) return false;
    const fragments = new Map<string, FragmentDefinitionNode>();
    for (const definition of document.definitions) {
      if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
    }
    const visiting = new Set<string>();
    const visit = (selections: SelectionSetNode, parent: GraphQLNamedType | null | undefined): boolean => {
      for (const selection of selections.selections) {
        if (selection.kind === Kind.FIELD) {
          const name = selection.name.value;
          if (name === "__typename") continue;
          if (!isObjectType(parent) || !this.shared.has(`${parent.name}.${name}`)) return false;
          const field = parent.getFields()[name];
          if (!field) return false;
          if (selection.selectionSet && !visit(selection.selectionSet, getNamedType(field.type))) return false;
        } else if (selection.kind === Kind.INLINE_FRAGMENT) {
          const type = selection.typeCondition ? this.schema.getType(selection.typeCondition.name.value) : parent;
          if (!visit(selection.selectionSet, type)) return false;
        } else {
          const fragment = fragments.get(selection.name.value);
          if (!fragment || visiting.has(fragment.name.value)) return false;
          visiting.add(fragment.name.value);
          const ok = visit(fragment.selectionSet, this.schema.getType(fragment.typeCondition.name.value));
          visiting.delete(fragment.name.value);
          if (!ok) return false;
        }
      }
      return true;
    };
    return visit(operation.selectionSet, root);
  }
}
