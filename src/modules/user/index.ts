export { createUserLoaders } from "./user.loaders.js";
export { UserResolver } from "./user.resolver.js";
export { isSelfOrAdmin, userPermissions } from "./user.rules.js";
export { User, UserConnection } from "./user.type.js";
