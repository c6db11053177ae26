import type { ApolloServerPlugin } from "@apollo/server";
import { unwrapResolverError } from "@apollo/server/errors";
import type { FastifyBaseLogger } from "fastify";
import type { GraphQLFormattedError } from "graphql";
import { isDatabaseUnavailable } from "../db/errors.js";
import { internalErrorMessage, isClientSafe } from "../errors/index.js";
import { databaseUnavailableMessage, unavailableRetryAfterSeconds } from "../http/error-responses.js";
import { applyRefusal, noteRefusal, type RequestLimits } from "../limits/request-limits.js";

/**
 * Apollo's `formatError`: client errors keep their message and code; a database outage becomes a
 * retryable SERVICE_UNAVAILABLE; everything else (a Prisma message, a bug) is replaced by a generic
 * INTERNAL_SERVER_ERROR, keeping only the path.
 */
export function maskError(formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError {
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

type TracedContext = { requestId: string; log: FastifyBaseLogger; trace: RequestTrace; limits: RequestLimits };

/** What the one log line per request reports about the GraphQL side. */
export type RequestTrace = { operationName: string | null; errorCodes: string[] };

/**
 * Logs every unexpected error in full (stack, cause) under the request id, and puts that id in the
 * `extensions` of every error the client receives, so a report can be matched to the log. A database
 * outage is logged once per request, as a warning, and answered like a refusal: Retry-After, and 503
 * when nothing else was answered.
 */
export function errorReportingPlugin<Context extends TracedContext>(): ApolloServerPlugin<Context> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ contextValue, operationName }) {
          contextValue.trace.operationName = operationName ?? null;
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
          response.body.singleResult.errors = response.body.singleResult.errors.map((error) => ({
            ...error,
            extensions: { ...error.extensions, requestId: contextValue.requestId },
          }));
        },
      };
    },
  };
}
