export { addressKey, type Caller, identifyCaller } from "./caller.js";
export {
  type AppliedFieldLimits,
  type FieldLimit,
  type FieldLimitRefusal,
  type FieldLimitRule,
  type FieldLimitTable,
  fieldLimitGuard,
  fieldLimits,
  type LimitKey,
} from "./field-limits.js";
export { type FailureMode, Limiter, LimitStoreUnavailableError } from "./limiter.js";
export {
  type BucketResult,
  type BucketSettings,
  type LimitStore,
  MemoryLimitStore,
  RedisLimitStore,
  type WindowResult,
} from "./stores.js";
