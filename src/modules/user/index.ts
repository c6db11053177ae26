import { defineModule } from "../module.js";
import { createUserLoaders } from "./user.loaders.js";
import { userPlans } from "./user.plan.js";
import { UserResolver } from "./user.resolver.js";
import { userPermissions } from "./user.rules.js";

export const userModule = defineModule({
  name: "user",
  resolvers: [UserResolver],
  permissions: userPermissions,
  plans: userPlans,
  loaders: createUserLoaders,
});

export { isSelfOrAdmin } from "./user.rules.js";
export { findUser, forgetUser, rememberUser } from "./user.service.js";
export { User } from "./user.type.js";
