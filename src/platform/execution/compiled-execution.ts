import type { ApolloServerOptionsWithGateway, BaseContext } from "@apollo/server";
import { type DocumentNode, type ExecutionResult, GraphQLError, type GraphQLSchema, getVariableValues } from "graphql";
import { type CompiledQuery, compileQuery, isCompiledQuery } from "graphql-jit";

type Gateway = ApolloServerOptionsWithGateway<BaseContext>["gateway"];

/**
 * Runs operations with graphql-jit instead of graphql-js's `execute`: each operation is compiled once into
 * a function that walks its selection directly, so a field without a resolver of its own (most of a
 * response: scalars, `edges`, `node`) is a property read, where graphql-js builds an `info` object, an
 * argument object and a path entry for every field of every row. Resolvers, the shield's wrappers and
 * Apollo's plugin hooks run as before: they are the schema's, which is unchanged.
 *
 * Apollo Server takes a custom executor only through its gateway interface, so this is a "gateway" over
 * one fixed schema. Compiled operations are kept per parsed document: Apollo's document store hands the
 * same document object to every request with the same text, so each operation compiles once and the
 * compiled form goes when the store evicts the document.
 */
export function compiledExecution(schema: GraphQLSchema): Gateway {
  // A compiled operation holds the resolvers the schema had when it was compiled. Apollo replaces every
  // resolver once, the first time a plugin asks for `willResolveField` (the response cache does, on its
  // first storable miss), so operations compiled before that are compiled again: any field's resolver
  // tells whether that happened.
  const sentinel = Object.values(schema.getQueryType()?.getFields() ?? {})[0];
  const compiled = new WeakMap<DocumentNode, { resolvers: unknown; operations: Map<string, CompiledQuery> }>();
  const compiledFor = (document: DocumentNode, operationName: string | null): CompiledQuery | ExecutionResult => {
    let entry = compiled.get(document);
    if (entry?.resolvers !== sentinel?.resolve) entry = undefined;
    if (!entry) {
      entry = { resolvers: sentinel?.resolve, operations: new Map() };
      compiled.set(document, entry);
    }
    const key = operationName ?? "";
    const known = entry.operations.get(key);
    if (known) return known;
    const result = compileQuery(schema, document, operationName ?? undefined);
    if (isCompiledQuery(result)) entry.operations.set(key, result);
    return result;
  };

  return {
    async load() {
      return {
        schema,
        executor: async ({ document, operation, operationName, request, context }) => {
          // Variables are checked by graphql-js first, so a bad one gets graphql-js's error, which Apollo
          // answers with BAD_USER_INPUT and status 400 (graphql-jit words its own differently).
          const variables = request.variables ?? {};
          const coercion = getVariableValues(schema, operation.variableDefinitions ?? [], variables, {
            maxErrors: 50,
          });
          if (coercion.errors) return { errors: coercion.errors };
          const query = compiledFor(document, operationName);
          if (!isCompiledQuery(query)) return query;
          const result = await query.query(undefined, context, variables);
          return result.errors ? { ...result, errors: result.errors.map(asGraphQLJsError) } : result;
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
