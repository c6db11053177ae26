import { v7 as uuidV7 } from "uuid";
import { badUserInput } from "./errors/index.js";

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** True for a well-formed id (a UUID, any case). */
export function isId(value: string): boolean {
  return uuidPattern.test(value);
}

/**
 * Ids are UUIDs; anything else can never match, and sending it to PostgreSQL would fail the whole
 * batch it joined. So it is refused at the edge, naming the argument.
 */
export function parseId(value: string, argument: string): string {
  if (!uuidPattern.test(value))
    throw badUserInput(`\`${argument}\` is not a valid id: "${value.slice(0, 64)}".`, argument);
  return value.toLowerCase();
}

type Lookup = { id?: string | null } & Record<string, string | null | undefined>;

/**
 * Lookups that take an id or another unique key (`slug`, `username`): exactly one must be given. Which
 * one, with its value (an id checked by `parseId`).
 */
export function lookupKey<KeyName extends string>(
  lookup: Lookup,
  keyName: KeyName,
): { name: "id" | KeyName; value: string } {
  const id = lookup.id ?? null;
  const key = lookup[keyName] ?? null;
  if ((id === null) === (key === null)) {
    throw badUserInput(`Pass exactly one of \`id\` or \`${keyName}\`.`, id === null ? "id" : keyName);
  }
  return id !== null ? { name: "id", value: parseId(id, "id") } : { name: keyName, value: key as string };
}

/** A lookup by id or another unique key (`lookupKey`), answered by the matching loader. */
export function loadByIdOr<Row>(
  lookup: Lookup,
  keyName: string,
  byId: { load(id: string): Promise<Row> },
  byKey: { load(key: string): Promise<Row> },
): Promise<Row> {
  const key = lookupKey(lookup, keyName);
  return key.name === "id" ? byId.load(key.value) : byKey.load(key.value);
}

/**
 * A new UUIDv7 (RFC 9562: 48-bit millisecond time, then random bits), the kind Prisma's `uuid(7)` default
 * makes, for rows inserted with raw SQL where that default does not apply.
 */
export function newUuidV7(now: number = Date.now()): string {
  return uuidV7({ msecs: now });
}
