import { migrateDatabase, openDatabase } from "@/db/client";
import type { Db } from "@/db/client";
import { parseConfig } from "@/lib/config";
import type { Config } from "@/lib/config";
import { createService } from "@/lib/service";
import type { Service } from "@/lib/service";

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
