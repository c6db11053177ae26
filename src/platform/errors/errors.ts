import { GraphQLError, type GraphQLErrorExtensions } from "graphql";
import type { ErrorCode } from "./catalog.js";

declare module "graphql" {
  interface GraphQLErrorExtensions {
    code?: ErrorCode;
    /** The request id also logged with the error; present on every error response. */
    requestId?: string;
    /** The argument or input field at fault, for BAD_USER_INPUT. */
    field?: string;
  }
}

/**
 * An error the client caused and can act on. Only these (and Apollo's own request errors) reach
 * clients with their message intact; anything else is masked as INTERNAL_SERVER_ERROR.
 */
export class ClientError extends GraphQLError {
  constructor(
    code: Exclude<ErrorCode, "INTERNAL_SERVER_ERROR">,
    message: string,
    extensions: GraphQLErrorExtensions = {},
  ) {
    super(message, { extensions: { ...extensions, code } });
    this.name = "ClientError";
  }
}

export const badUserInput = (message: string, field?: string) =>
  new ClientError("BAD_USER_INPUT", message, field ? { field } : {});

export const conflict = (message: string, field?: string) =>
  new ClientError("CONFLICT", message, field ? { field } : {});

export const unauthenticated = (
  message = "Sign in to do this: send `Authorization: Bearer <access token>`.",
  extensions: GraphQLErrorExtensions = {},
) => new ClientError("UNAUTHENTICATED", message, extensions);

export const forbidden = (message = "You are signed in but not allowed to do this.") =>
  new ClientError("FORBIDDEN", message);

/** Codes whose errors are written by Apollo Server itself for a malformed request; safe to show. */
const apolloRequestErrorCodes = new Set<string>([
  "GRAPHQL_PARSE_FAILED",
  "GRAPHQL_VALIDATION_FAILED",
  "BAD_REQUEST",
  "OPERATION_RESOLUTION_FAILURE",
  "PERSISTED_QUERY_NOT_FOUND",
  "PERSISTED_QUERY_NOT_SUPPORTED",
  "BAD_USER_INPUT",
]);

export function isClientSafe(error: unknown): boolean {
  if (error instanceof ClientError) return true;
  if (!(error instanceof GraphQLError)) return false;
  if (error.originalError instanceof ClientError) return true;
  // Apollo's request errors (parse, validation, variable coercion) come before execution, so they have
  // no path; an error with a path came from a resolver, where only a ClientError is trusted.
  const code = error.extensions.code;
  return error.path === undefined && typeof code === "string" && apolloRequestErrorCodes.has(code);
}

export const internalErrorMessage = "Internal server error. Quote the request id when reporting it.";
