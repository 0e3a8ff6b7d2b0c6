import type { Checker } from "@/lib/check";
import type { WatchedModule } from "@/lib/store";

/** What the poller reads to decide what is due; stored, so the schedule survives restarts. */
export type PollerSource = {
  /** The modules to poll as of `now` (watched, and not expired for lack of interest). */
  watchedModules(now: Date): WatchedModule[] | Promise<WatchedModule[]>;
  /** Watched modules where a version first appeared on some mirror at a check since `since`. */
  recentPickups(since: Date): string[] | Promise<string[]>;
};

export type PollerTuning = {
  intervalSeconds: number;
  /** Each module's interval is stretched or shrunk by up to this fraction, so checks do not bunch up. */
  jitterRatio?: number;
  /** Checks running at once, across all modules. */
  concurrency?: number;
  /** Modules with a recent first appearance are re-checked this often, to time the other mirrors' pickups. */
  hotIntervalSeconds?: number;
  /** How long after a first appearance a module stays hot. */
  hotWindowSeconds?: number;
  /** Wall-time period of start()'s loop; default a quarter of the shortest interval, within 1..15 s. */
  tickSeconds?: number;
  random?: () => number;
  onError?: (error: unknown, module: string | null) => void;
};

export type PollerDeps = PollerTuning & {
  checker: Pick<Checker, "check">;
  source: PollerSource;
  /** Decides what is due; the simulator's clock in tests. */
  clock: () => Date;
  /** Awaited before each check is started (one at a time), e.g. until the rate cap has room for it. */
  beforeCheck?: () => Promise<void>;
};

export type Poller = {
  /** Queues every module that is due and not already queued or running; returns them, hot ones first. */
  tick(): Promise<{ started: string[] }>;
  /** Resolves when nothing is queued or running. */
  idle(): Promise<void>;
  /** Ticks on a wall-time timer that does not keep the process alive. */
  start(): void;
  /** Stops ticking, drops the queue and waits for running checks. */
  stop(): Promise<void>;
  /** Wall time of the last tick that read the due modules (null: none yet), for /healthz. */
  lastTickAt(): number | null;
};

export const POLLER_DEFAULTS = { jitterRatio: 0.1, concurrency: 4, hotIntervalSeconds: 60, hotWindowSeconds: 2 * 3600 } as const;

export function createPoller(deps: PollerDeps): Poller {
  const intervalMs = deps.intervalSeconds * 1000;
  const jitterRatio = deps.jitterRatio ?? POLLER_DEFAULTS.jitterRatio;
  const concurrency = deps.concurrency ?? POLLER_DEFAULTS.concurrency;
  const hotMs = (deps.hotIntervalSeconds ?? POLLER_DEFAULTS.hotIntervalSeconds) * 1000;
  const hotWindowMs = (deps.hotWindowSeconds ?? POLLER_DEFAULTS.hotWindowSeconds) * 1000;
  const tickMs = (deps.tickSeconds ?? Math.min(15, Math.max(1, Math.min(hotMs, intervalMs) / 4000))) * 1000;
  const random = deps.random ?? Math.random;
  const onError = deps.onError ?? ((error, module) => console.error(`mirrorlag: poller${module ? ` (${module})` : ""}:`, error));
  if (!(intervalMs > 0)) throw new Error(`intervalSeconds must be positive, got ${deps.intervalSeconds}`);
  if (!(jitterRatio >= 0 && jitterRatio < 1)) throw new Error(`jitterRatio must be in [0, 1), got ${jitterRatio}`);
  if (!(Number.isInteger(concurrency) && concurrency >= 1)) throw new Error(`concurrency must be a whole number >= 1, got ${concurrency}`);

  const hotQueue = fifo<string>();
  const queue = fifo<string>();
  /** Queued or running. */
  const pending = new Set<string>();
  const tasks = new Set<Promise<void>>();
  /** Start of the last attempt: a check that threw records nothing, and must not be retried every tick. */
  const attempted = new Map<string, number>();
  /** One jitter draw per module and cycle (keyed by its last check), so due-ness does not flicker per tick. */
  const thresholds = new Map<string, { last: number; ms: number }>();
  let dispatching = false;
  let dispatched: Promise<void> = Promise.resolve();
  let stopped = false;
  let timer: ReturnType<typeof setTimeout> | null = null;
  let lastTick: number | null = null;
  /** Bumped by start/stop, so a tick still running from an earlier start() does not schedule a second loop. */
  let generation = 0;
  let running = false;

  const thresholdFor = (module: string, last: number): number => {
    const known = thresholds.get(module);
    if (known?.last === last) return known.ms;
    const ms = intervalMs * (1 + jitterRatio * (2 * random() - 1));
    thresholds.set(module, { last, ms });
    return ms;
  };

  const runCheck = async (module: string): Promise<void> => {
    try {
      attempted.set(module, deps.clock().getTime());
      // Passive: the poller must not make a pull-through mirror fetch the version whose pickup it times.
      await deps.checker.check(module, { trigger: "poll", passive: true });
    } catch (error) {
      onError(error, module);
    }
  };

  const launch = (module: string) => {
    const task: Promise<void> = runCheck(module).finally(() => {
      pending.delete(module);
      tasks.delete(task);
      pump();
    });
    tasks.add(task);
  };

  // One dispatcher at a time: each check starts (and takes its rate-cap slots) before the next gate is asked.
  const pump = (): void => {
    if (dispatching) return;
    dispatching = true;
    dispatched = (async () => {
      try {
        while (!stopped && tasks.size < concurrency) {
          const next = hotQueue.take() ?? queue.take();
          if (next === undefined) break;
          if (deps.beforeCheck) {
            try {
              await deps.beforeCheck();
            } catch (error) {
              onError(error, next);
            }
          }
          if (stopped) {
            pending.delete(next);
            break;
          }
          launch(next);
        }
      } finally {
        dispatching = false;
      }
    })();
  };

  const tick = async (): Promise<{ started: string[] }> => {
    if (stopped) return { started: [] };
    const now = deps.clock().getTime();
    let watched: WatchedModule[];
    let hot: Set<string>;
    try {
      const [watchedNow, hotNow] = await Promise.all([deps.source.watchedModules(new Date(now)), deps.source.recentPickups(new Date(now - hotWindowMs))]);
      watched = watchedNow;
      hot = new Set(hotNow);
      lastTick = Date.now();
    } catch (error) {
      onError(error, null);
      return { started: [] };
    }
    const watchedPaths = new Set(watched.map((w) => w.path));
    // Forget un-watched modules, so memory follows the watch list.
    for (const map of [attempted, thresholds]) for (const path of map.keys()) if (!watchedPaths.has(path)) map.delete(path);

    const dueHot: string[] = [];
    const due: { path: string; last: number }[] = [];
    for (const { path, lastCheckAt } of watched) {
      if (pending.has(path)) continue;
      const last = Math.max(lastCheckAt?.getTime() ?? -Infinity, attempted.get(path) ?? -Infinity);
      if (last === -Infinity) {
        due.push({ path, last });
        continue;
      }
      const elapsed = now - last;
      if (hot.has(path) && elapsed >= hotMs) dueHot.push(path);
      else if (elapsed >= thresholdFor(path, last)) due.push({ path, last });
    }
    // Longest-waiting first, so a backlog is worked off fairly.
    const started = [...dueHot, ...due.sort((a, b) => a.last - b.last || 0).map((d) => d.path)];
    // One at a time, not push(...spread): a large due set would overflow the call stack after the modules
    // were already marked pending, and they would never be polled again.
    for (const path of dueHot) {
      pending.add(path);
      hotQueue.push(path);
    }
    for (const { path } of due) {
      pending.add(path);
      queue.push(path);
    }
    pump();
    return { started };
  };

  const schedule = (ms: number, gen: number) => {
    timer = setTimeout(() => void loop(gen), ms);
    timer.unref?.();
  };

  const loop = async (gen: number) => {
    timer = null;
    try {
      await tick();
    } catch (error) {
      onError(error, null);
    }
    if (!stopped && gen === generation) schedule(tickMs, gen);
  };

  const idle = async (): Promise<void> => {
    while (tasks.size > 0 || dispatching) await Promise.all([...tasks, dispatched]);
  };

  return {
    tick,
    idle,
    lastTickAt: () => lastTick,
    start() {
      if (running) return;
      running = true;
      stopped = false;
      generation += 1;
      schedule(0, generation);
    },
    async stop() {
      running = false;
      stopped = true;
      generation += 1;
      if (timer) clearTimeout(timer);
      timer = null;
      for (const path of [...hotQueue.drain(), ...queue.drain()]) pending.delete(path);
      await idle();
    },
  };
}

/**
 * First in, first out with O(1) take: Array#shift copies the whole array once it is too large for V8 to trim in
 * place, which made working off a due set of 200,000 modules quadratic (32 s on a 2-core machine).
 */
function fifo<T>() {
  let items: T[] = [];
  let head = 0;
  return {
    push(item: T): void {
      items.push(item);
    },
    take(): T | undefined {
      if (head >= items.length) return undefined;
      const item = items[head];
      items[head] = undefined as T; // let the taken item be collected
      head++;
      // Compact once the taken part is most of the array, so memory follows what is still queued.
      if (head >= 1024 && head * 2 >= items.length) {
        items = items.slice(head);
        head = 0;
      }
      return item;
    },
    /** Empties the queue, returning what was in it. */
    drain(): T[] {
      const rest = items.slice(head);
      items = [];
      head = 0;
      return rest;
    },
  };
}
