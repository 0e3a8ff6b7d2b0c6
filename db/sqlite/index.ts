// The SQLite implementation of the store port (lib/store): schema, committed migrations, every SQL statement.
import "server-only";
import { migrateDatabase, openDatabase } from "./connection";
import { createSqliteStore } from "./store";
import type { GrowthLimits, Store } from "@/lib/store";

export { createSqliteStore } from "./store";
export { migrateDatabase, openDatabase } from "./connection";
export type { Db } from "./connection";

/** Opens (creating and migrating) the database file at `path` and returns the store over it. */
export function openSqliteStore(path: string, limits?: GrowthLimits): Store {
  const db = openDatabase(path);
  migrateDatabase(db);
  return createSqliteStore(db, limits);
}
