import { readFile } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import { buildTypeSchema, printSchemaFile } from "../../src/schema.js";

describe("schema.graphql", () => {
  it("matches the schema built from the code (run `npm run schema:emit` after changing types)", async () => {
    const checkedIn = await readFile(new URL("../../schema.graphql", import.meta.url), "utf8");
    expect(checkedIn).toBe(printSchemaFile(await buildTypeSchema()));
  });

  it("describes every type and field, so Sandbox documents the whole API", async () => {
    const schema = await buildTypeSchema();
    const undocumented: string[] = [];
    for (const type of Object.values(schema.getTypeMap())) {
      if (type.name.startsWith("__") || ["String", "Int", "Float", "Boolean", "ID"].includes(type.name)) continue;
      if (!type.description) undocumented.push(type.name);
      if ("getFields" in type) {
        for (const field of Object.values(type.getFields())) {
          if (!field.description) undocumented.push(`${type.name}.${field.name}`);
        }
      }
    }
    expect(undocumented).toEqual([]);
  });
});
