export { AccountResolver } from "./account.resolver.js";
export { accountPermissions } from "./account.rules.js";
export { REFRESH_COOKIE } from "./account.service.js";
