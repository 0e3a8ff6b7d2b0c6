import type { MirrorClient } from "@/lib/goproxy";
import type { CheckStore, MissingVersionTime, VersionTime } from "@/lib/store";

/*
 * Commit times (.info) of versions first seen by a check: not needed to record the check, so they are asked for
 * afterwards, from what the store says is missing. Bounded (a batch at a time, a few at once, each request
 * through the mirror's rate-cap slot whatever triggered the check), retried with backoff when a mirror fails,
 * and resumed after a restart, since what is missing is in the database, not in memory.
 */

export type VersionTimeBackfill = {
  /** Asks for what is due now (after a check recorded new versions; on a timer, for retries). */
  wake(): void;
  /** Resolves when nothing due is left to ask (what failed waits for its retry time). */
  idle(): Promise<void>;
  /** Stops asking after the look-ups in flight. */
  stop(): Promise<void>;
};

export type VersionTimeBackfillDeps = {
  store: Pick<CheckStore, "missingVersionTimes" | "recordVersionTimes" | "recordVersionTimeFailures">;
  /** Mirror names that may be asked; a version no configured mirror lists now is asked of the reference. */
  mirrors: string[];
  reference: string;
  /** The client for commit-time look-ups on one mirror (its requests wait for the mirror's rate-cap slot). */
  clientFor: (mirror: string) => MirrorClient;
  clock: () => Date;
  batchSize?: number;
  concurrency?: number;
  onError?: (error: unknown) => void;
};

const MINUTE = 60_000;

/** Wait before the next attempt after `attempts` failures: 1, 2, 4, … minutes, at most a day. */
export function retryDelayMs(attempts: number): number {
  return Math.min(24 * 60 * MINUTE, MINUTE * 2 ** Math.max(0, attempts - 1));
}

export function createVersionTimeBackfill(deps: VersionTimeBackfillDeps): VersionTimeBackfill {
  const batchSize = deps.batchSize ?? 100;
  const concurrency = deps.concurrency ?? 4;
  const onError = deps.onError ?? ((error) => console.error("mirrorlag: commit-time look-ups failed:", error));
  const configured = new Set(deps.mirrors);
  let running: Promise<void> | null = null;
  let again = false;
  let stopped = false;

  /** One look-up; null when the mirror did not answer (to be retried). */
  const ask = async (item: MissingVersionTime): Promise<VersionTime | null> => {
    // The reference when it lists the version (its times are the ones lags are read against), else whoever does.
    const listing = item.mirrors.filter((m) => configured.has(m));
    const mirror = listing.includes(deps.reference) ? deps.reference : (listing[0] ?? deps.reference);
    const info = await deps.clientFor(mirror).info(item.module, item.version);
    return info.outcome === "ok" ? { version: item.version, time: info.data.time, mirror } : null;
  };

  const runBatch = async (items: MissingVersionTime[]): Promise<void> => {
    const answered = new Map<string, VersionTime[]>();
    const failed = new Map<string, { versions: string[]; attempts: number }>();
    const queue = [...items];
    const worker = async () => {
      for (let item = queue.shift(); item !== undefined && !stopped; item = queue.shift()) {
        const time = await ask(item);
        if (time) {
          const list = answered.get(item.module) ?? [];
          list.push(time);
          answered.set(item.module, list);
        } else {
          const entry = failed.get(item.module) ?? { versions: [], attempts: 0 };
          entry.versions.push(item.version);
          entry.attempts = Math.max(entry.attempts, item.attempts + 1);
          failed.set(item.module, entry);
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(concurrency, queue.length) }, worker));
    for (const [module, times] of answered) await deps.store.recordVersionTimes(module, times);
    const now = deps.clock().getTime();
    for (const [module, { versions, attempts }] of failed) {
      await deps.store.recordVersionTimeFailures(module, versions, new Date(now + retryDelayMs(attempts)));
    }
  };

  const run = async (): Promise<void> => {
    do {
      again = false;
      // Batch after batch of what is due; a failed look-up is pushed into the future, so this ends.
      for (;;) {
        if (stopped) return;
        const due = await deps.store.missingVersionTimes(deps.clock(), batchSize);
        if (due.length === 0) break;
        await runBatch(due);
      }
    } while (again && !stopped);
  };

  const wake = () => {
    if (stopped) return;
    if (running) {
      again = true;
      return;
    }
    running = run()
      .catch(onError)
      .finally(() => {
        running = null;
      });
  };

  return {
    wake,
    async idle() {
      while (running) await running;
    },
    async stop() {
      stopped = true;
      while (running) await running;
    },
  };
}
