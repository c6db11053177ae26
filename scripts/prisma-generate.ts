// `prisma generate` needs no schema engine, but the CLI insists on finding its binary and would download it.
// Pointing PRISMA_SCHEMA_ENGINE_BINARY at any existing file satisfies that check, so generation works offline.
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";

const placeholder = fileURLToPath(import.meta.url);
const result = spawnSync("prisma", ["generate"], {
  stdio: "inherit",
  shell: process.platform === "win32",
  env: { ...process.env, PRISMA_SCHEMA_ENGINE_BINARY: process.env.PRISMA_SCHEMA_ENGINE_BINARY ?? placeholder },
});
process.exit(result.status ?? 1);
