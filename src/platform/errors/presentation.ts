import type { ApolloServerPlugin } from "@apollo/server";
import { unwrapResolverError } from "@apollo/server/errors";
import type { FastifyBaseLogger } from "fastify";
import { GraphQLError, type GraphQLFormattedError, type OperationTypeNode } from "graphql";
import { isDatabaseUnavailable } from "../db/errors.js";
import { limitMessages } from "../limits/query-limits.js";
import { applyRefusal, noteRefusal, type RequestLimits } from "../limits/request-limits.js";
import { databaseUnavailableMessage, unavailableRetryAfterSeconds } from "./http-responses.js";
import { ClientError, internalErrorMessage, isClientSafe } from "./index.js";

// Everything that decides what a client sees of an error lives in this folder: the catalog of codes
// (catalog.ts), the errors the code throws (errors.ts), GraphQL errors (this file: Apollo's formatError,
// the shield's error for a resolver that threw, the request id on every error) and HTTP-level errors
// (http-responses.ts: bodies for errors Fastify, Node and Apollo answer before GraphQL runs).

/**
 * Apollo's `formatError`: what a client sees of each error of a GraphQL response. With
 * `hideThresholds` (production) limit messages do not state the limits' values.
 */
export function formatError(hideThresholds: boolean) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError =>
    presentLimitErrors(maskError(formatted, error), error, hideThresholds);
}

/**
 * What graphql-shield reports for an error thrown by a resolver or rule it guards: ClientErrors (the
 * catalog's, meant for the caller) pass through; anything else becomes an internal error that still
 * carries the original for the log (and for formatError, which may present it as an outage).
 */
export function presentThrownInShield(thrown: unknown): Error {
  if (thrown instanceof ClientError) return thrown;
  return new GraphQLError(internalErrorMessage, {
    originalError: thrown instanceof Error ? thrown : new Error(String(thrown)),
    extensions: { code: "INTERNAL_SERVER_ERROR" },
  });
}

/**
 * Client errors keep their message and code; a database outage becomes a retryable
 * SERVICE_UNAVAILABLE; everything else (a Prisma message, a bug) is replaced by a generic
 * INTERNAL_SERVER_ERROR, keeping only the path.
 */
function maskError(formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError {
  const original = unwrapResolverError(error);
  if (isClientSafe(original) || isClientSafe(error)) {
    return formatted;
  }
  const where = {
    ...(formatted.locations ? { locations: formatted.locations } : {}),
    ...(formatted.path ? { path: formatted.path } : {}),
  };
  if (isDatabaseUnavailable(original)) {
    return {
      message: databaseUnavailableMessage,
      ...where,
      extensions: { code: "SERVICE_UNAVAILABLE", retryAfter: unavailableRetryAfterSeconds },
    };
  }
  return { message: internalErrorMessage, ...where, extensions: { code: "INTERNAL_SERVER_ERROR" } };
}

/** The thrown error under any GraphQLError wrappers (execution's, and the permission layer's). */
function rootCause(error: unknown): unknown {
  let current = error;
  while (current instanceof Error && "originalError" in current && current.originalError) {
    current = current.originalError;
  }
  return current;
}

/**
 * The errors of a result produced outside Apollo (a subscription's events): masked and coded as Apollo's
 * `formatError` does, the request id added, and unexpected ones logged in full.
 */
export function presentErrors(
  errors: readonly GraphQLError[],
  requestId: string,
  log: Pick<FastifyBaseLogger, "error">,
  hideThresholds: boolean,
): GraphQLFormattedError[] {
  const format = formatError(hideThresholds);
  return errors.map((error) => {
    const original = unwrapResolverError(error);
    if (!isClientSafe(original) && !isClientSafe(error) && !isDatabaseUnavailable(original)) {
      log.error({ err: rootCause(error), path: error.path }, "unexpected error while resolving");
    }
    const formatted = format(error.toJSON(), error);
    return { ...formatted, extensions: { ...formatted.extensions, requestId } };
  });
}

type TracedContext = {
  requestId: string;
  /** The OpenTelemetry trace id; null when tracing is off. */
  traceId: string | null;
  log: FastifyBaseLogger;
  trace: RequestTrace;
  limits: RequestLimits;
};

/** What the one log line per request reports about the GraphQL side. */
export type RequestTrace = {
  operationName: string | null;
  /** Null until an operation is chosen: a document that failed to parse or validate never gets one. */
  operationType: OperationTypeNode | null;
  errorCodes: string[];
};

/**
 * Logs every unexpected error in full (stack, cause) under the request id, and puts that id (and the trace
 * id, when tracing is on) in the `extensions` of every error the client receives, so a report can be
 * matched to the log and the trace. A database
 * outage is logged once per request, as a warning, and answered like a refusal: Retry-After, and 503
 * when nothing else was answered.
 */
export function errorReportingPlugin<Context extends TracedContext>(): ApolloServerPlugin<Context> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ contextValue, operationName, operation }) {
          contextValue.trace.operationName = operationName ?? null;
          contextValue.trace.operationType = operation?.operation ?? null;
        },
        async didEncounterErrors({ contextValue, errors }) {
          let outage: unknown;
          for (const error of errors) {
            const original = unwrapResolverError(error);
            if (isClientSafe(original) || isClientSafe(error)) {
              contextValue.trace.errorCodes.push(String(error.extensions.code ?? "UNKNOWN"));
              continue;
            }
            if (isDatabaseUnavailable(original)) {
              contextValue.trace.errorCodes.push("SERVICE_UNAVAILABLE");
              outage ??= rootCause(error);
              continue;
            }
            contextValue.trace.errorCodes.push("INTERNAL_SERVER_ERROR");
            contextValue.log.error({ err: rootCause(error), path: error.path }, "unexpected error while resolving");
          }
          if (outage !== undefined) {
            contextValue.log.warn({ err: outage }, "database unavailable");
            noteRefusal(contextValue.limits, 503, unavailableRetryAfterSeconds);
          }
        },
        async willSendResponse({ contextValue, response }) {
          if (response.body.kind !== "single") return;
          applyRefusal(contextValue.limits, response.http, response.body.singleResult);
          if (!response.body.singleResult.errors) return;
          const { requestId, traceId } = contextValue;
          const ids = traceId ? { requestId, traceId } : { requestId };
          response.body.singleResult.errors = response.body.singleResult.errors.map((error) => ({
            ...error,
            extensions: { ...error.extensions, ...ids },
          }));
        },
      };
    },
  };
}

/**
 * A `formatError` step: limit rejections leave Apollo as GRAPHQL_VALIDATION_FAILED (rules) or
 * GRAPHQL_PARSE_FAILED (tokens); give them their own code, and in production drop the threshold the
 * parser puts in its message.
 */
function presentLimitErrors(
  formatted: GraphQLFormattedError,
  error: unknown,
  hideThresholds: boolean,
): GraphQLFormattedError {
  const original = error instanceof GraphQLError ? error.originalError : undefined;
  if (original instanceof ClientError && original.extensions.code === "QUERY_TOO_COMPLEX") {
    return { ...formatted, extensions: { ...formatted.extensions, code: "QUERY_TOO_COMPLEX" } };
  }
  if (
    formatted.extensions?.code === "GRAPHQL_PARSE_FAILED" &&
    /Document contains more that \d+ tokens/.test(formatted.message)
  ) {
    const message = hideThresholds ? limitMessages.tokens : formatted.message.replace(/^Syntax Error: /, "");
    return { message, extensions: { ...formatted.extensions, code: "QUERY_TOO_COMPLEX" } };
  }
  return formatted;
}
