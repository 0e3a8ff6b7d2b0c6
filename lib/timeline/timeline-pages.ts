import { isRetracted } from "@/lib/goproxy/browser";
import type { LagPoint, Timeline, TimelineEvent, VersionRow } from "./derive-timeline";

/*
 * Large timelines come in pages, so a 2,000-version module with a year of events is not one 2 MB answer. One
 * page number selects a slice of each long list; everything else (summaries, retractions, checks) is on every
 * page. Pages are slices of one derivation as of one check, so the same `at` and page are the same bytes forever.
 */

export const TIMELINE_PAGE_SIZES = { versions: 60, events: 100, lagPoints: 300 } as const;

/** A page of the whole module, or everything about one version (the version page). */
export type TimelineSelection = { page: number } | { version: string };

export type PageSlice = { from: number; count: number; total: number };

export type TimelinePageInfo = {
  number: number;
  /** How many pages the module has as of this check (at least 1). */
  of: number;
  /** Index of the first item of this page in the full list, how many are here, and how many there are. */
  versions: PageSlice;
  events: PageSlice;
  /** Counted from the newest: page 1 holds the newest points (each page itself in ascending time). */
  lagPoints: PageSlice;
};

export function pageCount(totals: { versions: number; events: number; lagPoints: number }): number {
  const s = TIMELINE_PAGE_SIZES;
  return Math.max(1, Math.ceil(totals.versions / s.versions), Math.ceil(totals.events / s.events), Math.ceil(totals.lagPoints / s.lagPoints));
}

/** Whether the closed interval [low, high] covers a version, in semver order like the go command. */
export function retractionCovers(r: { low: string; high: string }, version: string): boolean {
  return isRetracted(version, [{ low: r.low, high: r.high, rationale: "" }]);
}

export type TimelineSlice = {
  versions: VersionRow[];
  events: TimelineEvent[];
  lagPoints: LagPoint[];
  retractions: Timeline["retractions"];
  page: TimelinePageInfo;
};

/** The slice of a timeline a selection asks for, or null for a page beyond the last. */
export function selectTimeline(timeline: Timeline, selection: TimelineSelection): TimelineSlice | null {
  if ("version" in selection) {
    const { version } = selection;
    const versions = timeline.versions.filter((v) => v.version === version);
    const events = timeline.events.filter((e) => ("version" in e && e.version === version) || (e.kind === "retraction_reached" && retractionCovers(e, version)));
    const lagPoints = timeline.lagPoints.filter((p) => p.version === version);
    const whole = (items: unknown[]): PageSlice => ({ from: 0, count: items.length, total: items.length });
    return {
      versions,
      events,
      lagPoints,
      retractions: timeline.retractions.filter((r) => retractionCovers(r, version)),
      page: { number: 1, of: 1, versions: whole(versions), events: whole(events), lagPoints: whole(lagPoints) },
    };
  }
  const s = TIMELINE_PAGE_SIZES;
  const totals = { versions: timeline.versions.length, events: timeline.events.length, lagPoints: timeline.lagPoints.length };
  const of = pageCount(totals);
  const n = selection.page;
  if (!Number.isInteger(n) || n < 1 || n > of) return null;
  const versionsFrom = Math.min((n - 1) * s.versions, totals.versions);
  const eventsFrom = Math.min((n - 1) * s.events, totals.events);
  // Lag points are in ascending time; page 1 is the newest slice, so slice from the end.
  const lagEnd = Math.max(0, totals.lagPoints - (n - 1) * s.lagPoints);
  const lagStart = Math.max(0, lagEnd - s.lagPoints);
  const versions = timeline.versions.slice(versionsFrom, versionsFrom + s.versions);
  const events = timeline.events.slice(eventsFrom, eventsFrom + s.events);
  const lagPoints = timeline.lagPoints.slice(lagStart, lagEnd);
  return {
    versions,
    events,
    lagPoints,
    retractions: timeline.retractions,
    page: {
      number: n,
      of,
      versions: { from: versionsFrom, count: versions.length, total: totals.versions },
      events: { from: eventsFrom, count: events.length, total: totals.events },
      lagPoints: { from: totals.lagPoints - lagEnd, count: lagPoints.length, total: totals.lagPoints },
    },
  };
}
