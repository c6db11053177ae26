import { isObjectType } from "graphql";
import { describe, expect, it } from "vitest";
import { buildTypeSchema, permissions } from "../../src/schema.js";

describe("authorization coverage", () => {
  it("has an explicit rule for every field of every object type (fallback is deny)", async () => {
    const schema = await buildTypeSchema();
    const missing: string[] = [];
    for (const type of Object.values(schema.getTypeMap())) {
      if (!isObjectType(type) || type.name.startsWith("__")) continue;
      const rules = permissions[type.name];
      for (const fieldName of Object.keys(type.getFields())) {
        if (!rules || !(fieldName in rules)) missing.push(`${type.name}.${fieldName}`);
      }
    }
    expect(missing).toEqual([]);
  });

  it("has no rule for a field the schema does not have (a typo would leave the real field denied)", async () => {
    const schema = await buildTypeSchema();
    const stray: string[] = [];
    for (const [typeName, rules] of Object.entries(permissions)) {
      const type = schema.getType(typeName);
      for (const fieldName of Object.keys(rules)) {
        if (!isObjectType(type) || !(fieldName in type.getFields())) stray.push(`${typeName}.${fieldName}`);
      }
    }
    expect(stray).toEqual([]);
  });
});
