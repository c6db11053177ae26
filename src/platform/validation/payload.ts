import { Field, ObjectType } from "type-graphql";
import { allow } from "../permissions/rules.js";
import { UserError, type UserErrorCode, userError } from "./user-error.type.js";

/**
 * Every mutation payload extends this: its own result fields (null when the change was refused) and the
 * `userErrors` list. Problems the user can fix are data here, never GraphQL errors (Shopify's convention).
 * Never returned itself, so type-graphql leaves it out of the schema and gives its field to each subclass.
 */
@ObjectType()
export abstract class MutationPayload {
  @Field(() => [UserError], { description: "Problems with the input; when non-empty, nothing was changed." })
  userErrors!: UserError[];
}

/** The refused form of a payload: `failWith<OrderPayload>({ order: null })` gives `(userErrors) => payload`. */
export function failWith<Payload extends MutationPayload>(
  refused: Omit<Payload, "userErrors">,
): (userErrors: UserError[]) => Payload {
  return (userErrors) => ({ ...refused, userErrors }) as Payload;
}

/**
 * Payload fields are readable by whoever may call the mutation (its own rule decided that); the records
 * in them then go through their own types' rules.
 */
export function payloadPermissions<Field extends string>(...fields: Field[]) {
  return Object.fromEntries([...fields, "userErrors"].map((field) => [field, allow])) as Record<
    Field | "userErrors",
    typeof allow
  >;
}

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
