import { defineModule } from "../module.js";
import { accountJobs } from "./account.jobs.js";
import { AccountResolver, UserSessionsResolver } from "./account.resolver.js";
import { accountPermissions } from "./account.rules.js";

export const accountModule = defineModule({
  name: "account",
  resolvers: [AccountResolver, UserSessionsResolver],
  permissions: accountPermissions,
  jobs: accountJobs,
});
export { registerOidcRoutes } from "./account.oidc-routes.js";
