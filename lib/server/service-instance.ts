import "server-only";
import { getConfig } from "./config";
import { createMirrorRateCap, createWorkBudget, wallSleep } from "@/lib/polling";
import type { MirrorRateCap, WorkBudget } from "@/lib/polling";
import type { Store } from "@/lib/store";
import { openStore } from "./open-store";
import { createService } from "./service";
import type { Service } from "./service";

/** Spacing between one second's user requests to a mirror and the next's (see MirrorRateCapOptions.guardMs). */
export const USER_CAP_GUARD_MS = 300;

const holder = globalThis as unknown as { mirrorlagService?: Service; mirrorlagPollCap?: MirrorRateCap; mirrorlagUserBudget?: WorkBudget; mirrorlagStore?: Store };

/** The process-wide store, opened (and migrated) on first use; kept on globalThis so dev reloads reuse it. */
export function getStore(): Store {
  holder.mirrorlagStore ??= openStore(getConfig());
  return holder.mirrorlagStore;
}

/** The per-mirror request cap the poller's checks and commit-time look-ups go through (POLL_MIRROR_RPS). */
export function getPollRateCap(): MirrorRateCap {
  holder.mirrorlagPollCap ??= createMirrorRateCap({ requestsPerSecond: getConfig().pollMirrorRps, now: Date.now, sleep: wallSleep });
  return holder.mirrorlagPollCap;
}

/** The budget every user-started check, probe and resolution goes through (USER_MIRROR_RPS, USER_QUEUE_SECONDS). */
export function getUserWorkBudget(): WorkBudget {
  if (!holder.mirrorlagUserBudget) {
    const { userMirrorRps, userQueueSeconds } = getConfig();
    // The guard: a page render can stall this process for a few hundred ms, and requests let go just before it
    // would reach the wire together with the next second's; 300 ms apart they cannot (sustained: 10 per 1.3 s).
    const cap = createMirrorRateCap({ requestsPerSecond: userMirrorRps, now: Date.now, sleep: wallSleep, guardMs: USER_CAP_GUARD_MS });
    holder.mirrorlagUserBudget = createWorkBudget({ cap, requestsPerSecond: userMirrorRps, queueSeconds: userQueueSeconds });
  }
  return holder.mirrorlagUserBudget;
}

/** The process-wide service on the real database and the real clock (kept across dev reloads). */
export function getService(): Service {
  if (!holder.mirrorlagService) {
    const pollCap = getPollRateCap();
    const userBudget = getUserWorkBudget();
    holder.mirrorlagService = createService({
      store: getStore(),
      config: getConfig(),
      clock: () => new Date(),
      // Two budgets side by side, so a mirror gets at most POLL_MIRROR_RPS + USER_MIRROR_RPS a second from us:
      // the poller's checks and commit-time look-ups take the poller's slots, whatever a user started takes the users'.
      slotFor: (mirror, purpose) => (purpose === "poll" || purpose === "commit-times" ? () => pollCap.acquire(mirror) : userBudget.slot(mirror)),
      userBudget,
    });
  }
  return holder.mirrorlagService;
}
