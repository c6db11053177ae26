export { parseClusterUrl } from "./cluster-url.js";
export { type KeyValueCache, MemoryKeyValueCache, RedisKeyValueCache } from "./key-value-cache.js";
export {
  connectRedis,
  type RedisClient,
  type RedisConnection,
  type RedisHealth,
  RedisScript,
  type RedisSettings,
} from "./redis.js";
export { RoundTripBatcher } from "./round-trips.js";
