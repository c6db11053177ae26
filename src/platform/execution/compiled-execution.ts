import type { ApolloServerOptionsWithGateway, BaseContext } from "@apollo/server";
import { type DocumentNode, execute, GraphQLError, type GraphQLSchema, getVariableValues } from "graphql";
import { type CompiledQuery, compileQuery, isCompiledQuery } from "graphql-jit";

type Gateway = ApolloServerOptionsWithGateway<BaseContext>["gateway"];

/** Executions of an operation (per document) before it is compiled; until then graphql-js runs it. */
const RUNS_BEFORE_COMPILING = 1;

/**
 * Runs operations with graphql-jit instead of graphql-js's `execute`: an operation clients repeat is
 * compiled into a function that walks its selection directly, so a field without a resolver of its own
 * (most of a response: scalars, `edges`, `node`) is a property read, where graphql-js builds an `info`
 * object, an argument object and a path entry for every field of every row. Resolvers, the shield's
 * wrappers and Apollo's plugin hooks run as before: they are the schema's, which is unchanged.
 *
 * Compiling costs more than one execution, so an operation's first run goes through graphql-js and only a
 * repeated one is compiled: a client sending ever new documents never makes the server compile.
 *
 * Apollo Server takes a custom executor only through its gateway interface, so this is a "gateway" over
 * one fixed schema. Compiled operations are kept per parsed document: Apollo's document store hands the
 * same document object to every request with the same text, and the compiled form goes when the store
 * evicts the document.
 */
export function compiledExecution(schema: GraphQLSchema): Gateway {
  // A compiled operation holds the resolvers the schema had when it was compiled. Apollo replaces every
  // resolver once, the first time a plugin asks for `willResolveField` (none of ours does today), so
  // operations compiled before that are compiled again: any field's resolver tells whether that happened.
  const sentinel = Object.values(schema.getQueryType()?.getFields() ?? {})[0];
  // Per operation name: its compiled form, the runs so far while not compiled yet, or null when graphql-jit
  // cannot compile it (graphql-js then runs it every time).
  type Operations = Map<string, CompiledQuery | number | null>;
  const compiled = new WeakMap<DocumentNode, { resolvers: unknown; operations: Operations }>();
  const compiledFor = (document: DocumentNode, operationName: string | null): CompiledQuery | null => {
    let entry = compiled.get(document);
    if (!entry || entry.resolvers !== sentinel?.resolve) {
      entry = { resolvers: sentinel?.resolve, operations: new Map() };
      compiled.set(document, entry);
    }
    const key = operationName ?? "";
    const known = entry.operations.has(key) ? entry.operations.get(key) : 0;
    if (typeof known !== "number") return known ?? null;
    if (known < RUNS_BEFORE_COMPILING) {
      entry.operations.set(key, known + 1);
      return null;
    }
    const result = compileQuery(schema, document, operationName ?? undefined);
    const query = isCompiledQuery(result) ? result : null;
    entry.operations.set(key, query);
    return query;
  };

  return {
    async load() {
      return {
        schema,
        executor: async ({ document, operation, operationName, request, context }) => {
          const variables = request.variables ?? {};
          const query = compiledFor(document, operationName);
          if (!query)
            return execute({ schema, document, operationName, variableValues: variables, contextValue: context });
          const result = await query.query(undefined, context, variables);
          if (!result.errors) return result;
          // No data at all: graphql-jit refused the variables before running anything. graphql-js words that
          // error as Apollo expects (BAD_USER_INPUT, status 400), so the variables get its check.
          if (result.data === undefined) {
            const coercion = getVariableValues(schema, operation.variableDefinitions ?? [], variables, {
              maxErrors: 50,
            });
            if (coercion.errors) return { errors: coercion.errors };
          }
          return { ...result, errors: result.errors.map(asGraphQLJsError) };
        },
      };
    },
    onSchemaLoadOrUpdate(callback) {
      callback({ apiSchema: schema, coreSupergraphSdl: "" });
      return () => {};
    },
    async stop() {},
  };
}

/**
 * graphql-jit's errors are GraphQLErrors of its own making: without `extensions` when the thrown error had
 * none, without `nodes`. The rest of the pipeline (error codes, masking, the outage answer) expects what
 * graphql-js makes of an error thrown by a resolver, so each becomes that.
 */
function asGraphQLJsError(error: GraphQLError): GraphQLError {
  const { originalError } = error;
  const made = new GraphQLError(error.message, {
    path: error.path,
    ...(originalError ? { originalError } : {}),
  });
  // graphql-js computes `locations` from nodes, which graphql-jit does not keep; its locations are the same.
  (made as { locations: GraphQLError["locations"] }).locations = error.locations;
  return made;
}
