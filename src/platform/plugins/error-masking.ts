import type { ApolloServerPlugin } from "@apollo/server";
import { unwrapResolverError } from "@apollo/server/errors";
import type { FastifyBaseLogger } from "fastify";
import type { GraphQLFormattedError } from "graphql";
import { internalErrorMessage, isClientSafe } from "../errors/index.js";

/**
 * Apollo's `formatError`: client errors keep their message and code; everything else (a Prisma
 * message, a bug, a timeout) is replaced by a generic INTERNAL_SERVER_ERROR, keeping only the path.
 */
export function maskError(formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError {
  const original = unwrapResolverError(error);
  if (isClientSafe(original) || isClientSafe(error)) {
    return formatted;
  }
  return {
    message: internalErrorMessage,
    ...(formatted.locations ? { locations: formatted.locations } : {}),
    ...(formatted.path ? { path: formatted.path } : {}),
    extensions: { code: "INTERNAL_SERVER_ERROR" },
  };
}

/** The thrown error under any GraphQLError wrappers (execution's, and the permission layer's). */
function rootCause(error: unknown): unknown {
  let current = error;
  while (current instanceof Error && "originalError" in current && current.originalError) {
    current = current.originalError;
  }
  return current;
}

type TracedContext = { requestId: string; log: FastifyBaseLogger; trace: RequestTrace };

/** What the one log line per request reports about the GraphQL side. */
export type RequestTrace = { operationName: string | null; errorCodes: string[] };

/**
 * Logs every unexpected error in full (stack, cause) under the request id, and puts that id in the
 * `extensions` of every error the client receives, so a report can be matched to the log.
 */
export function errorReportingPlugin<Context extends TracedContext>(): ApolloServerPlugin<Context> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ contextValue, operationName }) {
          contextValue.trace.operationName = operationName ?? null;
        },
        async didEncounterErrors({ contextValue, errors }) {
          for (const error of errors) {
            const original = unwrapResolverError(error);
            if (isClientSafe(original) || isClientSafe(error)) {
              contextValue.trace.errorCodes.push(String(error.extensions.code ?? "UNKNOWN"));
              continue;
            }
            contextValue.trace.errorCodes.push("INTERNAL_SERVER_ERROR");
            contextValue.log.error({ err: rootCause(error), path: error.path }, "unexpected error while resolving");
          }
        },
        async willSendResponse({ contextValue, response }) {
          if (response.body.kind !== "single" || !response.body.singleResult.errors) return;
          response.body.singleResult.errors = response.body.singleResult.errors.map((error) => ({
            ...error,
            extensions: { ...error.extensions, requestId: contextValue.requestId },
          }));
        },
      };
    },
  };
}
