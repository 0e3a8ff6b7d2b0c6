import type { CheckRef, CheckResult } from "@/lib/store";
import type { LagPoint, MirrorSummary, Timeline, TimelineEvent, VersionCell } from "./derive-timeline";
import { selectTimeline } from "./timeline-pages";
import type { TimelinePageInfo, TimelineSelection } from "./timeline-pages";

/*
 * The JSON shapes of the public API (documented in README). Dates become ISO 8601 strings here, at the edge;
 * pages use the same DTOs so what a permalink shows and what the API answers cannot drift apart.
 */

const iso = (d: Date | null): string | null => (d ? d.toISOString() : null);

/*
 * Thousands of cells, events and lag points share the times of far fewer checks, and every view of a module
 * formats the same check times again: remember the ISO text of recent times (a pure mapping, bounded).
 */
const isoTexts = new Map<number, string>();
const ISO_TEXTS_MAX = 50_000;

function isoOf(d: Date): string {
  const ms = d.getTime();
  let text = isoTexts.get(ms);
  if (text === undefined) {
    if (isoTexts.size >= ISO_TEXTS_MAX) isoTexts.clear();
    isoTexts.set(ms, (text = d.toISOString()));
  }
  return text;
}

export type CheckDto = {
  id: number;
  module: string;
  at: string;
  mirrors: Record<string, { outcome: "ok" | "not_found" | "error"; status: number | null; latencyMs: number; message: string | null }>;
};

export function toCheckDto(check: CheckResult): CheckDto {
  return { id: check.id, module: check.module, at: check.at.toISOString(), mirrors: check.mirrors };
}

export type VersionCellDto = Omit<VersionCell, "firstSeen" | "lastMissing" | "removedAt"> & {
  firstSeen: string | null;
  lastMissing: string | null;
  removedAt: string | null;
};

/** TimelineEvent with ISO times; the discriminant `kind` says which optional fields are set. */
export type TimelineEventDto = {
  kind: TimelineEvent["kind"];
  at: string;
  mirror: string;
  version?: string;
  lastMissing?: string | null;
  lagSeconds?: number | null;
  low?: string;
  high?: string;
  rationale?: string;
  message?: string;
};

function toEventDto(event: TimelineEvent): TimelineEventDto {
  if (event.kind === "version_appeared") return { ...event, at: isoOf(event.at), lastMissing: event.lastMissing ? isoOf(event.lastMissing) : null };
  return { ...event, at: isoOf(event.at) };
}

export type LagPointDto = Omit<LagPoint, "referenceFirstSeen"> & { referenceFirstSeen: string };

export type TimelineDto = {
  module: string;
  reference: string;
  mirrors: string[];
  asOf: { checkId: number; at: string };
  /** True when retention compacted the asOf check's per-mirror answers (see db/sqlite/retention.ts). */
  compacted: boolean;
  /** The most recent checks up to asOf, newest first; `checksUpToAsOf` counts them all. */
  checks: { id: number; at: string }[];
  checksUpToAsOf: number;
  latest: Record<string, string | null>;
  summaries: MirrorSummary[];
  versions: { version: string; time: string | null; mirrors: Record<string, VersionCellDto> }[];
  retractions: { low: string; high: string; rationale: string; mirrors: Record<string, { firstSeen: string | null }> }[];
  deprecated: Record<string, string | null>;
  events: TimelineEventDto[];
  lagPoints: LagPointDto[];
  /** Which slice of the long lists (versions, events, lagPoints) this answer holds; see timeline-pages.ts. */
  page: TimelinePageInfo;
};

/**
 * The answer for one selection (a page, or one version). Everything in it is fixed once asOf is: later checks
 * never change a permalink's answer. Null for a page beyond the last.
 */
export function toTimelineDto(
  timeline: Timeline,
  context: { checks: CheckRef[]; checksUpToAsOf: number },
  selection: TimelineSelection = { page: 1 },
): TimelineDto | null {
  const slice = selectTimeline(timeline, selection);
  if (!slice) return null;
  const isoOnce = (d: Date | null): string | null => (d ? isoOf(d) : null);
  return {
    module: timeline.module,
    reference: timeline.reference,
    mirrors: timeline.mirrors,
    asOf: { checkId: timeline.asOf.id, at: timeline.asOf.at.toISOString() },
    compacted: timeline.compacted,
    checks: context.checks.map((c) => ({ id: c.id, at: c.at.toISOString() })),
    checksUpToAsOf: context.checksUpToAsOf,
    latest: timeline.latest,
    summaries: timeline.summaries,
    versions: slice.versions.map((row) => {
      const mirrors: Record<string, VersionCellDto> = {};
      for (const [mirror, cell] of Object.entries(row.mirrors)) {
        mirrors[mirror] = { ...cell, firstSeen: isoOnce(cell.firstSeen), lastMissing: isoOnce(cell.lastMissing), removedAt: isoOnce(cell.removedAt) };
      }
      return { version: row.version, time: iso(row.time), mirrors };
    }),
    retractions: slice.retractions.map((r) => ({
      low: r.low,
      high: r.high,
      rationale: r.rationale,
      mirrors: Object.fromEntries(Object.entries(r.mirrors).map(([mirror, v]) => [mirror, { firstSeen: iso(v.firstSeen) }])),
    })),
    deprecated: timeline.deprecated,
    events: slice.events.map(toEventDto),
    lagPoints: slice.lagPoints.map((p) => ({ ...p, referenceFirstSeen: isoOf(p.referenceFirstSeen) })),
    page: slice.page,
  };
}

/**
 * The pages loaded so far, as one timeline: their slices joined in order (lag points oldest first, as on a
 * single page). The envelope is the first page's: every page of one `at` carries the same.
 */
export function mergeTimelinePages(pages: TimelineDto[]): TimelineDto | null {
  const [first] = pages;
  if (!first) return null;
  if (pages.length === 1) return first;
  const last = pages[pages.length - 1] ?? first;
  const loaded = (key: "versions" | "events" | "lagPoints") => ({ from: 0, count: pages.reduce((n, p) => n + p.page[key].count, 0), total: first.page[key].total });
  return {
    ...first,
    versions: pages.flatMap((p) => p.versions),
    events: pages.flatMap((p) => p.events),
    lagPoints: [...pages].reverse().flatMap((p) => p.lagPoints),
    page: { number: last.page.number, of: first.page.of, versions: loaded("versions"), events: loaded("events"), lagPoints: loaded("lagPoints") },
  };
}
