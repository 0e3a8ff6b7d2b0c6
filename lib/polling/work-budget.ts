import type { MirrorRateCap } from "./mirror-rate-cap";

/** Admitted work's hold on the budget; give it back when the work is done (or failed). */
export type WorkTicket = { release(): void };

export type WorkRefusal = { ok: false; retryAfterSeconds: number };

/**
 * User-triggered work (checks, probes, resolutions' probes) in front of one per-mirror rate cap. The cap keeps
 * each mirror at `requestsPerSecond` whatever happens; this keeps the queue in front of it short: work is
 * admitted only while the requests already admitted for a mirror can be sent within `queueSeconds`.
 */
export type WorkBudget = {
  /** Admits work that may send up to `cost[mirror]` requests to each mirror, or refuses it at once (for a 503). */
  admit(cost: Record<string, number>): ({ ok: true } & WorkTicket) | WorkRefusal;
  /** Whether `admit(cost)` would succeed now, without holding anything (for work admitted piecewise later). */
  wouldAdmit(cost: Record<string, number>): { ok: true } | WorkRefusal;
  /** Waits until `cost` fits, first come first served: for background work (a resolution's probes) that must not fail. */
  enter(cost: Record<string, number>): Promise<WorkTicket>;
  /** The slot each request of admitted work waits for before its clocks start (MirrorRateCap.acquire). */
  slot(mirror: string): () => Promise<void>;
  /** Requests admitted and not yet released, per mirror (for figures and tests). */
  pending(): Record<string, number>;
  /** Background work waiting in `enter`. */
  waiting(): number;
};

export type WorkBudgetOptions = {
  cap: MirrorRateCap;
  /** The cap's rate; 0: no cap and no queue bound (not for a public instance). */
  requestsPerSecond: number;
  /** How long admitted work may have to wait for its mirrors' slots, at most. */
  queueSeconds: number;
};

export function createWorkBudget(options: WorkBudgetOptions): WorkBudget {
  const { requestsPerSecond: rps, queueSeconds } = options;
  // Each mirror's queue may hold what the cap sends in queueSeconds; at least one piece of work always fits.
  const capacity = rps * queueSeconds;
  const held = new Map<string, number>();
  const waiters: { cost: Record<string, number>; wake: (ticket: WorkTicket) => void }[] = [];

  const overflow = (cost: Record<string, number>): number => {
    let worst = 0;
    for (const [mirror, n] of Object.entries(cost)) {
      const now = held.get(mirror) ?? 0;
      if (now > 0 && now + n > capacity) worst = Math.max(worst, now + n - capacity);
    }
    return worst;
  };
  const refusal = (excess: number): WorkRefusal => ({ ok: false, retryAfterSeconds: Math.max(1, Math.ceil(excess / rps)) });

  const hold = (cost: Record<string, number>): WorkTicket => {
    for (const [mirror, n] of Object.entries(cost)) held.set(mirror, (held.get(mirror) ?? 0) + n);
    let released = false;
    return {
      release() {
        if (released) return;
        released = true;
        for (const [mirror, n] of Object.entries(cost)) {
          const left = (held.get(mirror) ?? 0) - n;
          if (left > 0) held.set(mirror, left);
          else held.delete(mirror);
        }
        wakeWaiters();
      },
    };
  };

  function wakeWaiters() {
    // In order, and only the head: a big waiter is not starved by small ones overtaking it.
    while (waiters.length > 0) {
      const head = waiters[0];
      if (!head || overflow(head.cost) > 0) return;
      waiters.shift();
      // Held before the next waiter is looked at, so two waiters never both fit into one free place.
      head.wake(hold(head.cost));
    }
  }

  if (rps === 0) {
    const free: WorkTicket = { release() {} };
    return {
      admit: () => ({ ok: true, ...free }),
      wouldAdmit: () => ({ ok: true }),
      enter: () => Promise.resolve(free),
      slot: () => () => Promise.resolve(),
      pending: () => ({}),
      waiting: () => 0,
    };
  }

  return {
    admit(cost) {
      // Background waiters are ahead in the line: new work does not slip past them.
      const excess = waiters.length > 0 ? Math.max(1, overflow(cost)) : overflow(cost);
      if (excess > 0) return refusal(excess);
      return { ok: true, ...hold(cost) };
    },
    wouldAdmit(cost) {
      const excess = overflow(cost);
      return excess > 0 ? refusal(excess) : { ok: true };
    },
    async enter(cost) {
      if (waiters.length === 0 && overflow(cost) === 0) return hold(cost);
      return new Promise<WorkTicket>((wake) => waiters.push({ cost, wake }));
    },
    slot: (mirror) => () => options.cap.acquire(mirror),
    pending: () => Object.fromEntries(held),
    waiting: () => waiters.length,
  };
}

/** Work refused because the budget is full: the API answers 503 with Retry-After, the UI says when to retry. */
export class WorkBudgetBusyError extends Error {
  readonly code = "busy";
  constructor(readonly retryAfterSeconds: number) {
    super(`busy: retry in ${retryAfterSeconds} s`);
    this.name = "WorkBudgetBusyError";
  }
}

/** By shape, not instanceof: the error may cross module copies (Next bundles server code more than once). */
export function isWorkBudgetBusy(err: unknown): err is WorkBudgetBusyError {
  return err instanceof Error && err.name === "WorkBudgetBusyError" && typeof (err as { retryAfterSeconds?: unknown }).retryAfterSeconds === "number";
}

/** admit() as a promise that rejects with WorkBudgetBusyError, for the checker's and prober's admission hooks. */
export function admitOrReject(budget: WorkBudget, cost: Record<string, number>): Promise<WorkTicket> {
  const admitted = budget.admit(cost);
  return admitted.ok ? Promise.resolve(admitted) : Promise.reject(new WorkBudgetBusyError(admitted.retryAfterSeconds));
}
