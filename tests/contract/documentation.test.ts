import { readFile } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import { configVariables } from "../../src/config/index.js";
import { errorCatalog } from "../../src/platform/errors/index.js";
import { userErrorCatalog } from "../../src/platform/validation/index.js";

const read = (file: string) => readFile(new URL(`../../${file}`, import.meta.url), "utf8");

describe("documentation matches the code", () => {
  it("README's error table lists exactly the codes in the error catalog", async () => {
    const readme = await read("README.md");
    const start = readme.indexOf("## Errors");
    const section = readme.slice(start, readme.indexOf("\n## ", start + 1));
    const documented = [...section.matchAll(/^\| `([A-Z_]+)` +\|/gm)].map((match) => match[1]);
    expect(documented.sort()).toEqual(Object.keys(errorCatalog).sort());
  });

  it("README's user error table lists exactly the UserErrorCode values", async () => {
    const readme = await read("README.md");
    const start = readme.indexOf("### User error codes");
    expect(start).toBeGreaterThan(-1);
    const section = readme.slice(start, readme.indexOf("\n## ", start + 1));
    const documented = [...section.matchAll(/^\| `([A-Z_]+)` +\|/gm)].map((match) => match[1]);
    expect(documented.sort()).toEqual(Object.keys(userErrorCatalog).sort());
  });

  it(".env.example documents exactly the variables the config reads", async () => {
    const example = await read(".env.example");
    const documented = [...example.matchAll(/^([A-Z][A-Z0-9_]*)=/gm)].map((match) => match[1]);
    expect(documented.sort()).toEqual([...configVariables].sort());
  });

  it("README documents every configuration variable", async () => {
    const readme = await read("README.md");
    const missing = configVariables.filter((name) => !readme.includes(`\`${name}\``));
    expect(missing).toEqual([]);
  });
});
