/**
 * Every `extensions.code` a client can receive, defined once. The README's error table is checked
 * against this list by tests/contract/documentation.test.ts.
 */
export const errorCatalog = {
  BAD_USER_INPUT: "An argument or input value is invalid; `extensions.field` names it when there is one.",
  UNAUTHENTICATED: "The operation needs a signed-in caller, or the access token sent is invalid or expired.",
  FORBIDDEN: "The caller is signed in but may not see or do this.",
  NOT_FOUND:
    "The thing named by the arguments does not exist (or is not visible to this caller); at HTTP level, no endpoint at that path.",
  CONFLICT:
    "The request contradicts an earlier one, e.g. an `idempotencyKey` reused for a different order: a client bug, not retryable as is.",
  GRAPHQL_PARSE_FAILED: "The document is not valid GraphQL syntax.",
  GRAPHQL_VALIDATION_FAILED: "The document does not match the schema (unknown field, wrong argument type, ...).",
  BAD_REQUEST: "The HTTP request itself is malformed (missing query, wrong content type, bad JSON, unparsable HTTP).",
  METHOD_NOT_ALLOWED: "The path exists but not for this HTTP method; the `Allow` header lists the ones it takes.",
  HEADERS_TOO_LARGE: "The request line and headers are larger than the server accepts.",
  OPERATION_RESOLUTION_FAILURE: "The operation to run could not be chosen (several operations and no operationName).",
  PERSISTED_QUERY_NOT_FOUND: "The persisted-query hash is unknown; send the full query once with it.",
  PERSISTED_QUERY_NOT_SUPPORTED:
    "Persisted queries are turned off on this server, or the request's persisted-query version is not 1.",
  PERSISTED_QUERY_NOT_IN_LIST: "Only operations from the published manifest are accepted; send a known hash.",
  RATE_LIMITED: "The caller's budget or a per-field limit is used up; retry after `extensions.retryAfter` seconds.",
  QUERY_TOO_COMPLEX: "The operation exceeds a limit (cost, depth, aliases, directives or size); ask for less.",
  TOO_MANY_SUBSCRIPTIONS:
    "The WebSocket connection already holds the most subscriptions allowed: complete one, or open another connection.",
  PAYLOAD_TOO_LARGE: "The request body is larger than the server accepts.",
  TIMEOUT: "The request did not finish within the server's execution deadline.",
  SERVICE_UNAVAILABLE:
    "The database, a dependency needed to check a security limit, or this instance (shutting down) is briefly unavailable; retry after `extensions.retryAfter`.",
  INTERNAL_SERVER_ERROR: "Something failed on our side. The message is generic; quote `extensions.requestId` to us.",
} as const;

export type ErrorCode = keyof typeof errorCatalog;
