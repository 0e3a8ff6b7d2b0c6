import { mirrorInSync, moduleState } from "./module-state";
import type { ModuleState } from "./module-state";
import type { MirrorSummary } from "./derive-timeline";

/*
 * The home page's numbers, composed from plain inputs: the store loads them, Service.home() wires them,
 * this file only counts. Everything is as of `now`, which the caller passes in.
 */

export const HEALTH_WINDOW_DAYS = 7;
export const RECENT_LIMIT = 12;
/** Watched modules the home page lists (newest check first); the total is watchedCount, so 5,000 cost one line. */
export const WATCHED_LIST_LIMIT = 50;

type SummaryFields = Pick<MirrorSummary, "name" | "isReference" | "outcome" | "latest" | "missingCount" | "message">;

/** One module as of its newest check. */
export type ModuleSnapshot = { module: string; checkId: number; at: Date; summaries: SummaryFields[] };
export type LagSample = { mirror: string; module: string; version: string; lagSeconds: number };
export type OutcomeCount = { mirror: string; outcome: "ok" | "not_found" | "error"; count: number };

export type RecentModule = { module: string; state: ModuleState; checkId: number; checkedAt: string };

/** Where to look next for a mirror: the module it is furthest behind on, else its slowest recent pickup. */
export type MirrorFocus =
  | { kind: "behind"; module: string; missingCount: number; latest: string | null; referenceLatest: string | null }
  | { kind: "not_found" | "error"; module: string; message: string | null }
  | { kind: "slowest"; module: string; version: string; lagSeconds: number };

export type MirrorHealth = {
  name: string;
  /** Position in the configured list: picks the mirror's colour (class mirror-colour-N). */
  position: number;
  isReference: boolean;
  inSync: { count: number; of: number };
  /** Null for the reference, which other mirrors' lag is measured against. */
  lag: { samples: number; medianSeconds: number | null; p90Seconds: number | null } | null;
  answers: { total: number; errors: number };
  focus: MirrorFocus | null;
};

export type HomeSummary = {
  now: string;
  windowDays: number;
  reference: string;
  recent: RecentModule[];
  watchedCount: number;
  /** The first WATCHED_LIST_LIMIT watched modules, newest check first. */
  watched: RecentModule[];
  mirrors: MirrorHealth[];
};

/**
 * Nearest-rank percentile of ascending `sorted` values: the smallest value with at least p% of values at or
 * below it, so it is always a value that was observed. p in (0, 100]; null for no values.
 */
export function nearestRank(sorted: readonly number[], p: number): number | null {
  if (sorted.length === 0) return null;
  if (!(p > 0 && p <= 100)) throw new RangeError(`percentile must be in (0, 100], got ${p}`);
  // p * n is an exact integer for integer p, so no float error can push the rank up by one.
  const rank = Math.max(1, Math.ceil((p * sorted.length) / 100));
  return sorted[rank - 1] ?? null;
}

export function composeHomeSummary(input: {
  now: Date;
  mirrors: string[];
  reference: string;
  /** Newest first, already limited. */
  recent: ModuleSnapshot[];
  /** Every watched module with at least one check. */
  watched: ModuleSnapshot[];
  lags: LagSample[];
  outcomes: OutcomeCount[];
  windowDays?: number;
}): HomeSummary {
  const judged = input.watched.filter((m) => moduleState(m.summaries) !== "not_found");
  const listed = (m: ModuleSnapshot): RecentModule => ({ module: m.module, state: moduleState(m.summaries), checkId: m.checkId, checkedAt: m.at.toISOString() });
  return {
    now: input.now.toISOString(),
    windowDays: input.windowDays ?? HEALTH_WINDOW_DAYS,
    reference: input.reference,
    recent: input.recent.map(listed),
    watchedCount: input.watched.length,
    watched: input.watched.slice(0, WATCHED_LIST_LIMIT).map(listed),
    mirrors: input.mirrors.map((name, position) => mirrorHealth(name, position, name === input.reference, judged, input.lags, input.outcomes)),
  };
}

function mirrorHealth(
  name: string,
  position: number,
  isReference: boolean,
  // Watched modules some mirror has: one no mirror knows (a typo, a deleted repo) says nothing about any mirror.
  judged: ModuleSnapshot[],
  lags: LagSample[],
  outcomes: OutcomeCount[],
): MirrorHealth {
  let inSync = 0;
  let of = 0;
  let behind: Extract<MirrorFocus, { kind: "behind" }> | null = null;
  let notFound: MirrorFocus | null = null;
  let failing: MirrorFocus | null = null;
  for (const snapshot of judged) {
    const mine = snapshot.summaries.find((s) => s.name === name);
    const reference = snapshot.summaries.find((s) => s.isReference);
    if (!mine || mine.outcome === "not_asked") continue;
    // Agreement with a reference that did not answer cannot be judged either way.
    if (!isReference && reference?.outcome !== "ok") continue;
    of += 1;
    const referenceLatest = reference?.latest ?? null;
    if (mirrorInSync(mine, referenceLatest)) {
      inSync += 1;
      continue;
    }
    if (mine.outcome === "error") failing ??= { kind: "error", module: snapshot.module, message: mine.message };
    else if (mine.outcome === "not_found") notFound ??= { kind: "not_found", module: snapshot.module, message: mine.message };
    else if (!behind || mine.missingCount > behind.missingCount) {
      behind = { kind: "behind", module: snapshot.module, missingCount: mine.missingCount, latest: mine.latest, referenceLatest };
    }
  }

  const mySamples = isReference ? [] : lags.filter((l) => l.mirror === name);
  const sorted = mySamples.map((l) => l.lagSeconds).sort((a, b) => a - b);
  const slowest = mySamples.reduce<LagSample | null>((worst, l) => (!worst || l.lagSeconds > worst.lagSeconds ? l : worst), null);

  let total = 0;
  let errors = 0;
  for (const o of outcomes) {
    if (o.mirror !== name) continue;
    total += o.count;
    if (o.outcome === "error") errors += o.count;
  }

  return {
    name,
    position,
    isReference,
    inSync: { count: inSync, of },
    lag: isReference ? null : { samples: sorted.length, medianSeconds: nearestRank(sorted, 50), p90Seconds: nearestRank(sorted, 90) },
    answers: { total, errors },
    focus:
      behind ??
      notFound ??
      failing ??
      (slowest && slowest.lagSeconds > 0 ? { kind: "slowest", module: slowest.module, version: slowest.version, lagSeconds: slowest.lagSeconds } : null),
  };
}
