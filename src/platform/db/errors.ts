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
