// The house's shape, checked over the TypeScript import graph of src/ (type-only imports included: a type
// cycle still ties the files together for a reader and for the compiler):
//   - no import cycle anywhere;
//   - platform code (src/platform) never imports the app: not a module, nor context.ts, schema.ts, server.ts
//     or main.ts (it may use the generated Prisma types and other platform code);
//   - a domain module reaches another module only through that module's index.ts.
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";

const root = resolve(import.meta.dirname, "../..");

type ImportGraph = Map<string, string[]>;

/** Every .ts file under `dir` (relative to the repo root) and the local files it imports. */
function importGraph(dir: string): ImportGraph {
  const graph: ImportGraph = new Map();
  const files = (readdirSync(join(root, dir), { recursive: true, encoding: "utf8" }) as string[])
    .filter((file) => file.endsWith(".ts") && !file.startsWith("generated"))
    .map((file) => join(dir, file));
  for (const file of files) {
    const { importedFiles } = ts.preProcessFile(readFileSync(join(root, file), "utf8"), true, true);
    const targets = importedFiles
      .map((imported) => imported.fileName)
      .filter((name) => name.startsWith("."))
      .map((name) => relative(root, resolve(root, dirname(file), name)).replace(/\.js$/, ".ts"))
      .filter((target) => !target.startsWith("src/generated/"));
    graph.set(file, targets);
  }
  return graph;
}

/** The strongly connected components with more than one file (or a file importing itself): the cycles. */
function cycles(graph: ImportGraph): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  let next = 0;
  const visit = (file: string) => {
    index.set(file, next);
    low.set(file, next);
    next++;
    stack.push(file);
    onStack.add(file);
    for (const target of graph.get(file) ?? []) {
      if (!graph.has(target)) continue;
      if (!index.has(target)) {
        visit(target);
        low.set(file, Math.min(low.get(file) ?? 0, low.get(target) ?? 0));
      } else if (onStack.has(target)) {
        low.set(file, Math.min(low.get(file) ?? 0, index.get(target) ?? 0));
      }
    }
    if (low.get(file) === index.get(file)) {
      const component: string[] = [];
      let member: string | undefined;
      do {
        member = stack.pop();
        if (member === undefined) break;
        onStack.delete(member);
        component.push(member);
      } while (member !== file);
      if (component.length > 1 || graph.get(file)?.includes(file)) found.push(component.sort());
    }
  };
  for (const file of graph.keys()) if (!index.has(file)) visit(file);
  return found;
}

const appFiles = ["src/context.ts", "src/schema.ts", "src/server.ts", "src/pipeline.ts", "src/main.ts"];
const moduleOf = (file: string) => /^src\/modules\/([^/]+)\//.exec(file)?.[1];

/** Imports that break the layering rules, as "from -> to". */
function layeringViolations(graph: ImportGraph): string[] {
  const violations: string[] = [];
  for (const [file, targets] of graph) {
    for (const target of targets) {
      if (file.startsWith("src/platform/") && (target.startsWith("src/modules/") || appFiles.includes(target))) {
        violations.push(`${file} -> ${target} (platform imports the app)`);
      }
      const from = moduleOf(file);
      const to = moduleOf(target);
      if (from && to && from !== to && !target.endsWith(`src/modules/${to}/index.ts`)) {
        violations.push(`${file} -> ${target} (past the other module's index.ts)`);
      }
    }
  }
  return violations;
}

describe("the import graph of src/", () => {
  const graph = importGraph("src");

  it("is read (sanity: the known edges are there)", () => {
    expect(graph.size).toBeGreaterThan(100);
    expect(graph.get("src/pipeline.ts")).toContain("src/modules/index.ts");
  });

  it("has no import cycle", () => {
    expect(cycles(graph)).toEqual([]);
  });

  it("keeps platform code free of the app, and modules behind each other's index.ts", () => {
    expect(layeringViolations(graph)).toEqual([]);
  });

  it("notices a cycle and a platform file importing the app (the checks can fail)", () => {
    const broken: ImportGraph = new Map(graph);
    broken.set("src/modules/user/user.type.ts", [
      ...(graph.get("src/modules/user/user.type.ts") ?? []),
      "src/modules/review/index.ts",
    ]);
    broken.set("src/platform/permissions/rules.ts", [
      ...(graph.get("src/platform/permissions/rules.ts") ?? []),
      "src/context.ts",
    ]);
    expect(cycles(broken).some((cycle) => cycle.includes("src/modules/user/user.type.ts"))).toBe(true);
    expect(layeringViolations(broken)).toContain(
      "src/platform/permissions/rules.ts -> src/context.ts (platform imports the app)",
    );
  });
});
