import { createRequire } from "node:module";
import { defineConfig } from "vitest/config";

const require = createRequire(import.meta.url);

export default defineConfig({
  resolve: {
    // type-graphql loads graphql through CommonJS; without this alias Vitest also loads the ESM copy
    // and graphql-js throws "Cannot use GraphQLSchema from another module or realm".
    alias: { graphql: require.resolve("graphql/index.js") },
  },
  test: {
    include: ["tests/**/*.test.ts"],
    reporters: ["default", "./tests/helpers/summary-reporter.ts"],
    setupFiles: ["reflect-metadata"],
    pool: "forks",
    // As `npm start` runs the gateway: AsyncLocalStorage (statement cancellation) without promise hooks.
    execArgv: ["--experimental-async-context-frame"],
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
