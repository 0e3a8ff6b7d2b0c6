/**
 * A per-mirror cap on how often we start requests: at most `requestsPerSecond` request starts in any
 * 1000 ms window, per mirror. Bursts up to the cap are allowed (a check asks @v/list and @latest together),
 * so a mirror never sees more than the cap in any second, whichever second it measures. That holds for requests as
 * they are let go; a process stalled by its own load delays what it already let go, and may bunch it by the stall.
 */
export type MirrorRateCap = {
  /**
   * Waits for a free slot of that mirror. Call it before a request's timeout and latency clocks start (the
   * client's beforeRequest): time spent in the queue is ours, not the mirror's. An aborted wait gives its slot back.
   */
  acquire(mirror: string, signal?: AbortSignal): Promise<void>;
  /** A fetch for one mirror that waits for a free slot of that mirror before each request. */
  wrapFetch(mirror: string, fetch: typeof globalThis.fetch): typeof globalThis.fetch;
  /**
   * Resolves once each mirror can start `requests` requests without waiting. The poller awaits this before
   * a check, so waiting happens before the check's timeouts and latency measurements start, not inside them.
   */
  ready(mirrors: string[], requests: number): Promise<void>;
};

export type MirrorRateCapOptions = {
  /** Whole requests per second per mirror; 0 turns the cap off. */
  requestsPerSecond: number;
  /** Milliseconds, e.g. Date.now; tests pass a fake. */
  now: () => number;
  sleep: (ms: number) => Promise<void>;
  /**
   * Extra spacing between one second's requests and the next's, in ms (default 0): a request let go may reach the wire
   * late when the process stalls (a long render), and this much delay cannot bunch two seconds' requests into one.
   */
  guardMs?: number;
};

const SECOND_MS = 1000;
/** How late a woken request may still start on its slot: timer jitter, not a stall. */
const LATE_WAKE_MS = 25;

export function createMirrorRateCap(options: MirrorRateCapOptions): MirrorRateCap {
  const limit = options.requestsPerSecond;
  const windowMs = SECOND_MS + (options.guardMs ?? 0);
  if (!Number.isInteger(limit) || limit < 0) throw new Error(`requestsPerSecond must be a whole number >= 0, got ${limit}`);
  // Start times handed out per mirror, ascending (a slot given back leaves the order intact).
  const starts = new Map<string, number[]>();

  const startsOf = (mirror: string): number[] => {
    let list = starts.get(mirror);
    if (!list) {
      list = [];
      starts.set(mirror, list);
    }
    return list;
  };

  /** Earliest time the k-th next request (k = 1, 2, ...) could start, given slots already handed out. */
  const earliest = (list: number[], now: number, k: number): number => {
    const bound = list[list.length - limit + k - 1];
    return bound === undefined ? now : Math.max(now, bound + windowMs);
  };

  /** Hands out the next slot at once, so concurrent callers get increasing start times. */
  const reserve = (mirror: string): number => {
    const list = startsOf(mirror);
    const now = options.now();
    // Starts a full window in the past bound nothing any more; the rest must stay (a released slot may
    // leave fewer than `limit` ahead of the next one).
    let stale = 0;
    while (stale < list.length && (list[stale] ?? 0) <= now - windowMs) stale++;
    if (stale > 0) list.splice(0, stale);
    const at = earliest(list, now, 1);
    list.push(at);
    return at;
  };

  /** Gives an unused slot back. Later slots were placed by the ones before them, so none moves earlier. */
  const release = (mirror: string, at: number) => {
    const list = startsOf(mirror);
    const index = list.lastIndexOf(at);
    if (index !== -1) list.splice(index, 1);
  };

  const acquire = async (mirror: string, signal?: AbortSignal): Promise<void> => {
    if (limit === 0) return;
    signal?.throwIfAborted();
    let at = reserve(mirror);
    try {
      for (;;) {
        // Loop because timers may fire a millisecond before the clock says the slot has come.
        for (let wait = at - options.now(); wait > 0; wait = at - options.now()) {
          await abortable(options.sleep(wait), signal);
        }
        // Woken late (a stalled event loop): every slot of the stall would start now, together. Such a slot is
        // given back and a fresh one taken from now, so what starts after a stall still fits the cap.
        if (options.now() - at <= LATE_WAKE_MS) return;
        release(mirror, at);
        at = reserve(mirror);
      }
    } catch (error) {
      release(mirror, at);
      throw error;
    }
  };

  return {
    acquire,
    wrapFetch(mirror, fetch) {
      if (limit === 0) return fetch;
      const capped = async (input: Parameters<typeof fetch>[0], init?: Parameters<typeof fetch>[1]): Promise<Response> => {
        await acquire(mirror, init?.signal ?? undefined);
        return fetch(input, init);
      };
      return capped as typeof fetch;
    },
    async ready(mirrors, requests) {
      if (limit === 0) return;
      const k = Math.min(Math.max(1, requests), limit);
      for (;;) {
        const now = options.now();
        const wait = Math.max(0, ...mirrors.map((m) => earliest(startsOf(m), now, k) - now));
        if (wait <= 0) return;
        await options.sleep(wait);
      }
    },
  };
}

function abortable(wait: Promise<void>, signal: AbortSignal | undefined): Promise<void> {
  if (!signal) return wait;
  signal.throwIfAborted();
  return new Promise<void>((resolve, reject) => {
    const onAbort = () => reject(signal.reason instanceof Error ? signal.reason : new Error("aborted"));
    signal.addEventListener("abort", onAbort, { once: true });
    wait.then(
      () => {
        signal.removeEventListener("abort", onAbort);
        resolve();
      },
      (error: unknown) => {
        signal.removeEventListener("abort", onAbort);
        reject(error instanceof Error ? error : new Error(String(error)));
      },
    );
  });
}

/** Real time for production. */
export const wallSleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
