import { createSqliteStore, migrateDatabase, openDatabase } from "@/db/sqlite";
import type { Db } from "@/db/sqlite";
import { createService, parseConfig } from "@/lib/server";
import type { Config, Service, ServiceDeps } from "@/lib/server";
import type { Store } from "@/lib/store";

/**
 * A service over a fresh in-memory SQLite store (or the given database), pointed at simulated mirrors, with
 * the sim clock. `db` is there for tests that count rows; everything else goes through `store`.
 */
export function createTestService(options: {
  mirrorsEnv: string;
  reference: string;
  clock: () => Date;
  env?: Record<string, string>;
  db?: Db;
  /** A database file to open instead of an in-memory one (ignored with `db`). */
  databasePath?: string;
  slotFor?: ServiceDeps["slotFor"];
  userBudget?: ServiceDeps["userBudget"];
}): { service: Service; db: Db; store: Store; config: Config } {
  const config = parseConfig({
    MIRRORS: options.mirrorsEnv,
    REFERENCE_MIRROR: options.reference,
    REQUEST_TIMEOUT_MS: "2000",
    MIN_RECHECK_SECONDS: "0",
    RATE_LIMIT_PER_MINUTE: "0",
    ...options.env,
  });
  const db = options.db ?? openDatabase(options.databasePath ?? ":memory:");
  migrateDatabase(db);
  const store = createSqliteStore(db, { maxWatchedModules: config.maxWatchedModules, watchExpiryDays: config.watchExpiryDays });
  return { service: createService({ store, config, clock: options.clock, slotFor: options.slotFor, userBudget: options.userBudget }), db, store, config };
}
