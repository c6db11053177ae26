/**
 * Every `extensions.code` a client can receive, defined once. The README's error table is checked
 * against this list by tests/contract/documentation.test.ts.
 */
export const errorCatalog = {
  BAD_USER_INPUT: "An argument or input value is invalid; `extensions.field` names it when there is one.",
  UNAUTHENTICATED: "The operation needs a signed-in caller, or the access token sent is invalid or expired.",
  FORBIDDEN: "The caller is signed in but may not see or do this.",
  NOT_FOUND: "The thing named by the arguments does not exist (or is not visible to this caller).",
  GRAPHQL_PARSE_FAILED: "The document is not valid GraphQL syntax.",
  GRAPHQL_VALIDATION_FAILED: "The document does not match the schema (unknown field, wrong argument type, ...).",
  BAD_REQUEST: "The HTTP request itself is malformed (missing query, wrong content type, bad JSON).",
  OPERATION_RESOLUTION_FAILURE: "The operation to run could not be chosen (several operations and no operationName).",
  PERSISTED_QUERY_NOT_FOUND: "The persisted-query hash is unknown; send the full query once with it.",
  PERSISTED_QUERY_NOT_SUPPORTED: "Persisted queries are turned off on this server.",
  INTERNAL_SERVER_ERROR: "Something failed on our side. The message is generic; quote `extensions.requestId` to us.",
} as const;

export type ErrorCode = keyof typeof errorCatalog;
