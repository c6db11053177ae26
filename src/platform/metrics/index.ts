export {
  createMetricsApp,
  exposeMetrics,
  type MetricsSettings,
  registerMetricsRoute,
  registerRequestMetrics,
} from "./endpoint.js";
export {
  type FinishedRequest,
  Metrics,
  type MetricsOptions,
  operationNamesOf,
  type RequestOutcome,
} from "./metrics.js";
export { registerServiceGauges, type ServiceProbes } from "./service-gauges.js";
