export { tracingPlugin } from "./graphql-plugin.js";
export { registerHttpTracing } from "./http.js";
export { traceRedisCommands } from "./redis.js";
export {
  activeRequestSpans,
  RequestSpans,
  startTracing,
  type Tracing,
  type TracingSettings,
  traceStatement,
} from "./tracing.js";
