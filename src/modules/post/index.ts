import { PostResolver, UserPostsResolver } from "./post.resolver.js";

export { createPostLoaders } from "./post.loaders.js";
export { PostResolver, UserPostsResolver } from "./post.resolver.js";
export { postPermissions } from "./post.rules.js";
export { authorPosts, findPost, isPostReadable, listPosts } from "./post.service.js";
export { Post, PostConnection } from "./post.type.js";

export const postResolvers = [PostResolver, UserPostsResolver] as const;
