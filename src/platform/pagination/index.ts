export { column, columnList, keysetOrderBy, keysetSql, keysetWhere, sortSql, type SqlColumnType } from "./keyset.js";
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
export { ConnectionArgs, connectionType, PageInfo } from "./connection.type.js";
export { pagesByParent, type ParentPagesQuery } from "./pages-by-parent.js";
export { paginationPermissions } from "./pagination.rules.js";
