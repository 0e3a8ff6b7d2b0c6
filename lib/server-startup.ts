import "server-only";
import { getDb } from "@/db/client";
import { ConfigError, getConfig } from "./config";

/** Validates configuration and opens (migrating) the database before the first request is served. */
export function startServer(): void {
  try {
    getConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(1);
    }
    throw error;
  }
  getDb();
}
