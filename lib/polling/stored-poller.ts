import { createChecker } from "@/lib/check";
import type { Checker, MirrorConfig } from "@/lib/check";
import { DEFAULT_GROWTH, interestCutoff } from "@/lib/store";
import type { CheckStore, PollingStore } from "@/lib/store";
import type { MirrorRateCap } from "./mirror-rate-cap";
import { createPoller } from "./poller";
import type { Poller, PollerTuning } from "./poller";

/** Requests a check costs per mirror when nothing changed (@v/list and @latest); the gate waits for that much room. */
const CHECK_REQUESTS_PER_MIRROR = 2;

/** The part of the configuration a poller needs (the server's Config has it). */
export type PollerConfig = {
  mirrors: MirrorConfig[];
  referenceMirror: string;
  requestTimeoutMs: number;
  minRecheckSeconds: number;
  /** WATCH_EXPIRY_DAYS (default 30): an auto-watched module nobody looked at for this long is not polled. */
  watchExpiryDays?: number;
};

/**
 * The poller over the store. Pass the app's Checker (built with a slotFor that rate-caps "poll" requests)
 * so user and poll checks of one module share one single-flight; without one it builds its own, capped.
 */
export function createStoredPoller(
  deps: PollerTuning & {
    store: CheckStore & PollingStore;
    config: PollerConfig;
    clock: () => Date;
    rateCap: MirrorRateCap;
    fetch?: typeof globalThis.fetch;
    checker?: Checker;
  },
): { poller: Poller; checker: Checker } {
  const { store, config, rateCap, fetch, clock, checker: given, ...tuning } = deps;
  const baseFetch = fetch ?? globalThis.fetch;
  const checker =
    given ??
    createChecker({
      mirrors: config.mirrors,
      reference: config.referenceMirror,
      requestTimeoutMs: config.requestTimeoutMs,
      minRecheckSeconds: config.minRecheckSeconds,
      clock,
      store,
      fetchFor: () => baseFetch,
      slotFor: (mirror) => () => rateCap.acquire(mirror),
    });
  const mirrorNames = config.mirrors.map((m) => m.name);
  const poller = createPoller({
    ...tuning,
    checker,
    clock,
    source: {
      // The operator's watches, and modules someone looked at within WATCH_EXPIRY_DAYS of the poller's now.
      watchedModules: (now) => store.watchedModules({ interestSince: interestCutoff(now, config.watchExpiryDays ?? DEFAULT_GROWTH.watchExpiryDays) }),
      recentPickups: (since) => store.modulesWithRecentPickups(since) },
    beforeCheck: () => rateCap.ready(mirrorNames, CHECK_REQUESTS_PER_MIRROR),
  });
  return { poller, checker };
}
