import "server-only";
import { createCheckStore } from "@/db/check-store";
import type { Db } from "@/db/client";
import { countChecks, findCheck, findModule, lagSamples, listChecks, loadCurrentFacts, loadTimelineFacts, outcomeCounts, recentModules, setWatched, suggestModules, timelineFingerprint } from "@/db/queries";
import { createChecker } from "@/lib/check";
import type { Checker, CheckOptions, CheckOutcome } from "@/lib/check";
import type { CheckTrigger } from "@/lib/store";
import type { Config } from "./config";
import { composeHomeSummary, deriveTimeline, HEALTH_WINDOW_DAYS, RECENT_LIMIT, toTimelineDto } from "@/lib/timeline";
import type { HomeSummary, ModuleSnapshot, TimelineDto } from "@/lib/timeline";
import { createRateLimiter } from "./rate-limit";
import type { RateLimiter } from "./rate-limit";

export type ServiceDeps = {
  db: Db;
  config: Config;
  /** Stamps checks; the simulator's clock in tests and the demo. */
  clock: () => Date;
  /** Real time for rate limits, which protect this server whatever the simulated clock says. */
  wallNow?: () => number;
  fetchFor?: (mirror: string, trigger: CheckTrigger) => typeof fetch;
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
  timeline(module: string, at?: number): TimelineResult;
  suggest(text: string, limit?: number): string[];
  setWatched(module: string, watched: boolean): boolean;
  /** The home page: recently checked modules and per-mirror health, as of the service clock's now. */
  home(): HomeSummary;
};

export function createService(deps: ServiceDeps): Service {
  const { db, config } = deps;
  const checker = createChecker({
    mirrors: config.mirrors,
    reference: config.referenceMirror,
    requestTimeoutMs: config.requestTimeoutMs,
    minRecheckSeconds: config.minRecheckSeconds,
    clock: deps.clock,
    store: createCheckStore(db),
    fetchFor: deps.fetchFor,
  });
  const checkLimiter = createRateLimiter({ limit: config.rateLimitPerMinute, windowMs: 60_000, now: deps.wallNow ?? Date.now });
  const mirrorNames = config.mirrors.map((m) => m.name);
  const timelineCache = new Map<string, { fingerprint: string; timeline: TimelineDto }>();

  return {
    config,
    checker,
    checkLimiter,
    runCheck: (module, options) => checker.check(module, options),
    timeline(module, at) {
      const row = findModule(db, module);
      if (!row) return { ok: false, code: "unknown_module", message: `module ${module} has not been checked yet` };
      // The newest checks are read once: their first is the newest, and for the live timeline they are the list too.
      const recent = listChecks(db, row.id, { limit: TIMELINE_CHECKS_LIMIT });
      const newest = recent[0];
      if (!newest) return { ok: false, code: "no_checks", message: `module ${module} has no checks yet` };
      const asOf = at === undefined ? newest : findCheck(db, row.id, at);
      if (!asOf) return { ok: false, code: "unknown_check", message: `check ${at} is not a check of module ${module}` };
      const newestRef = { checkId: newest.id, at: newest.at.toISOString() };
      // A timeline as of a check is fixed once its fingerprint is: derive it once, serve it many times.
      const key = `${row.id}:${asOf.id}`;
      const fingerprint = timelineFingerprint(db, row.id, asOf.id);
      const cached = timelineCache.get(key);
      if (cached && cached.fingerprint === fingerprint) {
        timelineCache.delete(key);
        timelineCache.set(key, cached);
        return { ok: true, timeline: cached.timeline, newest: newestRef, watched: row.watched };
      }
      const facts = loadTimelineFacts(db, row, asOf, mirrorNames, config.referenceMirror);
      const timeline = toTimelineDto(deriveTimeline(facts), {
        checks: asOf.id === newest.id ? recent : listChecks(db, row.id, { upTo: asOf.id, limit: TIMELINE_CHECKS_LIMIT }),
        checksUpToAsOf: countChecks(db, row.id, asOf.id),
      });
      timelineCache.set(key, { fingerprint, timeline });
      if (timelineCache.size > TIMELINE_CACHE_ENTRIES) {
        const oldest = timelineCache.keys().next().value;
        if (oldest !== undefined) timelineCache.delete(oldest);
      }
      return { ok: true, timeline, newest: newestRef, watched: row.watched };
    },
    suggest: (text, limit = 8) => suggestModules(db, text, limit),
    setWatched: (module, watched) => setWatched(db, module, watched),
    home() {
      const now = deps.clock();
      const recent = recentModules(db, { limit: RECENT_LIMIT });
      const watched = recentModules(db, { watchedOnly: true });
      const rows = [...new Map([...recent, ...watched].map((r) => [r.moduleId, r])).values()];
      const facts = loadCurrentFacts(db, rows, mirrorNames, config.referenceMirror);
      // deriveTimeline over current facts only: outcome, latest and missingCount come out exact (checked against
      // full timelines); hash agreement, lags and events would not, and are not used.
      const snapshots = new Map<number, ModuleSnapshot>();
      for (const r of rows) {
        const f = facts.get(r.moduleId);
        snapshots.set(r.moduleId, { module: r.module, checkId: r.checkId, at: r.at, summaries: f ? deriveTimeline(f).summaries : [] });
      }
      const snapshot = (r: (typeof rows)[number]): ModuleSnapshot => snapshots.get(r.moduleId) ?? { module: r.module, checkId: r.checkId, at: r.at, summaries: [] };
      const since = new Date(now.getTime() - HEALTH_WINDOW_DAYS * 24 * 3600 * 1000);
      return composeHomeSummary({
        now,
        mirrors: mirrorNames,
        reference: config.referenceMirror,
        recent: recent.map(snapshot),
        watched: watched.map(snapshot),
        lags: lagSamples(db, config.referenceMirror, since, now),
        outcomes: outcomeCounts(db, since, now),
      });
    },
  };
}
