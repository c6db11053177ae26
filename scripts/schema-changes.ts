// The schema evolution gate. schema.graphql (generated) is compared with schema.baseline.graphql, the schema of
// the last release, using @graphql-inspector/core. A breaking change passes only when schema-changes.json lists
// it with a reason, and a removed field, input field or enum value passes only if the baseline already marked it
// @deprecated: clients get one release of warning. tests/contract/schema-changes.test.ts runs the gate in CI.
//
// A checked-in baseline rather than `git show origin/main:schema.graphql`: CI runs in a fresh clone of main,
// where "the schema on main" is the very file under test, and a shallow clone may not have the ref at all.
//
// On release (npm run schema:release): the baseline becomes the current schema and the list is emptied, after
// the accepted changes were written into CHANGELOG.md.
import { readFile, writeFile } from "node:fs/promises";
import { type Change, CriticalityLevel, diff } from "@graphql-inspector/core";
import { buildSchema, type GraphQLSchema, isEnumType, isInputObjectType, isInterfaceType, isObjectType } from "graphql";

/** One reviewed breaking change: `change` is `<TYPE> <path>`, e.g. `FIELD_REMOVED Product.oldName`. */
export interface AcceptedChange {
  change: string;
  reason: string;
}

export interface SchemaReview {
  /** Breaking changes not accepted in schema-changes.json (or accepted but not allowed, with why). */
  refused: string[];
  /** Entries of schema-changes.json that match no change any more: stale, or a typo. */
  unused: string[];
  /** Every change found, breaking or not, as `<TYPE> <path>: message`. */
  all: string[];
}

const REMOVALS = new Set(["FIELD_REMOVED", "INPUT_FIELD_REMOVED", "ENUM_VALUE_REMOVED"]);

export function changeKey(change: Change): string {
  return `${change.type} ${change.path ?? ""}`.trim();
}

/** Whether the baseline marked `Type.member` @deprecated (fields, input fields and enum values). */
function wasDeprecated(schema: GraphQLSchema, path: string | undefined): boolean {
  const [typeName = "", member = ""] = (path ?? "").split(".");
  const type = schema.getType(typeName);
  if (isObjectType(type) || isInterfaceType(type) || isInputObjectType(type)) {
    return Boolean(type.getFields()[member]?.deprecationReason);
  }
  if (isEnumType(type)) return Boolean(type.getValue(member)?.deprecationReason);
  return false;
}

export async function reviewSchemaChanges(
  baselineSdl: string,
  currentSdl: string,
  accepted: readonly AcceptedChange[],
): Promise<SchemaReview> {
  const baseline = buildSchema(baselineSdl);
  const changes = await diff(baseline, buildSchema(currentSdl));
  const acceptedByKey = new Map(accepted.map((a) => [a.change, a]));
  const used = new Set<string>();
  const refused: string[] = [];
  for (const change of changes) {
    if (change.criticality.level !== CriticalityLevel.Breaking) continue;
    const key = changeKey(change);
    const entry = acceptedByKey.get(key);
    if (entry) used.add(key);
    if (!entry) {
      refused.push(`${key}: ${change.message} (not listed in schema-changes.json)`);
    } else if (!entry.reason.trim()) {
      refused.push(`${key}: listed without a reason`);
    } else if (REMOVALS.has(change.type) && !wasDeprecated(baseline, change.path)) {
      refused.push(`${key}: removed without a release of @deprecated(reason: …) first`);
    }
  }
  return {
    refused,
    unused: accepted.map((a) => a.change).filter((key) => !used.has(key)),
    all: changes.map((c) => `${changeKey(c)}: ${c.message}`),
  };
}

const root = new URL("../", import.meta.url);
export const SCHEMA_FILES = {
  current: new URL("schema.graphql", root),
  baseline: new URL("schema.baseline.graphql", root),
  accepted: new URL("schema-changes.json", root),
} as const;

export async function readAccepted(): Promise<AcceptedChange[]> {
  const parsed = JSON.parse(await readFile(SCHEMA_FILES.accepted, "utf8")) as { breaking?: AcceptedChange[] };
  return parsed.breaking ?? [];
}

// `tsx scripts/schema-changes.ts` prints the review; `--release` makes the current schema the baseline.
if (import.meta.url === `file://${process.argv[1]}`) {
  if (process.argv.includes("--release")) {
    await writeFile(SCHEMA_FILES.baseline, await readFile(SCHEMA_FILES.current, "utf8"));
    await writeFile(SCHEMA_FILES.accepted, `${JSON.stringify({ breaking: [] }, null, 2)}\n`);
    process.stdout.write("schema.baseline.graphql is now schema.graphql; schema-changes.json emptied\n");
  } else {
    const review = await reviewSchemaChanges(
      await readFile(SCHEMA_FILES.baseline, "utf8"),
      await readFile(SCHEMA_FILES.current, "utf8"),
      await readAccepted(),
    );
    process.stdout.write(`${JSON.stringify(review, null, 2)}\n`);
    if (review.refused.length > 0 || review.unused.length > 0) process.exitCode = 1;
  }
}
