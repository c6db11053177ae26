import { allow } from "../permissions/rules.js";
import { connectionTypeNames } from "./connection.type.js";

/**
 * Connection plumbing carries no data of its own: who may see a list is decided on the field that
 * returns the connection, and which rows are in it by the repository's `where`.
 */
export function paginationPermissions() {
  const rules: Record<string, Record<string, typeof allow>> = {
    PageInfo: { hasNextPage: allow, hasPreviousPage: allow, startCursor: allow, endCursor: allow },
  };
  for (const name of connectionTypeNames) {
    rules[`${name}Connection`] = { edges: allow, pageInfo: allow, totalCount: allow };
    rules[`${name}Edge`] = { cursor: allow, node: allow };
  }
  return rules;
}
