import { describe, expect, it } from "vitest";
import type { LagPoint, Timeline, TimelineEvent, VersionRow } from "./derive-timeline";
import { mergeTimelinePages, toTimelineDto } from "./timeline-dto";
import { pageCount, selectTimeline, TIMELINE_PAGE_SIZES } from "./timeline-pages";

const T0 = Date.UTC(2026, 2, 1);
const version = (i: number) => `v1.${Math.floor(i / 100)}.${i % 100}`;

/** A timeline with `n` versions (newest first), `e` events (newest first) and `l` lag points (oldest first). */
function timeline(n: number, e: number, l: number): Timeline {
  const versions: VersionRow[] = Array.from({ length: n }, (_, i) => ({ version: version(n - 1 - i), time: null, mirrors: {} }));
  const events: TimelineEvent[] = Array.from({ length: e }, (_, i) => ({ kind: "version_removed", at: new Date(T0 - i * 1000), mirror: "a", version: version(i % Math.max(1, n)) }));
  const lagPoints: LagPoint[] = Array.from({ length: l }, (_, i) => ({ mirror: "a", version: version(i % Math.max(1, n)), referenceFirstSeen: new Date(T0 + i * 1000), lagSeconds: i, windowSeconds: null }));
  return {
    module: "example.com/m",
    reference: "ref",
    mirrors: ["a", "ref"],
    asOf: { id: 7, at: new Date(T0) },
    compacted: false,
    summaries: [],
    versions,
    retractions: [{ low: version(3), high: version(5), rationale: "bad", mirrors: {} }],
    deprecated: {},
    latest: {},
    events,
    lagPoints,
  };
}
const context = { checks: [{ id: 7, at: new Date(T0) }], checksUpToAsOf: 1 };

describe("timeline pages", () => {
  it("a small timeline is one page holding everything, as before paging", () => {
    const dto = toTimelineDto(timeline(12, 30, 20), context);
    expect(dto?.versions).toHaveLength(12);
    expect(dto?.events).toHaveLength(30);
    expect(dto?.lagPoints).toHaveLength(20);
    expect(dto?.page).toEqual({ number: 1, of: 1, versions: { from: 0, count: 12, total: 12 }, events: { from: 0, count: 30, total: 30 }, lagPoints: { from: 0, count: 20, total: 20 } });
  });

  it("slices versions and events from the newest and lag points from the newest end, the longest list deciding the count", () => {
    const t = timeline(2000, 3025, 2000);
    const of = pageCount({ versions: 2000, events: 3025, lagPoints: 2000 });
    expect(of).toBe(Math.ceil(2000 / TIMELINE_PAGE_SIZES.versions));
    const first = selectTimeline(t, { page: 1 });
    expect(first?.versions[0]?.version).toBe(t.versions[0]?.version);
    expect(first?.lagPoints.at(-1)).toBe(t.lagPoints.at(-1));
    expect(first?.lagPoints).toHaveLength(TIMELINE_PAGE_SIZES.lagPoints);
    const lagPages = Math.ceil(2000 / TIMELINE_PAGE_SIZES.lagPoints);
    const past = selectTimeline(t, { page: lagPages + 1 });
    expect(past?.page.lagPoints).toEqual({ from: 2000, count: 0, total: 2000 });
    expect(past?.page.events.from).toBe(lagPages * TIMELINE_PAGE_SIZES.events);
    expect(selectTimeline(t, { page: of + 1 })).toBeNull();
    expect(selectTimeline(t, { page: 0 })).toBeNull();
  });

  it("merging every page gives back the whole timeline, in the order of one big page", () => {
    const t = timeline(230, 900, 1300);
    const of = pageCount({ versions: 230, events: 900, lagPoints: 1300 });
    const pages = Array.from({ length: of }, (_, i) => toTimelineDto(t, context, { page: i + 1 })!);
    const merged = mergeTimelinePages(pages)!;
    expect(merged.versions.map((v) => v.version)).toEqual(t.versions.map((v) => v.version));
    expect(merged.events.map((e) => e.at)).toEqual(t.events.map((e) => e.at.toISOString()));
    expect(merged.lagPoints.map((p) => p.lagSeconds)).toEqual(t.lagPoints.map((p) => p.lagSeconds));
    expect(merged.page.versions).toEqual({ from: 0, count: 230, total: 230 });
  });

  it("a version's answer holds its row, its events, its lag points and the retractions covering it", () => {
    const t = timeline(10, 40, 10);
    const dto = toTimelineDto(t, context, { version: version(4) })!;
    expect(dto.versions.map((v) => v.version)).toEqual([version(4)]);
    expect(dto.events.every((e) => e.version === version(4))).toBe(true);
    expect(dto.events).toHaveLength(4);
    expect(dto.lagPoints.map((p) => p.version)).toEqual([version(4)]);
    expect(dto.retractions).toHaveLength(1);
    expect(toTimelineDto(t, context, { version: version(8) })!.retractions).toEqual([]);
    expect(toTimelineDto(t, context, { version: "v9.9.9" })!.versions).toEqual([]);
  });
});
