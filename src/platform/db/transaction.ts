import type { Prisma, PrismaClient } from "../../generated/prisma/client.js";

/**
 * What repositories run their statements on: the shared client, or an interactive transaction's client.
 * A `PrismaClient` is one too, so read-side code passes the client itself.
 */
export type Db = Prisma.TransactionClient;

/**
 * Limits for a mutation's transaction. Prisma's defaults (2 s to start, 5 s to finish) fail checkouts under
 * load for no good reason: PGlite has one connection, so concurrent transactions queue for it one by one,
 * and on a server a transaction may queue for a pool connection or a hot product row's lock. Ten seconds
 * lets a burst of 50 checkouts drain on either backend while still ending a stuck transaction.
 */
const transactionOptions = { maxWait: 10_000, timeout: 10_000 } as const;

/**
 * Runs `work` in one interactive transaction (READ COMMITTED), rolled back if it throws.
 * Inside it, use only `tx`: awaiting a query on the outer client (or a request's loaders, which are built on
 * it) deadlocks on PGlite, whose single connection the transaction holds.
 */
export function inTransaction<T>(prisma: PrismaClient, work: (tx: Db) => Promise<T>): Promise<T> {
  return prisma.$transaction(work, transactionOptions);
}

/**
 * Serialises transactions that take the same key until they end, for invariants no single row lock can
 * guard (the category tree's shape, one default address per user, one order per idempotency key).
 * Keys are hashed into PostgreSQL's advisory-lock space; a collision only costs a needless wait.
 */
export async function lockForTransaction(tx: Db, key: string): Promise<void> {
  // ::text because the function returns void, which the Prisma adapters cannot read back.
  await tx.$queryRaw`SELECT pg_advisory_xact_lock(hashtextextended(${key}, 0))::text AS locked`;
}
