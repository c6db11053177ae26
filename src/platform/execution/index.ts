// Operations run compiled (graphql-jit) behind Apollo Server.
export { compiledExecution } from "./compiled-execution.js";
