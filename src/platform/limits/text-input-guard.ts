import type { ApolloServerPlugin, BaseContext } from "@apollo/server";
import {
  type DocumentNode,
  type FragmentDefinitionNode,
  Kind,
  type OperationDefinitionNode,
  type SelectionSetNode,
  type ValueNode,
} from "graphql";
import { ClientError } from "../errors/index.js";
import { operationVariables } from "./variables.js";

/** In unicode mode a surrogate pair is one code point, so only an unpaired half matches. */
const loneSurrogate = /\p{Cs}/u;

/**
 * Why a string cannot be taken, or null. PostgreSQL's text types cannot hold NUL, and a lone UTF-16
 * surrogate has no UTF-8 form (pg would silently store U+FFFD instead; class-validator's IsEmail throws a
 * URIError on it). Both would otherwise surface as our INTERNAL_SERVER_ERROR, or as corrupted data.
 */
export function unacceptableText(value: string): string | null {
  if (value.includes("\u0000")) return "a NUL character (U+0000)";
  if (loneSurrogate.test(value)) return "an unpaired UTF-16 surrogate (not valid Unicode)";
  return null;
}

/** Whether any string anywhere in client JSON is unacceptable; iterative, so deep nesting cannot overflow. */
function holdsUnacceptableText(value: unknown): boolean {
  const stack = [value];
  while (stack.length > 0) {
    const item = stack.pop();
    if (typeof item === "string") {
      if (unacceptableText(item) !== null) return true;
    } else if (item !== null && typeof item === "object") {
      for (const inner of Object.values(item)) stack.push(inner);
    }
  }
  return false;
}

const MAX_REPORTED_DEPTH = 16;

type Found = { field: string; argumentPath: string; reason: string };

/**
 * Refuses, before anything runs, an operation whose arguments hold a string no field can take (see
 * `unacceptableText`): BAD_USER_INPUT, HTTP 400, `extensions.field` naming the argument path (e.g.
 * `input.email`). One check at the edge covers every String/ID argument and input field, present and
 * future, instead of a validator on each. Literals, variables and variables' defaults are all checked.
 */
export function textInputGuardPlugin(): ApolloServerPlugin<BaseContext> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ schema, source, document, operation, request }) {
          if (!operation) return;
          // Almost every request holds no such text: one scan of the document's text (literals and
          // variables' defaults; a `\u` escape may spell one out, so it takes the walk) and of the
          // variables' strings spares the walk that names the argument.
          const sourceIsClean = unacceptableText(source) === null && !source.includes("\\u");
          if (sourceIsClean && !holdsUnacceptableText(request.variables)) return;
          const variables = operationVariables(schema, operation, request.variables);
          const found = findUnacceptableText(document, operation, variables);
          if (!found) return;
          throw new ClientError(
            "BAD_USER_INPUT",
            `\`${found.argumentPath}\` (an argument of \`${found.field}\`) contains ${found.reason}, which is not accepted.`,
            { field: found.argumentPath, http: { status: 400 } },
          );
        },
      };
    },
  };
}

export function findUnacceptableText(
  document: DocumentNode,
  operation: OperationDefinitionNode,
  variables: Readonly<Record<string, unknown>>,
): Found | null {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  }
  const visited = new Set<string>();
  const inSelections = (selectionSet: SelectionSetNode): Found | null => {
    for (const selection of selectionSet.selections) {
      for (const directive of selection.directives ?? []) {
        for (const argument of directive.arguments ?? []) {
          const found = inValue(argument.value, [argument.name.value], `@${directive.name.value}`, variables);
          if (found) return found;
        }
      }
      if (selection.kind === Kind.FIELD) {
        for (const argument of selection.arguments ?? []) {
          const found = inValue(argument.value, [argument.name.value], selection.name.value, variables);
          if (found) return found;
        }
        if (selection.selectionSet) {
          const found = inSelections(selection.selectionSet);
          if (found) return found;
        }
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        const found = inSelections(selection.selectionSet);
        if (found) return found;
      } else if (!visited.has(selection.name.value)) {
        visited.add(selection.name.value);
        const fragment = fragments.get(selection.name.value);
        const found = fragment ? inSelections(fragment.selectionSet) : null;
        if (found) return found;
      }
    }
    return null;
  };
  return inSelections(operation.selectionSet);
}

function inValue(
  node: ValueNode,
  path: string[],
  field: string,
  variables: Readonly<Record<string, unknown>>,
): Found | null {
  const found = (at: string[], reason: string): Found => ({ field, argumentPath: at.join("."), reason });
  switch (node.kind) {
    case Kind.STRING: {
      const reason = unacceptableText(node.value);
      return reason ? found(path, reason) : null;
    }
    case Kind.LIST:
      for (const [i, item] of node.values.entries()) {
        const inner = inValue(item, [...path, String(i)], field, variables);
        if (inner) return inner;
      }
      return null;
    case Kind.OBJECT:
      for (const item of node.fields) {
        const inner = inValue(item.value, [...path, item.name.value], field, variables);
        if (inner) return inner;
      }
      return null;
    case Kind.VARIABLE: {
      // Iterative, with paths as parent links built only on a hit: variables are client JSON, and deep
      // nesting must neither overflow the stack nor cost quadratic time.
      type Step = { key: string; parent: Step | null } | null;
      const pathOf = (step: Step): string[] => {
        const keys: string[] = [];
        for (let at = step; at; at = at.parent) keys.push(at.key);
        keys.reverse();
        // Named in full up to any depth a real input has; a nesting attack does not get echoed back.
        return keys.length > MAX_REPORTED_DEPTH
          ? [...path, ...keys.slice(0, MAX_REPORTED_DEPTH), "…"]
          : [...path, ...keys];
      };
      const stack: [unknown, Step][] = [[variables[node.name.value], null]];
      while (stack.length > 0) {
        const [value, step] = stack.pop() as [unknown, Step];
        if (typeof value === "string") {
          const reason = unacceptableText(value);
          if (reason) return found(pathOf(step), reason);
        } else if (Array.isArray(value)) {
          for (let i = value.length - 1; i >= 0; i--) stack.push([value[i], { key: String(i), parent: step }]);
        } else if (value !== null && typeof value === "object") {
          for (const [key, item] of Object.entries(value).reverse()) stack.push([item, { key, parent: step }]);
        }
      }
      return null;
    }
    default:
      return null;
  }
}
