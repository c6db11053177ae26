import { badUserInput } from "../errors/index.js";

/** Where a page starts: the sort value and id of the row just outside it. */
export type CursorPosition = { sortKey: string; value: string | number; id: string };

/**
 * Cursors are opaque to clients (base64url JSON) but name the sort they belong to, so a cursor taken
 * from a price-sorted page is refused on a newest-first one instead of silently skipping rows.
 */
export function encodeCursor(position: CursorPosition): string {
  return Buffer.from(JSON.stringify([position.sortKey, position.value, position.id])).toString("base64url");
}

export function decodeCursor(cursor: string, argument: string, expectedSortKey: string): CursorPosition {
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
  } catch {
    decoded = undefined;
  }
  if (
    !Array.isArray(decoded) ||
    decoded.length !== 3 ||
    typeof decoded[0] !== "string" ||
    (typeof decoded[1] !== "string" && typeof decoded[1] !== "number") ||
    typeof decoded[2] !== "string"
  ) {
    throw badUserInput(`\`${argument}\` is not a cursor from this API: pass an edge's \`cursor\` unchanged.`, argument);
  }
  const [sortKey, value, id] = decoded as [string, string | number, string];
  if (sortKey !== expectedSortKey) {
    throw badUserInput(
      `\`${argument}\` was taken from a list sorted by ${sortKey}; this list is sorted by ${expectedSortKey}. Start again without a cursor.`,
      argument,
    );
  }
  return { sortKey, value, id };
}
