import { Prisma } from "../../generated/prisma/client.js";

type ConstraintCause = {
  kind?: string;
  originalCode?: string;
  constraint?: { fields?: string[]; index?: string };
};

/** The driver adapter's description of a failed statement, from Prisma's query API (P2xxx) and raw queries (P2010) alike. */
function causeOf(error: unknown): ConstraintCause | undefined {
  if (!(error instanceof Prisma.PrismaClientKnownRequestError)) return undefined;
  const adapterError = (error.meta as { driverAdapterError?: { cause?: ConstraintCause } } | undefined)
    ?.driverAdapterError;
  return adapterError?.cause;
}

/** A unique constraint, named both ways because the adapters differ: adapter-pg reports the index, PGlite the columns. */
export type UniqueConstraint = Readonly<{ index: string; columns: readonly string[] }>;

/**
 * True when `error` is a violation of that unique constraint. Callers turn the ones a user can fix (a slug
 * taken) into UserErrors; catching the violation instead of checking first is what stays right when two
 * requests race for the same value.
 */
export function isUniqueViolation(error: unknown, constraint: UniqueConstraint): boolean {
  const cause = causeOf(error);
  if (cause?.kind !== "UniqueConstraintViolation" && cause?.originalCode !== "23505") return false;
  const reported = cause.constraint;
  if (reported?.index !== undefined) return reported.index === constraint.index;
  const columns = (reported?.fields ?? []).map((field) => field.replaceAll('"', ""));
  return columns.length === constraint.columns.length && constraint.columns.every((c) => columns.includes(c));
}

/** True when `error` is a foreign key violation: a referenced row vanished between a check and the write. */
export function isForeignKeyViolation(error: unknown): boolean {
  const cause = causeOf(error);
  return cause?.kind === "ForeignKeyConstraintViolation" || cause?.originalCode === "23503";
}

/** True when an update or delete found no row matching its `where` (Prisma's P2025). */
export function isRecordNotFound(error: unknown): boolean {
  return error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2025";
}

/** Prisma's codes for a database it cannot reach or that dropped the connection, and its own pool's timeout. */
const unavailablePrismaCodes = new Set(["P1001", "P1002", "P1017", "P2024"]);
/** What the driver adapters call a lost or refused connection. TLS failures are left out: a retry cannot fix them. */
const unavailableAdapterKinds = new Set([
  "DatabaseNotReachable",
  "ConnectionClosed",
  "SocketTimeout",
  "TooManyConnections",
]);
/** Node's socket errors on the way to the server. */
const socketErrorCodes = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ETIMEDOUT",
  "ENOTFOUND",
  "EAI_AGAIN",
  "EPIPE",
  "EHOSTUNREACH",
]);
/** pg's own messages for a lost connection and for a pool that found no free connection in time. */
const unavailableMessages = [
  /^Connection terminated/,
  /^timeout exceeded when trying to connect/,
  /^Client has encountered a connection error and is not queryable/,
];

/**
 * PostgreSQL's SQLSTATEs for "not now": a connection exception (class 08), the server shutting down or
 * starting up (57P01 admin shutdown, 57P02 crash shutdown, 57P03 cannot connect now), or full (53300).
 */
function isUnavailableSqlState(code: unknown): boolean {
  return typeof code === "string" && (code.startsWith("08") || ["57P01", "57P02", "57P03", "53300"].includes(code));
}

function describesOutage(error: object): boolean {
  const { code, message, kind, originalCode } = error as {
    code?: unknown;
    message?: unknown;
    kind?: unknown;
    originalCode?: unknown;
  };
  if (typeof code === "string" && (unavailablePrismaCodes.has(code) || socketErrorCodes.has(code))) return true;
  if (typeof kind === "string" && unavailableAdapterKinds.has(kind)) return true;
  // A PostgreSQL error reported by the adapter ({ kind: "postgres", code }) or thrown by pg itself (it has a severity).
  if (isUnavailableSqlState(originalCode)) return true;
  if ((kind === "postgres" || "severity" in error) && isUnavailableSqlState(code)) return true;
  return typeof message === "string" && unavailableMessages.some((pattern) => pattern.test(message));
}

/**
 * True when `error` means the database cannot be used right now (refused or lost connections, the server
 * restarting, no pooled connection free in time), as opposed to a bug: clients get SERVICE_UNAVAILABLE
 * (503, Retry-After) and may retry, instead of a masked internal error. Looks through the wrappers: Prisma's
 * errors carry the adapter's description in `meta.driverAdapterError.cause`, others in `cause`.
 */
export function isDatabaseUnavailable(error: unknown): boolean {
  const seen = new Set<unknown>();
  const pending: unknown[] = [error];
  while (pending.length > 0) {
    const current = pending.pop();
    if (typeof current !== "object" || current === null || seen.has(current)) continue;
    seen.add(current);
    if (describesOutage(current)) return true;
    const { cause, originalError, meta } = current as { cause?: unknown; originalError?: unknown; meta?: unknown };
    pending.push(cause, originalError, (meta as { driverAdapterError?: unknown } | undefined)?.driverAdapterError);
  }
  return false;
}
