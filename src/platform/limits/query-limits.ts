import { ApolloArmor } from "@escape.tech/graphql-armor";
import { GraphQLError, type ValidationContext, type ValidationRule } from "graphql";
import { ClientError } from "../errors/index.js";

export type QueryLimitSettings = Readonly<{
  /** Deepest field nesting, counted through fragments (introspection's `__schema` is exempt). */
  maxDepth: number;
  /** Aliases in one operation, fragments included. */
  maxAliases: number;
  /** Directive uses in one operation. */
  maxDirectives: number;
  /** Lexical tokens in the document; enforced by the parser itself, so a huge document is never built. */
  maxTokens: number;
  /** Production: messages say which limit was hit, never its value. */
  hideThresholds: boolean;
}>;

export const limitMessages = {
  depth: "The query is nested too deeply. Flatten it or split it into several queries.",
  aliases: "The query uses too many aliases. Split it into several queries.",
  directives: "The query uses too many directives.",
  tokens: "The document is too large. Split it into several queries.",
} as const;

/**
 * Validation rules for depth, aliases and directives (graphql-armor's). They run with graphql-js' own
 * validation, before execution, and only the first time Apollo sees a document (it caches validated
 * documents), so repeated queries pay nothing. Rejections become QUERY_TOO_COMPLEX (see
 * `formatError` in platform/errors/presentation.ts).
 */
export function queryLimitRules(settings: QueryLimitSettings): ValidationRule[] {
  const reject =
    (kind: keyof typeof limitMessages) =>
    (context: ValidationContext | null, error: GraphQLError): void => {
      const message = settings.hideThresholds ? limitMessages[kind] : error.message.replace(/^Syntax Error: /, "");
      context?.reportError(new ClientError("QUERY_TOO_COMPLEX", message));
    };
  const common = { exposeLimits: !settings.hideThresholds, propagateOnRejection: false } as const;
  const armor = new ApolloArmor({
    // Our own cost model (platform/cost) replaces armor's; Apollo hides suggestions itself
    // (hideSchemaDetailsFromClientErrors); the parser's maxTokens beats re-parsing in a plugin.
    costLimit: { enabled: false },
    blockFieldSuggestion: { enabled: false },
    maxTokens: { enabled: false },
    maxDepth: { ...common, n: settings.maxDepth, flattenFragments: true, onReject: [reject("depth")] },
    maxAliases: { ...common, n: settings.maxAliases, onReject: [reject("aliases")] },
    maxDirectives: { ...common, n: settings.maxDirectives, onReject: [reject("directives")] },
  });
  return armor.protect().validationRules;
}

/** Apollo's `parseOptions`: the parser stops counting at `maxTokens` and fails. */
export function queryParseOptions(settings: QueryLimitSettings) {
  return { maxTokens: settings.maxTokens };
}
