import { describe, expect, it } from "vitest";
import { composeHomeSummary, nearestRank } from "./home-summary";
import type { LagSample, ModuleSnapshot, OutcomeCount } from "./home-summary";

const NOW = new Date("2026-03-08T12:00:00Z");
const MIRRORS = ["cn", "com.cn", "ref"];

type Summary = ModuleSnapshot["summaries"][number];
const ok = (name: string, latest: string, missingCount = 0): Summary => ({
  name,
  isReference: name === "ref",
  outcome: "ok",
  latest,
  missingCount,
  message: null,
});
const failed = (name: string, outcome: "not_found" | "error", message = `${outcome} here`): Summary => ({
  name,
  isReference: name === "ref",
  outcome,
  latest: null,
  missingCount: 0,
  message,
});
let nextCheck = 100;
const snapshot = (module: string, summaries: Summary[], minutesAgo = 5): ModuleSnapshot => ({
  module,
  checkId: nextCheck--,
  at: new Date(NOW.getTime() - minutesAgo * 60_000),
  summaries,
});
const compose = (over: Partial<Parameters<typeof composeHomeSummary>[0]> = {}) =>
  composeHomeSummary({ now: NOW, mirrors: MIRRORS, reference: "ref", recent: [], watched: [], lags: [], outcomes: [], ...over });
const health = (summary: ReturnType<typeof compose>, name: string) => {
  const found = summary.mirrors.find((m) => m.name === name);
  if (!found) throw new Error(`no mirror ${name}`);
  return found;
};

describe("nearestRank", () => {
  it("picks an observed value: the smallest with at least p% at or below it", () => {
    expect(nearestRank([], 50)).toBeNull();
    expect(nearestRank([7], 90)).toBe(7);
    expect(nearestRank([1, 2, 3, 4], 50)).toBe(2);
    expect(nearestRank([1, 2, 3, 4, 5], 50)).toBe(3);
    const ten = [10, 20, 30, 40, 50, 60, 70, 80, 90, 100];
    expect(nearestRank(ten, 90)).toBe(90);
    expect(nearestRank(ten, 91)).toBe(100);
    expect(nearestRank(ten, 100)).toBe(100);
  });
  it("has no floating-point off-by-one (0.07 × 100 is 7.000000000000001 in floats)", () => {
    const hundred = Array.from({ length: 100 }, (_, i) => i + 1);
    expect(nearestRank(hundred, 7)).toBe(7);
    expect(nearestRank(hundred, 90)).toBe(90);
    expect(nearestRank(hundred, 50)).toBe(50);
    const thirty = Array.from({ length: 30 }, (_, i) => i + 1);
    expect(nearestRank(thirty, 90)).toBe(27);
  });
  it("rejects percentiles outside (0, 100]", () => {
    expect(() => nearestRank([1], 0)).toThrow(RangeError);
    expect(() => nearestRank([1], 101)).toThrow(RangeError);
  });
});

describe("composeHomeSummary", () => {
  it("gives each recent module its one-word state and keeps mirrors in configured order", () => {
    const summary = compose({
      recent: [
        snapshot("a.example/synced", [ok("cn", "v1.0.0"), ok("com.cn", "v1.0.0"), ok("ref", "v1.0.0")], 1),
        snapshot("a.example/behind", [ok("cn", "v1.0.0"), ok("com.cn", "v0.9.0", 1), ok("ref", "v1.0.0")], 2),
        snapshot("a.example/gone", [failed("cn", "not_found"), failed("com.cn", "not_found"), failed("ref", "not_found")], 3),
        snapshot("a.example/broken", [failed("cn", "error"), ok("com.cn", "v1.0.0"), ok("ref", "v1.0.0")], 4),
      ],
    });
    expect(summary.recent.map((r) => [r.module, r.state])).toEqual([
      ["a.example/synced", "in_sync"],
      ["a.example/behind", "behind"],
      ["a.example/gone", "not_found"],
      ["a.example/broken", "error"],
    ]);
    expect(summary.recent[0]?.checkedAt).toBe("2026-03-08T11:59:00.000Z");
    expect(summary.mirrors.map((m) => [m.name, m.position, m.isReference])).toEqual([
      ["cn", 0, false],
      ["com.cn", 1, false],
      ["ref", 2, true],
    ]);
  });

  it("counts watched modules in sync per mirror, leaving out modules no mirror has and unjudgeable ones", () => {
    const summary = compose({
      watched: [
        snapshot("w/1", [ok("cn", "v2.0.0"), ok("com.cn", "v2.0.0"), ok("ref", "v2.0.0")]),
        snapshot("w/2", [ok("cn", "v1.1.0"), ok("com.cn", "v1.0.0", 1), ok("ref", "v1.1.0")]),
        snapshot("w/3", [ok("cn", "v3.0.0"), ok("com.cn", "v2.9.0", 4), ok("ref", "v3.0.0")]),
        // Nobody has it: says nothing about any mirror.
        snapshot("w/typo", [failed("cn", "not_found"), failed("com.cn", "not_found"), failed("ref", "not_found")]),
        // The reference failed: the others cannot be compared with it, the reference itself counts as not in sync.
        snapshot("w/ref-down", [ok("cn", "v1.0.0"), ok("com.cn", "v1.0.0"), failed("ref", "error", "502 Bad Gateway")]),
      ],
    });
    expect(summary.watchedCount).toBe(5);
    expect(health(summary, "cn").inSync).toEqual({ count: 3, of: 3 });
    expect(health(summary, "com.cn").inSync).toEqual({ count: 1, of: 3 });
    expect(health(summary, "ref").inSync).toEqual({ count: 3, of: 4 });
    // Furthest behind = most versions missing, not the first one found.
    expect(health(summary, "com.cn").focus).toEqual({ kind: "behind", module: "w/3", missingCount: 4, latest: "v2.9.0", referenceLatest: "v3.0.0" });
    expect(health(summary, "ref").focus).toEqual({ kind: "error", module: "w/ref-down", message: "502 Bad Gateway" });
  });

  it("prefers a module the mirror is behind on, then one it answers 404 for, then one it fails on", () => {
    const summary = compose({
      watched: [
        snapshot("w/err", [failed("cn", "error", "timed out"), ok("com.cn", "v1"), ok("ref", "v1")]),
        snapshot("w/404", [failed("cn", "not_found", "404 Not Found"), ok("com.cn", "v1"), ok("ref", "v1")]),
      ],
    });
    expect(health(summary, "cn").focus).toEqual({ kind: "not_found", module: "w/404", message: "404 Not Found" });
    expect(health(summary, "cn").inSync).toEqual({ count: 0, of: 2 });
  });

  it("reports median and p90 lag by nearest rank per mirror, none for the reference, and the slowest pickup", () => {
    const minutes = [3, 1, 10, 2, 4, 6, 5, 8, 7, 9, 20]; // unsorted on purpose
    const lags: LagSample[] = [
      ...minutes.map((m, i) => ({ mirror: "com.cn", module: `l/${i}`, version: "v1.0.0", lagSeconds: m * 60 })),
      { mirror: "cn", module: "l/x", version: "v0.1.0", lagSeconds: -30 },
      { mirror: "ref", module: "l/ignored", version: "v0.0.1", lagSeconds: 999 },
    ];
    const summary = compose({ lags });
    // 11 values: p50 → rank 6 → 6 min; p90 → rank ceil(9.9) = 10 → 10 min.
    expect(health(summary, "com.cn").lag).toEqual({ samples: 11, medianSeconds: 360, p90Seconds: 600 });
    expect(health(summary, "com.cn").focus).toEqual({ kind: "slowest", module: "l/10", version: "v1.0.0", lagSeconds: 1200 });
    expect(health(summary, "cn").lag).toEqual({ samples: 1, medianSeconds: -30, p90Seconds: -30 });
    // Earlier than the reference is not "slow": no focus to point at.
    expect(health(summary, "cn").focus).toBeNull();
    expect(health(summary, "ref").lag).toBeNull();
  });

  it("says no lag when nothing was measured", () => {
    expect(health(compose(), "cn").lag).toEqual({ samples: 0, medianSeconds: null, p90Seconds: null });
  });

  it("sums live and compacted outcome counts into an error rate per mirror", () => {
    const outcomes: OutcomeCount[] = [
      { mirror: "cn", outcome: "ok", count: 90 },
      { mirror: "cn", outcome: "error", count: 4 },
      { mirror: "cn", outcome: "not_found", count: 2 },
      // The same mirror again from outcome_aggregates.
      { mirror: "cn", outcome: "error", count: 1 },
      { mirror: "cn", outcome: "ok", count: 3 },
      { mirror: "ref", outcome: "ok", count: 10 },
      { mirror: "retired-mirror", outcome: "error", count: 50 },
    ];
    const summary = compose({ outcomes });
    expect(health(summary, "cn").answers).toEqual({ total: 100, errors: 5 });
    expect(health(summary, "com.cn").answers).toEqual({ total: 0, errors: 0 });
    expect(health(summary, "ref").answers).toEqual({ total: 10, errors: 0 });
    expect(summary.mirrors.map((m) => m.name)).not.toContain("retired-mirror");
  });
});
