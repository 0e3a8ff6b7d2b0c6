// `npm run db:migrate`: applies committed migrations to DATABASE_PATH and says so, or explains the bad setting.
import { ConfigError, getConfig } from "@/lib/server";
import { migrateDatabase, openDatabase } from "./client";

try {
  const { databasePath } = getConfig();
  const db = openDatabase(databasePath);
  migrateDatabase(db);
  db.$client.close();
  console.log(`mirrorlag: database ${databasePath} is migrated`);
} catch (error) {
  console.error(error instanceof ConfigError ? error.message : error);
  process.exit(1);
}
