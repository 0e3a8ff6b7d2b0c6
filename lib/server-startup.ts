import "server-only";
import { getDb } from "@/db/client";
import { ConfigError, getConfig } from "./config";
import type { Config } from "./config";
import { createStoredPoller, POLLER_DEFAULTS } from "./poller";
import type { Poller } from "./poller";
import { getPollRateCap, getService } from "./service-instance";

const holder = globalThis as unknown as { mirrorlagPoller?: Poller };

/** Validates configuration, opens (migrating) the database, then starts the poller unless it is turned off. */
export function startServer(): void {
  const config = configOrExit();
  const db = getDb();
  // Kept on globalThis so a dev reload does not start a second poller next to the first.
  if (config.pollIntervalSeconds > 0 && !holder.mirrorlagPoller) {
    const { poller } = createStoredPoller({
      db,
      config,
      clock: () => new Date(),
      rateCap: getPollRateCap(),
      // The app's checker: a user check and a poll check of one module share one set of requests.
      checker: getService().checker,
      intervalSeconds: config.pollIntervalSeconds,
      concurrency: config.pollConcurrency,
    });
    holder.mirrorlagPoller = poller;
    poller.start();
    console.log(
      `mirrorlag: poller started: every ${config.pollIntervalSeconds} s ±10%, hot modules every ${POLLER_DEFAULTS.hotIntervalSeconds} s, ` +
        `${config.pollConcurrency} checks at once, at most ${config.pollMirrorRps} requests/s per mirror`,
    );
  }
}

function configOrExit(): Config {
  try {
    return getConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(1);
    }
    throw error;
  }
}
