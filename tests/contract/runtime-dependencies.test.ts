// Production installs only `dependencies` (`npm ci --omit=dev`, deploy/Dockerfile) and runs the compiled
// dist/ with plain node: every package the code under src/ loads at run time must be a dependency, and the
// production scripts must not run TypeScript through tsx.
import { readdir, readFile } from "node:fs/promises";
import { builtinModules } from "node:module";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

type PackageJson = {
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
  scripts: Record<string, string>;
};

async function sourceFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries
    .filter((entry) => entry.isFile() && entry.name.endsWith(".ts"))
    .map((entry) => join(entry.parentPath, entry.name));
}

/** Specifiers the compiled file still loads: value imports and re-exports, dynamic imports, require(). */
function runtimeSpecifiers(source: string): string[] {
  const found: string[] = [];
  const statements = /^\s*(import|export)\s+(type\s+)?([^;]*?)\s*from\s+"([^"]+)"/gms;
  for (const match of source.matchAll(statements)) {
    const [, , typeOnly, clause = "", specifier = ""] = match;
    // `import type {...}` and `import { type A, type B }` are erased by the compiler.
    const names = /^\{([^}]*)\}$/.exec(clause.trim())?.[1];
    const allTypes = names?.split(",").every((name) => /^\s*(type\s|$)/.test(name)) ?? false;
    if (!typeOnly && !allTypes) found.push(specifier);
  }
  for (const pattern of [/^\s*import\s+"([^"]+)"/gm, /\bimport\(\s*"([^"]+)"\s*\)/g, /\)\(\s*"([^"]+)"\s*\)/g]) {
    for (const match of source.matchAll(pattern)) if (match[1]) found.push(match[1]);
  }
  for (const match of source.matchAll(/\.resolve\(\s*"([^"]+)"\s*\)/g)) if (match[1]) found.push(match[1]);
  return found;
}

function packageOf(specifier: string): string | null {
  if (specifier.startsWith(".") || specifier.startsWith("node:") || builtinModules.includes(specifier)) return null;
  const parts = specifier.split("/");
  return specifier.startsWith("@") ? `${parts[0]}/${parts[1]}` : (parts[0] ?? null);
}

describe("the production build's run time", () => {
  it("loads only packages listed in dependencies", async () => {
    const pkg = JSON.parse(await readFile("package.json", "utf8")) as PackageJson;
    const used = new Map<string, string>();
    for (const file of await sourceFiles("src")) {
      for (const specifier of runtimeSpecifiers(await readFile(file, "utf8"))) {
        const name = packageOf(specifier);
        if (name && !used.has(name)) used.set(name, file);
      }
    }
    // Sanity: the scan sees what we know is there (a value import, a dynamic one, a require).
    expect([...used.keys()]).toEqual(expect.arrayContaining(["fastify", "pino-pretty", "@prisma/schema-engine-wasm"]));
    const missing = [...used]
      .filter(([name]) => !(name in pkg.dependencies))
      .map(([name, file]) => `${name} (${file})`);
    expect(missing).toEqual([]);
  });

  it("sees through type-only imports, and not through value ones (the scan can fail)", () => {
    const source = [
      'import type { A } from "only-types";',
      'import { type B, type C } from "also-types";',
      'import { type D, e } from "mixed";',
      'import "side-effect";',
      'const m = await import("dynamic");',
      'export { f } from "re-exported";',
    ].join("\n");
    expect(runtimeSpecifiers(source).sort()).toEqual(["dynamic", "mixed", "re-exported", "side-effect"]);
  });

  it("starts, runs the workers and migrates from dist/ with plain node", async () => {
    const { scripts } = JSON.parse(await readFile("package.json", "utf8")) as PackageJson;
    for (const name of ["start:dist", "worker:dist", "db:migrate:dist"]) {
      expect(scripts[name]).toMatch(/^exec node (.* )?dist\/(main|worker|migrate)\.js$/);
      expect(scripts[name]).not.toContain("tsx");
    }
  });
});
