import type { ApolloServerPlugin, BaseContext } from "@apollo/server";
import { activeRequestSpans, endSpan } from "./tracing.js";

/**
 * Spans for GraphQL's three phases, under the request's HTTP span: `graphql.parse`, `graphql.validate`
 * (only when Apollo has not cached the document already) and `graphql.execute`, which the request's SQL
 * statements and Redis commands during execution hang under. No span per field: a list of a hundred rows
 * would make thousands, costing more than the resolvers they measure.
 */
export function tracingPlugin<Context extends BaseContext>(): ApolloServerPlugin<Context> {
  return {
    async requestDidStart() {
      const spans = activeRequestSpans();
      if (spans === undefined || !spans.recording) return;
      return {
        async parsingDidStart() {
          const span = spans.start("graphql.parse", {});
          return async (error) => endSpan(span, error);
        },
        async validationDidStart() {
          const span = spans.start("graphql.validate", {});
          return async (errors) => endSpan(span, errors?.[0]);
        },
        async executionDidStart({ operation, operationName }) {
          const span = spans.start("graphql.execute", {
            "graphql.operation.type": operation.operation,
            ...(operationName ? { "graphql.operation.name": operationName } : {}),
          });
          spans.enter(span);
          return {
            async executionDidEnd(error) {
              spans.leave();
              endSpan(span, error);
            },
          };
        },
      };
    },
  };
}
