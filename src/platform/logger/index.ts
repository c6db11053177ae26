import { createRequire } from "node:module";
import { type DestinationStream, type Logger, type LoggerOptions, pino } from "pino";
import type pinoPretty from "pino-pretty";

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
 * In a terminal (stdout is a TTY: `npm start`, `npm run worker` by hand), lines are written readable, one
 * per event, through pino-pretty; anywhere else (a file, a pipe, a log collector) as JSON.
 *
 * JSON goes to stdout asynchronously: pino's default is one blocking write(2) per line, which with one line
 * per request was ~5 % of the CPU of a small request. Lines written while a write is in flight go out
 * together in the next one, so under load the syscalls batch and an idle server still logs at once. pino
 * flushes what is pending when the process exits (process.exit included); only a kill -9 can lose the
 * lines of the last moment.
 */
export function createLogger(level: string, options: { pretty?: boolean } = {}): Logger {
  const readable = options.pretty ?? process.stdout.isTTY === true;
  return pino(loggerOptions(level), readable ? prettyStream(1) : pino.destination({ dest: 1, sync: false }));
}

/** Human-readable lines: time, level, message, then the event's fields (`service`, pid and host left out). */
export function prettyStream(destination: number | NodeJS.WritableStream): DestinationStream {
  // Loaded only here: a server logging JSON (every deployment) never pays for it at start-up or in memory.
  const pretty = createRequire(import.meta.url)("pino-pretty") as typeof pinoPretty;
  return pretty({
    destination,
    colorize: typeof destination === "number" && process.stdout.isTTY === true,
    translateTime: "SYS:HH:MM:ss.l",
    ignore: "pid,hostname,service",
    sync: true,
  });
}
