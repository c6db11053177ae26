import { type Config, ConfigError, loadConfig } from "./config/index.js";
import { createLogger } from "./platform/logger/index.js";

/**
 * The configuration for a process entry point (main.ts, worker.ts, migrate.ts): a bad environment is
 * logged, naming every bad variable, and the process exits 1 before anything connects.
 */
export function loadConfigOrExit(): Config {
  try {
    return loadConfig();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    createLogger("info").fatal({ problems: error.problems }, error.message);
    process.exit(1);
  }
}
