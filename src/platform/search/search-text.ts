// Free-text filters, bounded before they reach the database and priced before they run.
//
// A full-text search is `websearch_to_tsquery` over a GIN index: every term is an index lookup over the
// whole catalog, and every match is read and sorted whatever the page size. Unbounded, one 95 KB string
// of `a or b or …` terms cost 2 points and held PostgreSQL for 4.5 s. So the text is capped in length and
// in terms (BAD_USER_INPUT naming the argument), and each term is priced (platform/cost reads the
// `searchCost` extension that `SearchCost()` puts on the argument).
import { Extensions } from "type-graphql";
import { badUserInput } from "../errors/index.js";

/** Longest full-text search, in characters. */
export const SEARCH_MAX_LENGTH = 200;
/** Most words in one full-text search (`or` and `-` are operators, not terms). */
export const SEARCH_MAX_TERMS = 10;
/** Longest substring search (`ILIKE '%…%'`, a scan of the table). */
export const SUBSTRING_SEARCH_MAX_LENGTH = 100;
/** Query-cost points per full-text term (see README "Query cost"). */
export const SEARCH_TERM_COST = 5;

/** What an argument's search costs: per term for full text, per search for a substring scan. */
export type SearchCostKind = "fullText" | "substring";

/**
 * Marks an argument or input field as a search, so the query cost prices it (platform/cost):
 * full text `SEARCH_TERM_COST` per term, a substring scan as one term.
 */
export function SearchCost(kind: SearchCostKind): PropertyDecorator & MethodDecorator & ClassDecorator {
  return Extensions({ searchCost: kind });
}

/**
 * The words `websearch_to_tsquery` will look up, near enough to bound and price them: runs of letters or
 * digits, minus the `or` operator. Quotes and `-` only group or negate terms; they do not add any.
 */
export function searchTerms(text: string): string[] {
  return (text.match(/[\p{L}\p{N}]+/gu) ?? []).filter((word) => word.toLowerCase() !== "or");
}

/** Points a search argument adds to the query cost; terms past the maximum count as the maximum. */
export function searchCost(kind: SearchCostKind, text: string): number {
  if (kind === "substring") return SEARCH_TERM_COST;
  return SEARCH_TERM_COST * Math.min(Math.max(searchTerms(text).length, 1), SEARCH_MAX_TERMS);
}

/**
 * A full-text search as the repository should run it (trimmed; undefined when blank), or a
 * BAD_USER_INPUT naming `argument` when it is over the limits.
 */
export function fullTextSearch(text: string | null | undefined, argument: string): string | undefined {
  const search = text?.trim();
  if (!search) return undefined;
  if (search.length > SEARCH_MAX_LENGTH) {
    throw badUserInput(
      `\`${argument}\` is ${search.length} characters long; a search may have at most ${SEARCH_MAX_LENGTH}.`,
      argument,
    );
  }
  const terms = searchTerms(search).length;
  if (terms > SEARCH_MAX_TERMS) {
    throw badUserInput(`\`${argument}\` has ${terms} words; a search may have at most ${SEARCH_MAX_TERMS}.`, argument);
  }
  return search;
}

/** A substring search (trimmed; undefined when blank), or a BAD_USER_INPUT naming `argument` when too long. */
export function substringSearch(text: string | null | undefined, argument: string): string | undefined {
  const search = text?.trim();
  if (!search) return undefined;
  if (search.length > SUBSTRING_SEARCH_MAX_LENGTH) {
    throw badUserInput(
      `\`${argument}\` is ${search.length} characters long; a search may have at most ${SUBSTRING_SEARCH_MAX_LENGTH}.`,
      argument,
    );
  }
  return search;
}
