import "server-only";
import { getConfig } from "./config";
import { createMirrorRateCap, wallSleep } from "@/lib/polling";
import type { MirrorRateCap } from "@/lib/polling";
import type { Store } from "@/lib/store";
import { openStore } from "./open-store";
import { createService } from "./service";
import type { Service } from "./service";

const holder = globalThis as unknown as { mirrorlagService?: Service; mirrorlagPollCap?: MirrorRateCap; mirrorlagStore?: Store };

/** The process-wide store, opened (and migrated) on first use; kept on globalThis so dev reloads reuse it. */
export function getStore(): Store {
  holder.mirrorlagStore ??= openStore(getConfig());
  return holder.mirrorlagStore;
}

/** The per-mirror request cap the poller's checks go through (user checks are rate-limited per client instead). */
export function getPollRateCap(): MirrorRateCap {
  holder.mirrorlagPollCap ??= createMirrorRateCap({ requestsPerSecond: getConfig().pollMirrorRps, now: Date.now, sleep: wallSleep });
  return holder.mirrorlagPollCap;
}

/** The process-wide service on the real database and the real clock (kept across dev reloads). */
export function getService(): Service {
  if (!holder.mirrorlagService) {
    const cap = getPollRateCap();
    holder.mirrorlagService = createService({
      store: getStore(),
      config: getConfig(),
      clock: () => new Date(),
      // The poller's checks, every commit-time look-up and the probes of whole-go.mod resolutions (many requests
      // from one click) queue for the mirror's slots; user checks and doctor probes are rate-limited per client instead.
      slotFor: (mirror, purpose) => (purpose === "poll" || purpose === "commit-times" || purpose === "resolution" ? () => cap.acquire(mirror) : undefined),
    });
  }
  return holder.mirrorlagService;
}
