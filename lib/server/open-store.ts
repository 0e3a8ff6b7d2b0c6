import "server-only";
import { openSqliteStore } from "@/db/sqlite";
import type { Store } from "@/lib/store";
import type { Config } from "./config";

/**
 * The one place that wires a db/ implementation of the store port in: SQLite at DATABASE_PATH, opened and
 * migrated. Everything else in lib/ and app/ speaks only the port (lib/store).
 */
export function openStore(config: Pick<Config, "databasePath" | "maxWatchedModules" | "watchExpiryDays">): Store {
  return openSqliteStore(config.databasePath, { maxWatchedModules: config.maxWatchedModules, watchExpiryDays: config.watchExpiryDays });
}
