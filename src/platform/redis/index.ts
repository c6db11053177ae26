export { type KeyValueCache, MemoryKeyValueCache, RedisKeyValueCache } from "./key-value-cache.js";
export { connectRedis, type RedisConnection, type RedisHealth, RedisScript, type RedisSettings } from "./redis.js";
