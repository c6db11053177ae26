// `prisma generate` needs no schema engine, but the CLI insists on finding its binary and would download it.
// Pointing PRISMA_SCHEMA_ENGINE_BINARY at any existing file satisfies that check, so generation works offline.
import { spawnSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

const placeholder = fileURLToPath(import.meta.url);
const result = spawnSync("prisma", ["generate"], {
  stdio: "inherit",
  shell: process.platform === "win32",
  env: { ...process.env, PRISMA_SCHEMA_ENGINE_BINARY: process.env.PRISMA_SCHEMA_ENGINE_BINARY ?? placeholder },
});
if (result.status !== 0) process.exit(result.status ?? 1);

// The generated client imports its query compiler's WebAssembly as an ES module holding it in base64: a
// module is never unloaded, so its 4.4 MB source and the 4.4 MB string it exports stayed in every
// process's heap for good (a tenth of the heap at rest), long after the bytes were compiled. The same
// module as CommonJS, dropped from require's cache once read, leaves only the compiled module behind.
const client = new URL("../src/generated/prisma/internal/class.ts", import.meta.url);
const generated = readFileSync(client, "utf8");
const esmImport =
  /const \{ wasm \} = await import\("(@prisma\/client\/runtime\/query_compiler_\w+\.\w+\.wasm-base64)\.mjs"\)/;
const wasmModule = generated.match(esmImport)?.[1];
if (!wasmModule) {
  console.error(`prisma-generate: the query compiler's import in ${client.pathname} changed; update this script`);
  process.exit(1);
}
writeFileSync(
  client,
  generated.replace(
    esmImport,
    `const { createRequire } = await import("node:module")
    const require = createRequire(import.meta.url)
    const path = require.resolve("${wasmModule}.js")
    const { wasm } = require(path) as { wasm: string }
    delete require.cache[path]`,
  ),
);
