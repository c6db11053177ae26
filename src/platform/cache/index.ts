export { cacheControlDirective, cacheHint, cacheHintOf, catalogMaxAge, categoryMaxAge } from "./cache-hints.js";
export { entityTag, listTag, RequestCache } from "./request-cache.js";
export {
  type CacheContext,
  cacheControlForStorableRequests,
  responseCachePlugin,
} from "./response-cache-plugin.js";
export { SharedSelections, sharedFields } from "./shared-selection.js";
export { TaggedCache } from "./tagged-cache.js";
