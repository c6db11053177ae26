// The schema evolution gate (scripts/schema-changes.ts): the real schema against the last release, and the gate
// itself on schemas edited here (a removed field fails, an added one passes, a removal needs @deprecated first).
import { readFile } from "node:fs/promises";
import { type FieldDefinitionNode, Kind, parse, print, visit } from "graphql";
import { describe, expect, it } from "vitest";
import { readAccepted, reviewSchemaChanges, SCHEMA_FILES } from "../../scripts/schema-changes.js";

const baseline = await readFile(SCHEMA_FILES.baseline, "utf8");
const current = await readFile(SCHEMA_FILES.current, "utf8");

/** `sdl` with `edit` applied to the fields of one object type. */
function editFields(
  sdl: string,
  typeName: string,
  edit: (fields: readonly FieldDefinitionNode[]) => FieldDefinitionNode[],
): string {
  return print(
    visit(parse(sdl), {
      ObjectTypeDefinition(node) {
        return node.name.value === typeName ? { ...node, fields: edit(node.fields ?? []) } : undefined;
      },
    }),
  );
}

function field(name: string, deprecated?: string): FieldDefinitionNode {
  const [type] = parse(
    `type T { ${name}: String${deprecated ? ` @deprecated(reason: "${deprecated}")` : ""} }`,
  ).definitions;
  if (type?.kind !== Kind.OBJECT_TYPE_DEFINITION || !type.fields?.[0]) throw new Error("unreachable");
  return type.fields[0];
}

describe("schema changes against the last release (schema.baseline.graphql)", () => {
  it("has no breaking change that schema-changes.json does not accept with a reason", async () => {
    const review = await reviewSchemaChanges(baseline, current, await readAccepted());
    expect(review.refused, "breaking changes: deprecate first, or list them with a reason").toEqual([]);
  });

  it("lists no change that no longer happens (schema-changes.json is emptied on release)", async () => {
    const review = await reviewSchemaChanges(baseline, current, await readAccepted());
    expect(review.unused).toEqual([]);
  });
});

describe("the gate", () => {
  const withoutSlug = editFields(baseline, "Product", (fields) => fields.filter((f) => f.name.value !== "slug"));

  it("fails on a removed field", async () => {
    const review = await reviewSchemaChanges(baseline, withoutSlug, []);
    expect(review.refused).toEqual([expect.stringMatching(/^FIELD_REMOVED Product\.slug: /)]);
  });

  it("passes on an added field", async () => {
    const withSku = editFields(baseline, "Product", (fields) => [...fields, field("sku")]);
    const review = await reviewSchemaChanges(baseline, withSku, []);
    expect(review.refused).toEqual([]);
    expect(review.all).toContainEqual(expect.stringMatching(/^FIELD_ADDED Product\.sku: /));
  });

  it("refuses a listed removal of a field the last release did not deprecate", async () => {
    const review = await reviewSchemaChanges(baseline, withoutSlug, [
      { change: "FIELD_REMOVED Product.slug", reason: "nobody uses it" },
    ]);
    expect(review.refused).toEqual([expect.stringContaining("without a release of @deprecated")]);
  });

  it("passes a listed removal of a field deprecated in the last release, and only with a reason", async () => {
    const deprecated = editFields(baseline, "Product", (fields) => [...fields, field("oldName", "Use name.")]);
    const removed = editFields(deprecated, "Product", (fields) => fields.filter((f) => f.name.value !== "oldName"));
    const listed = (reason: string) => [{ change: "FIELD_REMOVED Product.oldName", reason }];
    expect((await reviewSchemaChanges(deprecated, removed, listed("deprecated in 0.1"))).refused).toEqual([]);
    expect((await reviewSchemaChanges(deprecated, removed, listed(" "))).refused).toEqual([
      expect.stringContaining("without a reason"),
    ]);
  });

  it("reports a listed change that does not happen", async () => {
    const review = await reviewSchemaChanges(baseline, baseline, [
      { change: "FIELD_REMOVED Product.nope", reason: "x" },
    ]);
    expect(review.unused).toEqual(["FIELD_REMOVED Product.nope"]);
  });

  it("reads the baseline as a schema of this API, not an empty file", () => {
    expect(
      parse(baseline).definitions.some((d) => d.kind === Kind.OBJECT_TYPE_DEFINITION && d.name.value === "Query"),
    ).toBe(true);
  });
});
