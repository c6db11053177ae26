export { ConnectionArgs, connectionType, PageInfo } from "./connection.type.js";
export {
  column,
  columnList,
  keysetOrderBy,
  keysetSql,
  keysetWhere,
  limitSql,
  type SqlColumnType,
  sortSql,
} from "./keyset.js";
export {
  type ConnectionArguments,
  type ConnectionResult,
  DEFAULT_PAGE_SIZE,
  MAX_PAGE_SIZE,
  type PageRequest,
  pageRequest,
  type SortOrder,
  toConnection,
} from "./page.js";
export { type ParentPagesQuery, pagesByParent } from "./pages-by-parent.js";
export { paginationPermissions } from "./pagination.rules.js";
