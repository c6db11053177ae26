// Writes schema.graphql from the type-graphql resolvers (npm run schema:emit). tests/contract/schema.test.ts
// fails when the checked-in file differs from what this would write.
import "reflect-metadata";
import { writeFile } from "node:fs/promises";
import { buildTypeSchema, printSchemaFile } from "../src/schema.js";

const target = new URL("../schema.graphql", import.meta.url);
await writeFile(target, printSchemaFile(await buildTypeSchema()));
process.stdout.write(`wrote ${target.pathname}\n`);
