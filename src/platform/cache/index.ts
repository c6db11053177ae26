export { cacheControlDirective, cacheHint, cacheHintOf, catalogMaxAge, categoryMaxAge } from "./cache-hints.js";
export { type CachePolicy, operationCachePolicy } from "./cache-policy.js";
export { entityTag, listTag, RequestCache } from "./request-cache.js";
export {
  type CacheContext,
  recordCacheTags,
  responseCachePlugin,
} from "./response-cache-plugin.js";
export { SharedSelections, sharedFields } from "./shared-selection.js";
export { TaggedCache } from "./tagged-cache.js";
