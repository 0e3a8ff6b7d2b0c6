import { defineConfig } from "drizzle-kit";

// Only `drizzle-kit generate` uses this file; the app applies migrations itself (lib/server/migrate-cli.ts).
export default defineConfig({
  dialect: "sqlite",
  schema: "./db/sqlite/schema.ts",
  out: "./db/sqlite/migrations",
});
