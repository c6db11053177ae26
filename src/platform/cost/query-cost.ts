// The cost of an operation, computed from the document and its variables before anything runs.
//
//   cost(operation)   = max(1, Σ cost(root field) + 10 per root field of a mutation)
//   scalar, enum, __typename, introspection        0
//   totalCount of a connection                     1                      (a COUNT statement of its own)
//   connection field (has first/last and edges)    1 + n × cost(edges) + cost(pageInfo, totalCount)
//                                                  n = first ?? last ?? 20, at most 100; an omitted
//                                                  variable counts at its default, as it will run
//   edges, pageInfo (connection plumbing)          0 + their fields
//   any other object, or list of objects           1 + its fields
//   a list with one object per item of a list      n × (1 + its fields), n = the argument's length
//   argument (marked with CostPerItemOf: nodes)    (at most 100): it reads n objects, like n fields
//   a search argument (marked with SearchCost)     + 5 per full-text term (at most 10 terms), + 5 per
//                                                  substring search, added to the field it filters
//
// So a page of n nodes costs n times one node: nested connections multiply, as in GitHub's and
// Shopify's models. A plain list (a category's children, an order's items) is bounded and read in one
// batched statement, so it counts like one object. Fields repeated under one response key, or in
// fragments that cannot both apply, are counted each time (an upper bound, never an underestimate).
import {
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLField,
  GraphQLIncludeDirective,
  type GraphQLInputType,
  type GraphQLNamedType,
  type GraphQLObjectType,
  type GraphQLSchema,
  GraphQLSkipDirective,
  getArgumentValues,
  getDirectiveValues,
  getNamedType,
  isAbstractType,
  isInputObjectType,
  isLeafType,
  isObjectType,
  Kind,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from "graphql";
import { Extensions } from "type-graphql";
import { operationVariables } from "../limits/variables.js";
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from "../pagination/index.js";
import { rememberedPerOperation } from "../per-operation.js";
import { type SearchCostKind, searchCost } from "../search/index.js";

/**
 * Marks a field that returns one object per item of the named list argument (`nodes(ids:)`): it is
 * priced as that many single-object fields, so a list of ids cannot buy 100 objects for the price of one.
 */
export function CostPerItemOf(argument: string): MethodDecorator {
  return Extensions({ costPerItemOf: argument });
}

/** Added for each root field of a mutation: writes cost more than reads whatever they return. */
export const MUTATION_FIELD_COST = 10;

type Walk = {
  schema: GraphQLSchema;
  fragments: Map<string, FragmentDefinitionNode>;
  variables: Record<string, unknown>;
  /**
   * Cost of each fragment per page size it is spread under. Without it a document whose fragments
   * each spread the next one twice would take exponential time to price.
   */
  fragmentCosts: Map<string, number>;
};

export function operationCost(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  variables: Record<string, unknown> | undefined,
): number {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  }
  // With defaults filled in: an omitted `$n: Int = 100` pages by 100 when it runs, so it is priced so.
  const values = operationVariables(schema, operation, variables);
  const walk: Walk = { schema, fragments, variables: values, fragmentCosts: new Map() };
  const root =
    operation.operation === "mutation"
      ? schema.getMutationType()
      : operation.operation === "subscription"
        ? schema.getSubscriptionType()
        : schema.getQueryType();
  if (!root) return 1;
  let cost = selectionCost(walk, { type: root, pageSize: null }, operation.selectionSet);
  if (operation.operation === "mutation") cost += MUTATION_FIELD_COST * countFields(walk, operation.selectionSet);
  return Math.max(1, cost);
}

/**
 * `operationCost`, remembered per parsed operation and variables (for one schema): Apollo hands every
 * request with the same text the same document, and pricing walks the whole selection, a noticeable share
 * of a cached answer's time. Bounded: an operation priced with many different variables starts over.
 */
export function rememberedOperationCost(): typeof operationCost {
  const remembered = rememberedPerOperation<OperationDefinitionNode, number>(256);
  return (schema, document, operation, variables) =>
    remembered(operation, JSON.stringify(variables ?? {}), () => operationCost(schema, document, operation, variables));
}

/** The object a selection set is read from; a connection carries the page size its edges repeat by. */
type Parent = Readonly<{ type: GraphQLNamedType; pageSize: number | null }>;

function selectionCost(walk: Walk, parent: Parent, selectionSet: SelectionSetNode): number {
  let total = 0;
  for (const selection of selectionSet.selections) {
    if (!included(walk, selection)) continue;
    if (selection.kind === Kind.FIELD) {
      total += fieldCost(walk, parent, selection);
    } else if (selection.kind === Kind.INLINE_FRAGMENT) {
      // Fragments are read as part of the same object, so edges inside them repeat like any others.
      const typeName = selection.typeCondition?.name.value;
      const type = (typeName && walk.schema.getType(typeName)) || parent.type;
      total += selectionCost(walk, { type, pageSize: parent.pageSize }, selection.selectionSet);
    } else {
      const key = `${selection.name.value}:${parent.pageSize}`;
      let cost = walk.fragmentCosts.get(key);
      if (cost === undefined) {
        const fragment = walk.fragments.get(selection.name.value);
        const type = (fragment && walk.schema.getType(fragment.typeCondition.name.value)) || parent.type;
        cost = fragment ? selectionCost(walk, { type, pageSize: parent.pageSize }, fragment.selectionSet) : 0;
        walk.fragmentCosts.set(key, cost);
      }
      total += cost;
    }
  }
  return total;
}

function fieldCost(walk: Walk, parent: Parent, node: FieldNode): number {
  const name = node.name.value;
  if (name.startsWith("__")) return 0;
  const field = fieldOf(parent.type, name);
  if (!field) return 0;
  const type = getNamedType(field.type);
  const inConnection = parent.pageSize !== null;
  if (isLeafType(type)) return inConnection && name === "totalCount" ? 1 : 0;
  if (!node.selectionSet) return 0;
  const children = (pageSize: number | null) =>
    selectionCost(walk, { type, pageSize }, node.selectionSet as SelectionSetNode);
  if (inConnection && name === "edges") return (parent.pageSize ?? 0) * children(null);
  if (inConnection && name === "pageInfo") return children(null);
  const perItemOf = field.extensions.costPerItemOf;
  if (typeof perItemOf === "string") return listLength(walk, field, node, perItemOf) * (1 + children(null));
  const search = searchArgumentsCost(walk, field, node);
  if (isConnection(field)) return 1 + search + children(pageSize(walk, field, node));
  return 1 + search + children(null);
}

/** Where search arguments sit under a field's arguments, e.g. `filter.search`; computed once per field. */
const searchPaths = new WeakMap<GraphQLField<unknown, unknown>, { path: string[]; kind: SearchCostKind }[]>();

function searchPathsOf(field: GraphQLField<unknown, unknown>) {
  let paths = searchPaths.get(field);
  if (paths === undefined) {
    paths = [];
    const visit = (type: GraphQLInputType, extensions: Record<string, unknown>, path: string[]) => {
      const kind = extensions.searchCost;
      if (kind === "fullText" || kind === "substring") paths?.push({ path, kind });
      const named = getNamedType(type);
      if (isInputObjectType(named) && path.length < 4) {
        for (const inner of Object.values(named.getFields()))
          visit(inner.type, inner.extensions, [...path, inner.name]);
      }
    };
    for (const arg of field.args) visit(arg.type, arg.extensions, [arg.name]);
    searchPaths.set(field, paths);
  }
  return paths;
}

/** What the field's search arguments add (platform/search): the search runs once per field. */
function searchArgumentsCost(walk: Walk, field: GraphQLField<unknown, unknown>, node: FieldNode): number {
  const paths = searchPathsOf(field);
  if (paths.length === 0) return 0;
  let args: Record<string, unknown>;
  try {
    args = getArgumentValues(field, node, walk.variables);
  } catch {
    return 0; // execution refuses arguments that do not coerce
  }
  let cost = 0;
  for (const { path, kind } of paths) {
    let value: unknown = args;
    for (const key of path)
      value = value && typeof value === "object" ? (value as Record<string, unknown>)[key] : undefined;
    if (typeof value === "string" && value.trim() !== "") cost += searchCost(kind, value);
  }
  return cost;
}

function fieldOf(parent: GraphQLNamedType, name: string): GraphQLField<unknown, unknown> | undefined {
  if (isObjectType(parent)) return parent.getFields()[name];
  if (isAbstractType(parent) && "getFields" in parent) return parent.getFields()[name];
  return undefined;
}

function isConnection(field: GraphQLField<unknown, unknown>): boolean {
  const type = getNamedType(field.type);
  return (
    isObjectType(type) &&
    "edges" in (type as GraphQLObjectType).getFields() &&
    field.args.some((arg) => arg.name === "first" || arg.name === "last")
  );
}

/** How many items the list argument holds, at most MAX_PAGE_SIZE (execution refuses more). */
function listLength(walk: Walk, field: GraphQLField<unknown, unknown>, node: FieldNode, argument: string): number {
  let args: Record<string, unknown>;
  try {
    args = getArgumentValues(field, node, walk.variables);
  } catch {
    return 1; // execution refuses arguments that do not coerce
  }
  const list = args[argument];
  return Array.isArray(list) ? Math.min(list.length, MAX_PAGE_SIZE) : 1;
}

/** The page size the field will be asked for; a bad value counts as the default (execution refuses it). */
function pageSize(walk: Walk, field: GraphQLField<unknown, unknown>, node: FieldNode): number {
  let args: Record<string, unknown>;
  try {
    args = getArgumentValues(field, node, walk.variables);
  } catch {
    return DEFAULT_PAGE_SIZE;
  }
  const requested = args.first ?? args.last;
  if (typeof requested !== "number" || !Number.isInteger(requested)) return DEFAULT_PAGE_SIZE;
  return Math.min(Math.max(requested, 0), MAX_PAGE_SIZE);
}

function included(walk: Walk, node: { directives?: readonly unknown[] }): boolean {
  if (!node.directives || node.directives.length === 0) return true;
  try {
    const skip = getDirectiveValues(GraphQLSkipDirective, node as FieldNode, walk.variables);
    if (skip?.if === true) return false;
    const include = getDirectiveValues(GraphQLIncludeDirective, node as FieldNode, walk.variables);
    return include?.if !== false;
  } catch {
    return true;
  }
}

/** Root fields actually selected (through fragments), for the per-mutation surcharge. */
function countFields(walk: Walk, selectionSet: SelectionSetNode): number {
  let count = 0;
  for (const selection of selectionSet.selections) {
    if (!included(walk, selection)) continue;
    if (selection.kind === Kind.FIELD) {
      if (!selection.name.value.startsWith("__")) count++;
    } else if (selection.kind === Kind.INLINE_FRAGMENT) {
      count += countFields(walk, selection.selectionSet);
    } else {
      const fragment = walk.fragments.get(selection.name.value);
      if (fragment) count += countFields(walk, fragment.selectionSet);
    }
  }
  return count;
}
