import { defineModule } from "../module.js";
import { createPostLoaders } from "./post.loaders.js";
import { PostResolver, UserPostsResolver } from "./post.resolver.js";
import { postPermissions } from "./post.rules.js";
import { PostSubscriptionResolver } from "./post.subscription.js";

export const postModule = defineModule({
  name: "post",
  resolvers: [PostSubscriptionResolver, PostResolver, UserPostsResolver],
  permissions: postPermissions,
  loaders: createPostLoaders,
});

export { findPost } from "./post.service.js";
