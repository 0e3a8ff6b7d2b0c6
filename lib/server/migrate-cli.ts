// `npm run db:migrate`: applies committed migrations to the configured database and says so, or explains the bad setting.
import { ConfigError, getConfig } from "./config";
import { openStore } from "./open-store";

try {
  const config = getConfig();
  await openStore(config).close();
  console.log(`mirrorlag: database ${config.databasePath} is migrated`);
} catch (error) {
  console.error(error instanceof ConfigError ? error.message : error);
  process.exit(1);
}
