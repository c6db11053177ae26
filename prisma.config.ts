// Used by the ordinary Prisma CLI (`npx prisma generate`, and `prisma migrate` for users who can download its engine).
// This project's own scripts drive the schema engine through WebAssembly instead (scripts/db-migrate.ts).
import { defineConfig } from "prisma/config";

export default defineConfig({
  schema: "prisma/schema.prisma",
  migrations: { path: "prisma/migrations" },
  datasource: { url: process.env.DATABASE_URL ?? "postgresql://localhost:5432/gateway" },
});
