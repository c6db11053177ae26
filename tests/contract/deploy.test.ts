// deploy/ cannot be run here (no container engine), so what can be checked without one is checked: every
// variable it sets is one the gateway reads, every entry point it starts exists, and the image starts node
// the way `npm run start:dist` does.
import { existsSync } from "node:fs";
import { readdir, readFile } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import { configVariables } from "../../src/config/index.js";

const read = (path: string) => readFile(path, "utf8");
const known = new Set(configVariables);

async function deployFiles(): Promise<Record<string, string>> {
  const files: Record<string, string> = {};
  for (const path of ["deploy/Dockerfile", "deploy/compose.yaml"]) files[path] = await read(path);
  for (const name of await readdir("deploy/kubernetes")) {
    files[`deploy/kubernetes/${name}`] = await read(`deploy/kubernetes/${name}`);
  }
  return files;
}

/** Variables a deploy file sets for the gateway's processes (compose keys, Kubernetes env names, ENV). */
function variablesSet(path: string, text: string): string[] {
  const patterns = path.endsWith("Dockerfile")
    ? [/^ENV ([A-Z][A-Z0-9_]*)=/gm]
    : path.includes("kubernetes")
      ? [/\bname: ([A-Z][A-Z0-9_]*)\b/g]
      : // compose: keys in environment maps; the postgres image's own variables are not ours.
        [/^\s+((?!POSTGRES_)[A-Z][A-Z0-9_]*):/gm];
  return patterns.flatMap((pattern) => [...text.matchAll(pattern)].map((match) => match[1] ?? ""));
}

describe("deploy/", () => {
  it("sets only variables the configuration reads", async () => {
    const unknown: string[] = [];
    let seen = 0;
    for (const [path, text] of Object.entries(await deployFiles())) {
      for (const name of variablesSet(path, text)) {
        seen++;
        if (!known.has(name)) unknown.push(`${path}: ${name}`);
      }
    }
    expect(seen).toBeGreaterThan(20); // sanity: the scan reads the files
    expect(unknown).toEqual([]);
  });

  it("notices a variable the configuration does not read (the check can fail)", () => {
    expect(variablesSet("deploy/compose.yaml", "    DATABSE_URL: x\n    POSTGRES_DB: y\n")).toEqual(["DATABSE_URL"]);
    expect(variablesSet("deploy/kubernetes/x.yaml", "- { name: METRIC_PORT, value: 1 }")).toEqual(["METRIC_PORT"]);
  });

  it("starts entry points that the build produces", async () => {
    for (const [path, text] of Object.entries(await deployFiles())) {
      for (const [, entry] of text.matchAll(/"dist\/([a-z-]+)\.js"/g)) {
        expect(existsSync(`src/${entry}.ts`), `${path}: dist/${entry}.js`).toBe(true);
      }
    }
  });

  it("runs the gateway with the flags of npm run start:dist, checks /health, probes /ready", async () => {
    const { scripts } = JSON.parse(await read("package.json")) as { scripts: Record<string, string> };
    const flags = (scripts["start:dist"] ?? "")
      .replace(/^exec node /, "")
      .replace(/ dist\/main\.js$/, "")
      .split(" ");
    const dockerfile = await read("deploy/Dockerfile");
    const cmd = JSON.parse(/^CMD (\[.*\])$/m.exec(dockerfile)?.[1] ?? "[]") as string[];
    expect(cmd).toEqual(["node", ...flags, "dist/main.js"]);
    expect(dockerfile).toMatch(/^USER node$/m);
    expect(dockerfile).toMatch(/^HEALTHCHECK [\s\S]*\/health/m);
    const gateway = await read("deploy/kubernetes/gateway.yaml");
    expect(gateway).toMatch(/readinessProbe:\s+httpGet: \{ path: \/ready/);
    expect(gateway).toMatch(/livenessProbe:\s+httpGet: \{ path: \/health/);
    expect(gateway).toContain("kind: PodDisruptionBudget");
    expect(await read("deploy/haproxy.cfg")).toContain("option httpchk GET /ready");
    expect(await read("deploy/pgbouncer/pgbouncer.ini")).toMatch(/^pool_mode = transaction$/m);
  });
});
