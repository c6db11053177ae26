import { type Logger, type LoggerOptions, pino } from "pino";

export type { Logger };

/**
 * Paths never written to the log. Request headers carry bearer tokens and cookies; GraphQL variables
 * carry passwords and refresh tokens (any depth, so nested inputs are covered).
 */
export const redactedPaths = [
  "req.headers.authorization",
  "req.headers.cookie",
  'req.headers["x-api-key"]',
  "res.headers['set-cookie']",
  "*.password",
  "*.newPassword",
  "*.currentPassword",
  "*.token",
  "*.accessToken",
  "*.refreshToken",
  "*.passwordHash",
  "variables.*.password",
  "variables.*.newPassword",
  "variables.*.currentPassword",
  "variables.*.token",
  "variables.*.refreshToken",
];

export function loggerOptions(level: string): LoggerOptions {
  return {
    level,
    redact: { paths: redactedPaths, censor: "[redacted]" },
    base: { service: "graphql-gateway" },
  };
}

/**
 * Writes to stdout asynchronously: pino's default is one blocking write(2) per line, which with one line
 * per request was ~5 % of the CPU of a small request. Lines written while a write is in flight go out
 * together in the next one, so under load the syscalls batch and an idle server still logs at once. pino
 * flushes what is pending when the process exits (process.exit included); only a kill -9 can lose the
 * lines of the last moment.
 */
export function createLogger(level: string): Logger {
  return pino(loggerOptions(level), pino.destination({ dest: 1, sync: false }));
}
