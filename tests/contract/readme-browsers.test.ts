import { readFile } from "node:fs/promises";
import { describe, expect, it } from "vitest";

describe("README: browser clients", () => {
  it("tells a web app on another origin (a dev server on another port) to set CORS_ORIGINS", async () => {
    const readme = await readFile(new URL("../../README.md", import.meta.url), "utf8");
    const start = readme.indexOf("**Browsers**");
    expect(start).toBeGreaterThan(-1);
    const section = readme.slice(start, readme.indexOf("\n**", start + 1));
    expect(section).toMatch(/`CORS_ORIGINS=http:\/\/localhost:\d+ npm start`/);
    expect(section).toContain('credentials: "include"');
  });
});
