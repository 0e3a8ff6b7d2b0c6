import "server-only";
import { createChecker } from "@/lib/check";
import type { Checker, CheckOptions, CheckOutcome } from "@/lib/check";
import type { CheckTrigger, Store } from "@/lib/store";
import type { Config } from "./config";
import { composeHomeSummary, deriveTimeline, HEALTH_WINDOW_DAYS, RECENT_LIMIT, toTimelineDto } from "@/lib/timeline";
import type { HomeSummary, ModuleSnapshot, TimelineDto } from "@/lib/timeline";
import { createRateLimiter } from "./rate-limit";
import type { RateLimiter } from "./rate-limit";

export type ServiceDeps = {
  store: Store;
  config: Config;
  /** Stamps checks; the simulator's clock in tests and the demo. */
  clock: () => Date;
  /** Real time for rate limits, which protect this server whatever the simulated clock says. */
  wallNow?: () => number;
  fetchFor?: (mirror: string, trigger: CheckTrigger) => typeof fetch;
  /** The per-mirror rate cap's slot for a request of this trigger (see lib/polling's MirrorRateCap.acquire). */
  slotFor?: (mirror: string, trigger: CheckTrigger) => (() => Promise<void>) | undefined;
};

export type TimelineResult =
  | { ok: true; timeline: TimelineDto; newest: { checkId: number; at: string }; watched: boolean }
  | { ok: false; code: "unknown_module" | "unknown_check" | "no_checks"; message: string };

/** How many recent checks a timeline lists (the full count is in checksTotal). */
export const TIMELINE_CHECKS_LIMIT = 100;

/** Derived timelines kept in memory (a large module's is ~2 MB as JSON). */
const TIMELINE_CACHE_ENTRIES = 16;

export type Service = {
  config: Config;
  checker: Checker;
  checkLimiter: RateLimiter;
  runCheck(module: string, options: CheckOptions): Promise<CheckOutcome>;
  timeline(module: string, at?: number): Promise<TimelineResult>;
  suggest(text: string, limit?: number): Promise<string[]>;
  setWatched(module: string, watched: boolean): Promise<boolean>;
  /** The home page: recently checked modules and per-mirror health, as of the service clock's now. */
  home(): Promise<HomeSummary>;
};

export function createService(deps: ServiceDeps): Service {
  const { store, config } = deps;
  const checker = createChecker({
    mirrors: config.mirrors,
    reference: config.referenceMirror,
    requestTimeoutMs: config.requestTimeoutMs,
    minRecheckSeconds: config.minRecheckSeconds,
    clock: deps.clock,
    store,
    fetchFor: deps.fetchFor,
    slotFor: deps.slotFor,
  });
  const checkLimiter = createRateLimiter({ limit: config.rateLimitPerMinute, windowMs: 60_000, now: deps.wallNow ?? Date.now });
  const mirrorNames = config.mirrors.map((m) => m.name);
  const timelineCache = new Map<string, { fingerprint: string; timeline: TimelineDto }>();

  return {
    config,
    checker,
    checkLimiter,
    runCheck: (module, options) => checker.check(module, options),
    async timeline(module, at) {
      const row = await store.findModule(module);
      if (!row) return { ok: false, code: "unknown_module", message: `module ${module} has not been checked yet` };
      // The newest checks are read once: their first is the newest, and for the live timeline they are the list too.
      const recent = await store.listChecks(row.id, { limit: TIMELINE_CHECKS_LIMIT });
      const newest = recent[0];
      if (!newest) return { ok: false, code: "no_checks", message: `module ${module} has no checks yet` };
      const asOf = at === undefined ? newest : await store.findCheck(row.id, at);
      if (!asOf) return { ok: false, code: "unknown_check", message: `check ${at} is not a check of module ${module}` };
      const newestRef = { checkId: newest.id, at: newest.at.toISOString() };
      // A timeline as of a check is fixed once its fingerprint is: derive it once, serve it many times.
      const key = `${row.id}:${asOf.id}`;
      const fingerprint = await store.timelineFingerprint(row.id, asOf.id);
      const cached = timelineCache.get(key);
      if (cached && cached.fingerprint === fingerprint) {
        timelineCache.delete(key);
        timelineCache.set(key, cached);
        return { ok: true, timeline: cached.timeline, newest: newestRef, watched: row.watched };
      }
      const [facts, checks, checksUpToAsOf] = await Promise.all([
        store.timelineFacts(row, asOf, mirrorNames, config.referenceMirror),
        asOf.id === newest.id ? recent : store.listChecks(row.id, { upTo: asOf.id, limit: TIMELINE_CHECKS_LIMIT }),
        store.countChecks(row.id, asOf.id),
      ]);
      const timeline = toTimelineDto(deriveTimeline(facts), { checks, checksUpToAsOf });
      timelineCache.set(key, { fingerprint, timeline });
      if (timelineCache.size > TIMELINE_CACHE_ENTRIES) {
        const oldest = timelineCache.keys().next().value;
        if (oldest !== undefined) timelineCache.delete(oldest);
      }
      return { ok: true, timeline, newest: newestRef, watched: row.watched };
    },
    suggest: (text, limit = 8) => store.suggestModules(text, limit),
    setWatched: (module, watched) => store.setWatched(module, watched),
    async home() {
      const now = deps.clock();
      const since = new Date(now.getTime() - HEALTH_WINDOW_DAYS * 24 * 3600 * 1000);
      const [recent, watched, lags, outcomes] = await Promise.all([
        store.recentModules({ limit: RECENT_LIMIT }),
        store.recentModules({ watchedOnly: true }),
        store.lagSamples(config.referenceMirror, since, now),
        store.outcomeCounts(since, now),
      ]);
      const rows = [...new Map([...recent, ...watched].map((r) => [r.moduleId, r])).values()];
      const facts = await store.currentFacts(rows, mirrorNames, config.referenceMirror);
      // deriveTimeline over current facts only: outcome, latest and missingCount come out exact (checked against
      // full timelines); hash agreement, lags and events would not, and are not used.
      const snapshots = new Map<number, ModuleSnapshot>();
      for (const r of rows) {
        const f = facts.get(r.moduleId);
        snapshots.set(r.moduleId, { module: r.module, checkId: r.checkId, at: r.at, summaries: f ? deriveTimeline(f).summaries : [] });
      }
      const snapshot = (r: (typeof rows)[number]): ModuleSnapshot => snapshots.get(r.moduleId) ?? { module: r.module, checkId: r.checkId, at: r.at, summaries: [] };
      return composeHomeSummary({
        now,
        mirrors: mirrorNames,
        reference: config.referenceMirror,
        recent: recent.map(snapshot),
        watched: watched.map(snapshot),
        lags,
        outcomes,
      });
    },
  };
}
