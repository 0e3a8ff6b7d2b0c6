import { migrateDatabase, openDatabase } from "@/db/client";
import type { Db } from "@/db/client";
import { createService, parseConfig } from "@/lib/server";
import type { Config, Service } from "@/lib/server";

/** A service over a fresh in-memory database, pointed at simulated mirrors, with the sim clock. */
export function createTestService(options: {
  mirrorsEnv: string;
  reference: string;
  clock: () => Date;
  env?: Record<string, string>;
  db?: Db;
}): { service: Service; db: Db; config: Config } {
  const config = parseConfig({
    MIRRORS: options.mirrorsEnv,
    REFERENCE_MIRROR: options.reference,
    REQUEST_TIMEOUT_MS: "2000",
    MIN_RECHECK_SECONDS: "0",
    RATE_LIMIT_PER_MINUTE: "0",
    ...options.env,
  });
  const db = options.db ?? openDatabase(":memory:");
  migrateDatabase(db);
  return { service: createService({ db, config, clock: options.clock }), db, config };
}
