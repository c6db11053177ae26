export { admitOperation, type CostPluginOptions, cachedAnswerCost, costLimitPlugin } from "./cost-plugin.js";
export type { CostReport, ThrottleStatus } from "./cost-report.js";
export { CostPerItemOf, MUTATION_FIELD_COST, operationCost } from "./query-cost.js";
export { RateLimitResolver } from "./rate-limit.resolver.js";
export { rateLimitPermissions } from "./rate-limit.rules.js";
export { RateLimit } from "./rate-limit.type.js";
