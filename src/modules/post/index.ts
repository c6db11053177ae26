import { defineModule } from "../module.js";
import { createPostLoaders } from "./post.loaders.js";
import { PostResolver, UserPostsResolver } from "./post.resolver.js";
import { postPermissions } from "./post.rules.js";

export const postModule = defineModule({
  name: "post",
  resolvers: [PostResolver, UserPostsResolver],
  permissions: postPermissions,
  loaders: createPostLoaders,
});

export { findPost } from "./post.service.js";
