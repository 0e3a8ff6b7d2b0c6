import "server-only";
import { ConfigError, getConfig } from "./config";
import type { Config } from "./config";
import { createStoredPoller, POLLER_DEFAULTS } from "@/lib/polling";
import type { Poller } from "@/lib/polling";
import { retentionCutoffs } from "@/lib/store";
import type { RetentionStore } from "@/lib/store";
import { getPollRateCap, getService, getStore } from "./service-instance";
import { healthOf } from "./health";
import type { Health } from "./health";
import { operatorMode } from "./operator";
import { operatorPolicy } from "./operator-guard";

const holder = globalThis as unknown as { mirrorlagPoller?: Poller; mirrorlagRetention?: boolean; mirrorlagShutdown?: boolean; mirrorlagBackfill?: boolean; mirrorlagOperatorAnnounced?: boolean };

/** How often commit-time look-ups that failed are looked at again (each waits out its own backoff). */
const VERSION_TIMES_EVERY_MS = 60_000;

/** How long SIGTERM waits for running checks and their look-ups before closing the database anyway. */
export const SHUTDOWN_GRACE_MS = 15_000;

// Not at the very start: the first compaction of a big database should not compete with warming up.
const RETENTION_FIRST_RUN_MS = 60_000;
const RETENTION_EVERY_MS = 24 * 3600 * 1000;

/** Validates configuration, opens (migrating) the database, then starts the poller unless it is turned off. */
export function startServer(): void {
  const config = configOrExit();
  const store = getStore();
  announceOperator();
  if (!holder.mirrorlagRetention) {
    holder.mirrorlagRetention = true;
    scheduleRetention(store, config.retentionDays);
  }
  // Kept on globalThis so a dev reload does not start a second poller next to the first.
  if (config.pollIntervalSeconds > 0 && !holder.mirrorlagPoller) {
    const { poller } = createStoredPoller({
      store,
      config,
      clock: () => new Date(),
      rateCap: getPollRateCap(),
      // The app's checker: one single-flight per module and mode, shared by the API, the UI and the poller.
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
  if (!holder.mirrorlagBackfill) {
    holder.mirrorlagBackfill = true;
    // Commit times still missing after a restart, and retries of look-ups that failed (they back off).
    const checker = getService().checker;
    checker.backfillVersionTimes();
    setInterval(() => checker.backfillVersionTimes(), VERSION_TIMES_EVERY_MS).unref();
    // Resolutions a restart left running continue with the requirements not probed yet.
    void getService()
      .resolver.resume()
      .then((ids) => {
        if (ids.length > 0) console.log(`mirrorlag: resuming ${ids.length} go.mod resolution(s): ${ids.join(", ")}`);
      })
      .catch((error: unknown) => console.error("mirrorlag: resuming resolutions failed:", error));
  }
  if (!holder.mirrorlagShutdown) {
    holder.mirrorlagShutdown = true;
    for (const signal of ["SIGTERM", "SIGINT"] as const) process.once(signal, () => void shutDown(signal));
    // Without it Next's own handler exits at once on SIGTERM, cutting running checks off (npm start sets it).
    if (!config.manualSignalHandling) {
      console.warn("mirrorlag: NEXT_MANUAL_SIG_HANDLE is not set: on SIGTERM, Next exits before running checks finish; `npm start` sets it");
    }
  }
}

/**
 * SIGTERM/SIGINT: stop the poller, let running probes, checks and the commit-time look-ups in flight finish (at most
 * SHUTDOWN_GRACE_MS), close the database, exit. A second signal exits at once.
 */
async function shutDown(signal: NodeJS.Signals): Promise<void> {
  process.once(signal, () => process.exit(1));
  const started = Date.now();
  console.log(`mirrorlag: ${signal}: stopping the poller and finishing running checks (at most ${SHUTDOWN_GRACE_MS / 1000} s)`);
  const finishing = (async () => {
    await holder.mirrorlagPoller?.stop();
    // Resolutions first (they start probes), then probes (a running probe may still be waiting on its check).
    await getService().resolver.stop();
    await getService().prober.stop();
    await getService().checker.stop();
  })();
  let timer: NodeJS.Timeout | undefined;
  const inTime = await Promise.race([
    finishing.then(() => true),
    new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), SHUTDOWN_GRACE_MS))),
  ]);
  clearTimeout(timer);
  try {
    await getStore().close();
  } catch (error) {
    console.error("mirrorlag: closing the database failed:", error);
  }
  console.log(
    inTime
      ? `mirrorlag: stopped in ${Date.now() - started} ms; every running check was recorded`
      : `mirrorlag: stopped after ${SHUTDOWN_GRACE_MS / 1000} s; checks still running then were not recorded`,
  );
  process.exit(0);
}

/** Compacts outcome rows older than RETENTION_DAYS (db/sqlite/retention.ts) shortly after start, then daily. */
function scheduleRetention(store: RetentionStore, retentionDays: number): void {
  const run = async () => {
    const started = Date.now();
    let checks = 0;
    try {
      for (;;) {
        const stats = await store.compactOutcomes({ ...retentionCutoffs(new Date(), retentionDays), maxBatches: 1 });
        checks += stats.checks;
        if (stats.done) break;
        // One short transaction at a time, yielding in between, so requests and the poller's writes go on.
        await new Promise((resolve) => setImmediate(resolve));
      }
      if (checks > 0) {
        console.log(`mirrorlag: retention compacted the outcome rows of ${checks} checks older than ${retentionDays} days in ${Date.now() - started} ms`);
      }
    } catch (error) {
      console.error("mirrorlag: retention failed:", error);
    }
  };
  setTimeout(() => void run(), RETENTION_FIRST_RUN_MS).unref();
  setInterval(() => void run(), RETENTION_EVERY_MS).unref();
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

/** Says once at start-up who the operator is, and loudly when nobody can be (exposed without ADMIN_TOKEN). */
function announceOperator(): void {
  if (holder.mirrorlagOperatorAnnounced) return;
  holder.mirrorlagOperatorAnnounced = true;
  const policy = operatorPolicy();
  const mode = operatorMode(policy);
  if (mode === "token") console.log("mirrorlag: operator: whoever holds ADMIN_TOKEN (Authorization: Bearer, or sign in at /operator)");
  else if (mode === "loopback") console.log(`mirrorlag: operator: requests from this machine (listening on ${policy.listen ?? "?"} without ADMIN_TOKEN); set ADMIN_TOKEN before putting a proxy in front`);
  else console.warn(`mirrorlag: operator actions are DISABLED: listening on ${policy.listen ?? "an unknown address (not through lib/server/http-server.ts)"} without ADMIN_TOKEN; set ADMIN_TOKEN to watch, un-watch or delete modules`);
}

const processStartedAt = Date.now();

/** What /healthz reports: the database takes a write lock, and the poller (when enabled) still ticks. */
export async function currentHealth(): Promise<Health> {
  let databaseWritable = true;
  try {
    await getStore().writable();
  } catch {
    databaseWritable = false;
  }
  const poller = holder.mirrorlagPoller;
  return healthOf({ databaseWritable, pollerEnabled: poller !== undefined, lastTickAt: poller?.lastTickAt() ?? null, startedAt: processStartedAt, now: Date.now() });
}
