import { type UserError, type UserErrorCode, userError } from "./user-error.type.js";

/**
 * Thrown inside a mutation (usually inside its transaction, which it rolls back) when the outcome is a
 * UserError rather than a change: out of stock half-way through an order, a slug taken at insert time.
 * `settle` turns it into the payload; it never reaches GraphQL as an error.
 */
export class Rejection extends Error {
  constructor(readonly userErrors: readonly UserError[]) {
    super(`mutation rejected: ${userErrors.map((error) => error.code).join(", ")}`);
    this.name = "Rejection";
  }
}

export function reject(field: string[] | null, code: UserErrorCode, message: string): never {
  throw new Rejection([userError(field, code, message)]);
}

export function rejectAll(userErrors: readonly UserError[]): never {
  throw new Rejection(userErrors);
}

/** Runs a mutation's work; a Rejection becomes `failed(userErrors)`, anything else propagates. */
export async function settle<Payload>(
  work: () => Promise<Payload>,
  failed: (userErrors: UserError[]) => Payload,
): Promise<Payload> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof Rejection) return failed([...error.userErrors]);
    throw error;
  }
}
