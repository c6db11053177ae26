export {
  fullTextSearch,
  SEARCH_MAX_LENGTH,
  SEARCH_MAX_TERMS,
  SEARCH_TERM_COST,
  SearchCost,
  type SearchCostKind,
  SUBSTRING_SEARCH_MAX_LENGTH,
  searchCost,
  searchTerms,
  substringSearch,
} from "./search-text.js";
