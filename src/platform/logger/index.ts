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

export function createLogger(level: string): Logger {
  return pino(loggerOptions(level));
}
