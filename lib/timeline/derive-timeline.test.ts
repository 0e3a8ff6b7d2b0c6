import { describe, expect, it } from "vitest";
import { deriveSummaries, deriveTimeline, lagBetween } from "./derive-timeline";
import type { LagPoint, Timeline, TimelineEvent, VersionCell } from "./derive-timeline";
import type {
  CheckRef,
  GoModHashFact,
  GoModStateFact,
  ListingFact,
  OutcomeFact,
  RetractionFact,
  TimelineFacts,
  VersionTimeFact,
} from "@/lib/store";

/*
 * Pure tests of the timeline derivation: small fact builders, no database. Checks run every ten minutes on
 * 2024-05-01 (check 1 at 10:00 … check 6 at 10:50); `fast` and `slow` are compared with the reference `ref`.
 */

const at = (hhmm: string) => new Date(`2024-05-01T${hhmm}:00.000Z`);
const check = (id: number, hhmm: string): CheckRef => ({ id, at: at(hhmm) });

const CHECKS = [check(1, "10:00"), check(2, "10:10"), check(3, "10:20"), check(4, "10:30"), check(5, "10:40"), check(6, "10:50")];
const MIRRORS = ["fast", "slow", "ref"];

function listing(
  mirror: string,
  version: string,
  from: number,
  { until = null, lastMissing = null }: { until?: number | null; lastMissing?: number | null } = {},
): ListingFact {
  return { mirror, version, fromCheckId: from, untilCheckId: until, lastMissingCheckId: lastMissing };
}

function state(
  mirror: string,
  from: number,
  {
    until = null,
    retractions = [],
    deprecated = null,
    authoritative = null,
  }: { until?: number | null; retractions?: RetractionFact[]; deprecated?: string | null; authoritative?: string | null } = {},
): GoModStateFact {
  return { mirror, fromCheckId: from, untilCheckId: until, authoritativeVersion: authoritative, deprecated, retractions };
}

const retract = (low: string, high = low, rationale = ""): RetractionFact => ({ low, high, rationale });

const hash = (mirror: string, version: string, h1: string, checkId = 1): GoModHashFact => ({ mirror, version, h1, checkId });

function outcome(mirror: string, checkId: number, over: Partial<OutcomeFact> = {}): OutcomeFact {
  return {
    checkId,
    mirror,
    outcome: "ok",
    listOutcome: "ok",
    status: 200,
    latencyMs: 42,
    message: null,
    cacheControl: null,
    age: null,
    latestVersion: null,
    listCount: null,
    requests: 2,
    passive: false,
    ...over,
  };
}

type FactsInput = {
  checks?: CheckRef[];
  /** The asOf check id; default the last check. */
  asOf?: number;
  mirrors?: string[];
  reference?: string;
  /** Overrides of each mirror's outcome in the asOf check; null = the mirror has no outcome in it. */
  answers?: Record<string, Partial<OutcomeFact> | null>;
  /** Replaces the generated asOf outcomes entirely (e.g. outcomes of every check). */
  outcomes?: OutcomeFact[];
  listings?: ListingFact[];
  states?: GoModStateFact[];
  hashes?: GoModHashFact[];
  versionTimes?: VersionTimeFact[];
};

function facts(input: FactsInput = {}): TimelineFacts {
  const checks = input.checks ?? CHECKS;
  const asOfId = input.asOf ?? checks[checks.length - 1]!.id;
  const asOf = checks.find((c) => c.id === asOfId);
  if (!asOf) throw new Error(`no check ${asOfId}`);
  const mirrors = input.mirrors ?? MIRRORS;
  const answers = input.answers ?? {};
  return {
    module: "example.com/mod",
    mirrors,
    reference: input.reference ?? "ref",
    asOf,
    checkTimes: new Map(checks.map((c) => [c.id, c.at])),
    outcomes:
      input.outcomes ??
      mirrors.flatMap((m) => (answers[m] === null ? [] : [outcome(m, asOfId, answers[m] ?? {})])),
    listings: input.listings ?? [],
    gomodStates: input.states ?? [],
    gomodHashes: input.hashes ?? [],
    versionTimes: input.versionTimes ?? [],
  };
}

/** Every derivation in this file also checks that the home page's summaries-only derivation agrees with it. */
const derive = (input: FactsInput = {}) => {
  const f = facts(input);
  const t = deriveTimeline(f);
  expect(deriveSummaries(f)).toEqual(t.summaries);
  return t;
};

function cell(t: Timeline, version: string, mirror: string): VersionCell {
  const row = t.versions.find((v) => v.version === version);
  const c = row?.mirrors[mirror];
  if (!c) throw new Error(`no cell ${version} × ${mirror}`);
  return c;
}

function summary(t: Timeline, mirror: string) {
  const s = t.summaries.find((x) => x.name === mirror);
  if (!s) throw new Error(`no summary for ${mirror}`);
  return s;
}

/** Facts as a database would have returned them had nothing after `asOf` happened yet. */
function truncate(f: TimelineFacts, asOf: CheckRef): TimelineFacts {
  const clip = (until: number | null) => (until !== null && until <= asOf.id ? until : null);
  return {
    ...f,
    asOf,
    checkTimes: new Map([...f.checkTimes].filter(([id]) => id <= asOf.id)),
    outcomes: f.outcomes.filter((o) => o.checkId === asOf.id),
    listings: f.listings.filter((l) => l.fromCheckId <= asOf.id).map((l) => ({ ...l, untilCheckId: clip(l.untilCheckId) })),
    gomodStates: f.gomodStates.filter((s) => s.fromCheckId <= asOf.id).map((s) => ({ ...s, untilCheckId: clip(s.untilCheckId) })),
    gomodHashes: f.gomodHashes.filter((h) => h.checkId <= asOf.id),
  };
}

const R1 = retract("v1.0.1", "v1.0.1", "broken build");
const R2 = retract("v1.1.0", "v1.1.0", "leaks credentials");
const DEPRECATED = "Deprecated: use example.com/mod/v2 instead.";

/**
 * Six checks of one module:
 * - v1.0.0 and v1.0.1 were on every mirror at our first look; `fast` dropped v1.0.1 at check 3 (retracted).
 * - v1.1.0 appeared on ref and fast at check 2, on slow at check 4.
 * - v1.2.0 appeared on ref and fast at check 5; slow never got it.
 * - ref and fast: go.mod of v1.1.0 (retracts v1.0.1) from check 2, of v1.2.0 (also retracts v1.1.0, deprecated)
 *   from check 5; slow: v1.1.0's go.mod from check 4.
 */
function history(over: FactsInput = {}): TimelineFacts {
  return facts({
    listings: [
      listing("ref", "v1.0.0", 1),
      listing("fast", "v1.0.0", 1),
      listing("slow", "v1.0.0", 1),
      listing("ref", "v1.0.1", 1),
      listing("fast", "v1.0.1", 1, { until: 3 }),
      listing("slow", "v1.0.1", 1),
      listing("ref", "v1.1.0", 2, { lastMissing: 1 }),
      listing("fast", "v1.1.0", 2, { lastMissing: 1 }),
      listing("slow", "v1.1.0", 4, { lastMissing: 3 }),
      listing("ref", "v1.2.0", 5, { lastMissing: 4 }),
      listing("fast", "v1.2.0", 5, { lastMissing: 4 }),
    ],
    states: [
      state("ref", 1, { until: 2, authoritative: "v1.0.1" }),
      state("ref", 2, { until: 5, authoritative: "v1.1.0", retractions: [R1] }),
      state("ref", 5, { authoritative: "v1.2.0", retractions: [R1, R2], deprecated: DEPRECATED }),
      state("fast", 1, { until: 2, authoritative: "v1.0.1" }),
      state("fast", 2, { until: 5, authoritative: "v1.1.0", retractions: [R1] }),
      state("fast", 5, { authoritative: "v1.2.0", retractions: [R1, R2], deprecated: DEPRECATED }),
      state("slow", 1, { until: 4, authoritative: "v1.0.1" }),
      state("slow", 4, { authoritative: "v1.1.0", retractions: [R1] }),
    ],
    hashes: [
      hash("ref", "v1.0.1", "h1:A", 1),
      hash("fast", "v1.0.1", "h1:A", 1),
      hash("slow", "v1.0.1", "h1:A", 1),
      hash("ref", "v1.1.0", "h1:B", 2),
      hash("fast", "v1.1.0", "h1:B", 2),
      hash("slow", "v1.1.0", "h1:B", 4),
      hash("ref", "v1.2.0", "h1:C", 5),
      hash("fast", "v1.2.0", "h1:C", 5),
    ],
    versionTimes: [
      { version: "v1.0.0", time: at("08:00") },
      { version: "v1.1.0", time: at("10:05") },
      { version: "v1.2.0", time: null },
    ],
    outcomes: CHECKS.flatMap((c) => MIRRORS.map((m) => outcome(m, c.id))),
    ...over,
  });
}

describe("deriveTimeline: version states", () => {
  it("is present where the mirror lists the version and missing where it answered without it", () => {
    const t = derive({ asOf: 4, listings: [listing("ref", "v1.0.0", 1), listing("fast", "v1.0.0", 1)] });
    expect(cell(t, "v1.0.0", "fast").state).toBe("present");
    expect(cell(t, "v1.0.0", "ref").state).toBe("present");
    expect(cell(t, "v1.0.0", "slow")).toEqual({
      state: "missing",
      firstSeen: null,
      lastMissing: null,
      lagSeconds: null,
      removedAt: null,
      retracted: false,
      rationale: null,
      h1: null,
      h1Agrees: null,
    });
  });

  it("is not_found for every version when the mirror's list answered 404/410, even with intervals still open", () => {
    const t = derive({
      asOf: 3,
      answers: { slow: { outcome: "not_found", listOutcome: "not_found", status: 410, message: "gone: module retracted upstream" } },
      listings: [listing("ref", "v1.0.0", 1), listing("slow", "v1.0.0", 1), listing("ref", "v1.1.0", 2, { lastMissing: 1 })],
    });
    expect(cell(t, "v1.0.0", "slow").state).toBe("not_found");
    expect(cell(t, "v1.1.0", "slow").state).toBe("not_found");
    expect(cell(t, "v1.0.0", "slow").firstSeen).toEqual(at("10:00"));
    expect(summary(t, "slow")).toMatchObject({
      outcome: "not_found",
      listOutcome: "not_found",
      status: 410,
      message: "gone: module retracted upstream",
      listedCount: 0,
      missingCount: 0,
      latest: null,
    });
  });

  it("is error when the mirror's list failed, whatever the listings say", () => {
    const t = derive({
      asOf: 2,
      answers: { fast: { outcome: "error", listOutcome: "error", status: null, message: "timeout after 5000ms", latencyMs: 5000 } },
      listings: [listing("ref", "v1.0.0", 1), listing("fast", "v1.0.0", 1)],
    });
    expect(cell(t, "v1.0.0", "fast").state).toBe("error");
    expect(summary(t, "fast")).toMatchObject({ outcome: "error", listOutcome: "error", status: null, latencyMs: 5000, latest: null, listedCount: 0 });
  });

  it("follows the list outcome, not the overall outcome (a failed @latest still leaves the list usable)", () => {
    const t = derive({ answers: { fast: { outcome: "error", listOutcome: "ok" } }, listings: [listing("fast", "v1.0.0", 1)] });
    expect(cell(t, "v1.0.0", "fast").state).toBe("present");
    expect(summary(t, "fast")).toMatchObject({ outcome: "error", listOutcome: "ok", listedCount: 1 });
  });

  it("is not_asked for a mirror with no outcome in the asOf check (an outcome of another check does not count)", () => {
    const t = derive({
      asOf: 3,
      outcomes: [outcome("fast", 3), outcome("ref", 3), outcome("slow", 2), outcome("slow", 4)],
      listings: [listing("ref", "v1.0.0", 1), listing("slow", "v1.0.0", 1), listing("fast", "v1.0.0", 1)],
    });
    // Every check asks every mirror configured then: no outcome means it was not configured yet (issue 6/11).
    expect(cell(t, "v1.0.0", "slow").state).toBe("not_asked");
    expect(cell(t, "v1.0.0", "fast").state).toBe("present");
    expect(summary(t, "slow")).toEqual({
      name: "slow",
      isReference: false,
      outcome: "not_asked",
      listOutcome: "not_asked",
      status: null,
      latencyMs: null,
      message: null,
      cacheControl: null,
      age: null,
      finalUrl: null,
      passive: false,
      requests: null,
      latest: null,
      latestAnswer: null,
      authoritativeVersion: null,
      deprecated: null,
      listedCount: 0,
      missingCount: 0,
      hashAgreement: "unknown",
    });
  });

  it("passes the module, mirrors, reference and asOf through and copies the outcome's details", () => {
    const t = derive({
      asOf: 2,
      answers: { ref: { cacheControl: "max-age=60", age: 12, passive: true, requests: 3, latencyMs: 7, latestVersion: "v1.0.0" } },
      listings: [listing("ref", "v1.0.0", 1)],
    });
    expect(t.module).toBe("example.com/mod");
    expect(t.reference).toBe("ref");
    expect(t.mirrors).toEqual(["fast", "slow", "ref"]);
    expect(t.asOf).toEqual(check(2, "10:10"));
    expect(t.summaries.map((s) => [s.name, s.isReference])).toEqual([
      ["fast", false],
      ["slow", false],
      ["ref", true],
    ]);
    expect(summary(t, "ref")).toMatchObject({
      cacheControl: "max-age=60",
      age: 12,
      passive: true,
      requests: 3,
      latencyMs: 7,
      latestAnswer: "v1.0.0",
      listedCount: 1,
      missingCount: 0,
    });
    // The reference's versions the others do not list.
    expect(summary(t, "fast").missingCount).toBe(1);
    expect(summary(t, "slow").missingCount).toBe(1);
  });

  it("derives an empty timeline from no facts", () => {
    const t = derive();
    expect(t.versions).toEqual([]);
    expect(t.retractions).toEqual([]);
    expect(t.events).toEqual([]);
    expect(t.lagPoints).toEqual([]);
    expect(t.latest).toEqual({ fast: null, slow: null, ref: null });
    expect(t.deprecated).toEqual({ fast: null, slow: null, ref: null });
  });
});

describe("deriveTimeline: firstSeen, lastMissing and lag", () => {
  it("measures lag against the reference's first appearance: zero, positive and null for the reference", () => {
    const t = derive({
      asOf: 4,
      listings: [
        listing("ref", "v1.1.0", 2, { lastMissing: 1 }),
        listing("fast", "v1.1.0", 2, { lastMissing: 1 }),
        listing("slow", "v1.1.0", 4, { lastMissing: 3 }),
      ],
    });
    expect(cell(t, "v1.1.0", "ref")).toMatchObject({ firstSeen: at("10:10"), lastMissing: at("10:00"), lagSeconds: null });
    expect(cell(t, "v1.1.0", "fast")).toMatchObject({ firstSeen: at("10:10"), lastMissing: at("10:00"), lagSeconds: 0 });
    expect(cell(t, "v1.1.0", "slow")).toMatchObject({ firstSeen: at("10:30"), lastMissing: at("10:20"), lagSeconds: 1200 });
  });

  it("is negative when a mirror got the version before the reference", () => {
    const t = derive({
      listings: [listing("fast", "v1.1.0", 2, { lastMissing: 1 }), listing("ref", "v1.1.0", 5, { lastMissing: 4 })],
    });
    expect(cell(t, "v1.1.0", "fast").lagSeconds).toBe(-1800);
  });

  it("is null when both were already listing the version when we first looked", () => {
    const t = derive({ listings: [listing("ref", "v1.0.0", 1), listing("fast", "v1.0.0", 1), listing("slow", "v1.0.0", 3)] });
    expect(cell(t, "v1.0.0", "fast")).toMatchObject({ firstSeen: at("10:00"), lastMissing: null, lagSeconds: null });
    // slow's first answer came later, but it too was listing the version when it first answered.
    expect(cell(t, "v1.0.0", "slow")).toMatchObject({ firstSeen: at("10:20"), lastMissing: null, lagSeconds: null });
  });

  it("is a lower bound when only one side was observed picking the version up", () => {
    const t = derive({
      listings: [
        // The reference had v1.0.0 at our first look; slow was seen to pick it up at check 3: at least 20 min late.
        listing("ref", "v1.0.0", 1),
        listing("slow", "v1.0.0", 3, { lastMissing: 2 }),
        // fast had v1.1.0 at our first look; the reference was seen to pick it up at check 4: fast was at least 30 min early.
        listing("fast", "v1.1.0", 1),
        listing("ref", "v1.1.0", 4, { lastMissing: 3 }),
      ],
    });
    expect(cell(t, "v1.0.0", "slow").lagSeconds).toBe(1200);
    expect(cell(t, "v1.1.0", "fast").lagSeconds).toBe(-1800);
  });

  it("is null when the side listed at first look was first looked at too late to bound anything", () => {
    const t = derive({
      listings: [
        // ref picked v1.1.0 up at check 2; slow answered for the first time at check 5, already listing it:
        // slow may have had it long before ref, so "30 min late" would be made up.
        listing("ref", "v1.1.0", 2, { lastMissing: 1 }),
        listing("slow", "v1.1.0", 5),
        // fast picked v1.2.0 up at check 2; the reference first answered at check 5, already listing it.
        listing("fast", "v1.2.0", 2, { lastMissing: 1 }),
        listing("ref", "v1.2.0", 5),
      ],
    });
    expect(cell(t, "v1.1.0", "slow").lagSeconds).toBeNull();
    expect(cell(t, "v1.2.0", "fast").lagSeconds).toBeNull();
  });

  it("is null when the reference never listed the version", () => {
    const t = derive({ listings: [listing("fast", "v1.1.0", 2, { lastMissing: 1 }), listing("slow", "v1.1.0", 3, { lastMissing: 2 })] });
    expect(cell(t, "v1.1.0", "fast")).toMatchObject({ state: "present", lagSeconds: null });
    expect(cell(t, "v1.1.0", "slow")).toMatchObject({ state: "present", lagSeconds: null });
    expect(cell(t, "v1.1.0", "ref")).toMatchObject({ state: "missing", firstSeen: null, lagSeconds: null });
    expect(t.lagPoints).toEqual([]);
  });

  it("honours a different reference mirror", () => {
    const t = derive({
      reference: "fast",
      listings: [listing("fast", "v1.1.0", 2, { lastMissing: 1 }), listing("ref", "v1.1.0", 3, { lastMissing: 2 })],
    });
    expect(cell(t, "v1.1.0", "fast").lagSeconds).toBeNull();
    expect(cell(t, "v1.1.0", "ref").lagSeconds).toBe(600);
    expect(summary(t, "fast").isReference).toBe(true);
  });
});

describe("lagBetween", () => {
  const times = new Map(CHECKS.map((c) => [c.id, c.at]));
  const timeOf = (id: number | null) => (id === null ? null : (times.get(id) ?? null));

  it("subtracts the reference's firstSeen from the mirror's, in whole seconds", () => {
    expect(lagBetween(listing("slow", "v1", 4, { lastMissing: 3 }), listing("ref", "v1", 2, { lastMissing: 1 }), timeOf)).toBe(1200);
    expect(lagBetween(listing("fast", "v1", 2, { lastMissing: 1 }), listing("ref", "v1", 4, { lastMissing: 3 }), timeOf)).toBe(-1200);
    expect(lagBetween(listing("fast", "v1", 2, { lastMissing: 1 }), listing("ref", "v1", 2, { lastMissing: 1 }), timeOf)).toBe(0);
    const odd = new Map([
      [1, new Date("2024-05-01T10:00:00.000Z")],
      [2, new Date("2024-05-01T10:00:01.600Z")],
    ]);
    expect(lagBetween(listing("m", "v1", 2, { lastMissing: 1 }), listing("ref", "v1", 1), (id) => (id === null ? null : (odd.get(id) ?? null)))).toBe(2);
  });

  it("is null when neither pickup was observed, or a check time is unknown", () => {
    expect(lagBetween(listing("fast", "v1", 1), listing("ref", "v1", 3), timeOf)).toBeNull();
    expect(lagBetween(listing("fast", "v1", 9, { lastMissing: 8 }), listing("ref", "v1", 1), timeOf)).toBeNull();
  });

  it("bounds the lag from one side only when exactly one pickup was observed", () => {
    // Reference there at first look: the mirror is at least this late (>= 0), never "early".
    expect(lagBetween(listing("slow", "v1", 3, { lastMissing: 2 }), listing("ref", "v1", 1), timeOf)).toBe(1200);
    expect(lagBetween(listing("slow", "v1", 2, { lastMissing: 1 }), listing("ref", "v1", 3), timeOf)).toBeNull();
    // Mirror there at first look: it is at least this early (<= 0), never "late".
    expect(lagBetween(listing("fast", "v1", 1), listing("ref", "v1", 3, { lastMissing: 2 }), timeOf)).toBe(-1200);
    expect(lagBetween(listing("fast", "v1", 3), listing("ref", "v1", 3, { lastMissing: 2 }), timeOf)).toBe(0);
    expect(lagBetween(listing("fast", "v1", 4), listing("ref", "v1", 2, { lastMissing: 1 }), timeOf)).toBeNull();
  });
});

describe("deriveTimeline: version rows", () => {
  it("sorts versions newest first by semver: +incompatible majors on top, pre-releases below their release", () => {
    const versions = ["v1.2.0", "v1.10.0-rc.1", "v0.9.0", "v1.10.0", "v2.0.0+incompatible", "v1.10.0-beta.2", "v1.10.0-rc.10", "v1.9.9"];
    const t = derive({ listings: versions.map((v) => listing("ref", v, 1)) });
    expect(t.versions.map((v) => v.version)).toEqual([
      "v2.0.0+incompatible",
      "v1.10.0",
      "v1.10.0-rc.10",
      "v1.10.0-rc.1",
      "v1.10.0-beta.2",
      "v1.9.9",
      "v1.2.0",
      "v0.9.0",
    ]);
  });

  it("has one row per version any mirror listed, with a cell for every configured mirror in order, and the version's time", () => {
    const t = derive({
      listings: [listing("slow", "v1.0.0", 1), listing("fast", "v1.1.0", 2, { lastMissing: 1 })],
      versionTimes: [
        { version: "v1.0.0", time: at("08:00") },
        { version: "v9.9.9", time: at("09:00") },
      ],
    });
    expect(t.versions.map((v) => [v.version, v.time, Object.keys(v.mirrors)])).toEqual([
      ["v1.1.0", null, ["fast", "slow", "ref"]],
      ["v1.0.0", at("08:00"), ["fast", "slow", "ref"]],
    ]);
  });

  it("keeps a removed version as missing with removedAt; a re-listed one keeps its first appearance", () => {
    const listings = [
      listing("ref", "v1.0.0", 1),
      listing("fast", "v1.0.0", 1, { until: 3 }),
      listing("fast", "v1.0.0", 5, { lastMissing: 4 }),
      listing("slow", "v1.0.0", 2, { lastMissing: 1, until: 4 }),
    ];
    const removed = derive({ asOf: 4, listings });
    expect(cell(removed, "v1.0.0", "fast")).toMatchObject({ state: "missing", firstSeen: at("10:00"), lastMissing: null, removedAt: at("10:20") });
    expect(cell(removed, "v1.0.0", "slow")).toMatchObject({ state: "missing", firstSeen: at("10:10"), lastMissing: at("10:00"), removedAt: at("10:30") });
    expect(summary(removed, "fast")).toMatchObject({ listedCount: 0, missingCount: 1 });

    const relisted = derive({ asOf: 6, listings });
    expect(cell(relisted, "v1.0.0", "fast")).toMatchObject({ state: "present", firstSeen: at("10:00"), lastMissing: null, removedAt: null });
    expect(summary(relisted, "fast")).toMatchObject({ listedCount: 1, missingCount: 0 });
  });

  it("reports the latest removal of a version removed twice", () => {
    const t = derive({
      asOf: 6,
      listings: [
        listing("ref", "v1.0.0", 1),
        listing("fast", "v1.0.0", 1, { until: 2 }),
        listing("fast", "v1.0.0", 3, { lastMissing: 2, until: 5 }),
      ],
    });
    expect(cell(t, "v1.0.0", "fast")).toMatchObject({ state: "missing", firstSeen: at("10:00"), removedAt: at("10:40") });
  });

  it("uses the first appearance for lag even after a removal and re-listing", () => {
    const t = derive({
      listings: [
        listing("ref", "v1.1.0", 2, { lastMissing: 1 }),
        listing("slow", "v1.1.0", 3, { lastMissing: 2, until: 4 }),
        listing("slow", "v1.1.0", 6, { lastMissing: 5 }),
      ],
    });
    expect(cell(t, "v1.1.0", "slow")).toMatchObject({ state: "present", firstSeen: at("10:20"), lastMissing: at("10:10"), lagSeconds: 600 });
  });
});

describe("deriveTimeline: asOf in the past", () => {
  it("ignores listings that start after asOf and treats intervals closed after it as open", () => {
    const t = deriveTimeline(history({ asOf: 2 }));
    expect(t.versions.map((v) => v.version)).toEqual(["v1.1.0", "v1.0.1", "v1.0.0"]);
    // fast dropped v1.0.1 at check 3: as of check 2 it still listed it.
    expect(cell(t, "v1.0.1", "fast")).toMatchObject({ state: "present", removedAt: null });
    expect(cell(t, "v1.1.0", "slow")).toMatchObject({ state: "missing", firstSeen: null, lagSeconds: null });
    expect(summary(t, "slow")).toMatchObject({ listedCount: 2, missingCount: 1 });
  });

  it("uses the go.mod state current at asOf, even one that was replaced later", () => {
    const t = deriveTimeline(history({ asOf: 4 }));
    expect(summary(t, "ref")).toMatchObject({ authoritativeVersion: "v1.1.0", deprecated: null });
    expect(cell(t, "v1.1.0", "ref")).toMatchObject({ retracted: false, rationale: null });
    expect(cell(t, "v1.0.1", "ref")).toMatchObject({ retracted: true, rationale: "broken build" });
    expect(t.deprecated).toEqual({ fast: null, slow: null, ref: null });
  });

  it("takes states only from the asOf check's outcomes", () => {
    const base = history();
    const outcomes = base.outcomes.map((o) => (o.mirror === "slow" && o.checkId === 6 ? { ...o, outcome: "error" as const, listOutcome: "error" as const } : o));
    const at5 = deriveTimeline({ ...base, outcomes, asOf: check(5, "10:40") });
    const at6 = deriveTimeline({ ...base, outcomes });
    expect(cell(at5, "v1.1.0", "slow").state).toBe("present");
    expect(summary(at5, "slow").outcome).toBe("ok");
    expect(cell(at6, "v1.1.0", "slow").state).toBe("error");
    expect(summary(at6, "slow")).toMatchObject({ outcome: "error", latest: null });
  });

  it("ignores hashes fetched after asOf", () => {
    const t = deriveTimeline(history({ asOf: 3 }));
    expect(cell(t, "v1.1.0", "slow")).toMatchObject({ h1: null, h1Agrees: null });
    expect(cell(t, "v1.1.0", "fast")).toMatchObject({ h1: "h1:B", h1Agrees: true });
  });

  it.each(CHECKS.map((c) => [c.id, c] as const))("as of check %i equals deriving from facts truncated to it", (_id, asOf) => {
    const full = history();
    expect(deriveTimeline({ ...full, asOf })).toEqual(deriveTimeline(truncate(full, asOf)));
  });

  it("is unchanged by facts of later checks", () => {
    const asOf = check(3, "10:20");
    const more = history();
    more.listings.push(listing("slow", "v1.0.1", 1, { until: 6 }), listing("ref", "v1.3.0", 6, { lastMissing: 5 }));
    more.gomodStates.push(state("slow", 6, { retractions: [retract("v1.0.0")] }));
    more.gomodHashes.push(hash("slow", "v1.0.1", "h1:EVIL", 6));
    expect(deriveTimeline({ ...more, asOf })).toEqual(deriveTimeline({ ...history(), asOf }));
  });
});

describe("deriveTimeline: retractions", () => {
  it("marks versions retracted by each mirror's own current go.mod", () => {
    const t = derive({
      listings: ["v1.0.0", "v1.0.1", "v1.0.2", "v1.1.0"].flatMap((v) => MIRRORS.map((m) => listing(m, v, 1))),
      states: [
        state("fast", 1, { retractions: [retract("v1.0.1", "v1.0.1", "broken")] }),
        state("slow", 1),
        state("ref", 1, { retractions: [retract("v1.0.0", "v1.0.2", "bad range"), retract("v1.0.1", "v1.0.1", "broken")] }),
      ],
    });
    const retracted = (m: string) => t.versions.map((v) => [v.version, v.mirrors[m]?.retracted, v.mirrors[m]?.rationale]);
    expect(retracted("fast")).toEqual([
      ["v1.1.0", false, null],
      ["v1.0.2", false, null],
      ["v1.0.1", true, "broken"],
      ["v1.0.0", false, null],
    ]);
    expect(retracted("slow")).toEqual([
      ["v1.1.0", false, null],
      ["v1.0.2", false, null],
      ["v1.0.1", false, null],
      ["v1.0.0", false, null],
    ]);
    // The first interval in file order that contains the version gives the rationale.
    expect(retracted("ref")).toEqual([
      ["v1.1.0", false, null],
      ["v1.0.2", true, "bad range"],
      ["v1.0.1", true, "bad range"],
      ["v1.0.0", true, "bad range"],
    ]);
  });

  it("marks a version retracted on a mirror that does not list it", () => {
    const t = derive({
      listings: [listing("ref", "v1.0.1", 1)],
      states: [state("fast", 1, { retractions: [retract("v1.0.1", "v1.0.1", "oops")] })],
    });
    expect(cell(t, "v1.0.1", "fast")).toMatchObject({ state: "missing", retracted: true, rationale: "oops" });
    expect(cell(t, "v1.0.1", "ref")).toMatchObject({ state: "present", retracted: false });
  });

  it("lists each retraction any mirror currently declares, newest first, with when each mirror first served it", () => {
    const t = deriveTimeline(history());
    expect(t.retractions).toEqual([
      { ...R2, mirrors: { fast: { firstSeen: at("10:40") }, slow: { firstSeen: null }, ref: { firstSeen: at("10:40") } } },
      // ref and fast kept R1 across their go.mod change at check 5: it counts from check 2.
      { ...R1, mirrors: { fast: { firstSeen: at("10:10") }, slow: { firstSeen: at("10:30") }, ref: { firstSeen: at("10:10") } } },
    ]);
  });

  it("sorts retraction rows by high then low, newest first", () => {
    const t = derive({
      states: [
        state("ref", 1, {
          retractions: [retract("v1.0.0"), retract("v1.0.0", "v1.2.0"), retract("v1.1.0", "v1.2.0"), retract("v2.0.0-rc.1", "v2.0.0-rc.1")],
        }),
      ],
    });
    expect(t.retractions.map((r) => [r.low, r.high])).toEqual([
      ["v2.0.0-rc.1", "v2.0.0-rc.1"],
      ["v1.1.0", "v1.2.0"],
      ["v1.0.0", "v1.2.0"],
      ["v1.0.0", "v1.0.0"],
    ]);
  });

  it("counts a retraction removed and re-added from its latest unbroken run", () => {
    const r = retract("v1.0.0", "v1.0.0", "bad");
    const t = derive({
      states: [
        state("ref", 1, { until: 3, retractions: [r] }),
        state("ref", 3, { until: 5, retractions: [] }),
        state("ref", 5, { retractions: [r] }),
        // fast had it once and lost it: not seen there now.
        state("fast", 1, { until: 4, retractions: [r] }),
        state("fast", 4, { retractions: [] }),
      ],
    });
    expect(t.retractions).toEqual([{ ...r, mirrors: { fast: { firstSeen: null }, slow: { firstSeen: null }, ref: { firstSeen: at("10:40") } } }]);
  });

  it("drops a retraction no mirror declares as of the check", () => {
    const t = derive({ states: [state("ref", 1, { until: 3, retractions: [retract("v1.0.0")] }), state("ref", 3)] });
    expect(t.retractions).toEqual([]);
  });
});

describe("deriveTimeline: latest per mirror", () => {
  it("resolves `go get M@latest` from each mirror's list and its own retractions", () => {
    const t = deriveTimeline(history());
    expect(t.latest).toEqual({ fast: "v1.2.0", slow: "v1.1.0", ref: "v1.2.0" });
    expect(t.summaries.map((s) => [s.name, s.latest, s.authoritativeVersion])).toEqual([
      ["fast", "v1.2.0", "v1.2.0"],
      ["slow", "v1.1.0", "v1.1.0"],
      ["ref", "v1.2.0", "v1.2.0"],
    ]);
  });

  it("skips retracted versions, prefers releases over pre-releases and ignores +incompatible above a module-aware version", () => {
    const t = derive({
      listings: [
        ...["v1.0.0", "v1.1.0", "v1.2.0-rc.1"].map((v) => listing("fast", v, 1)),
        ...["v1.0.0-rc.1", "v1.0.0-rc.2"].map((v) => listing("slow", v, 1)),
        ...["v1.0.0", "v2.0.0+incompatible"].map((v) => listing("ref", v, 1)),
      ],
      states: [state("fast", 1, { retractions: [retract("v1.1.0")] }), state("slow", 1, { retractions: [retract("v1.0.0-rc.2")] })],
    });
    expect(t.latest).toEqual({ fast: "v1.0.0", slow: "v1.0.0-rc.1", ref: "v1.0.0" });
  });

  it("falls back to the @latest answer when every listed version is retracted, and to null when that is retracted too", () => {
    const pseudo = "v0.0.0-20240501100000-abcdefabcdef";
    const t = derive({
      answers: { fast: { latestVersion: pseudo }, slow: { latestVersion: "v1.1.0" }, ref: { latestVersion: null } },
      listings: ["v1.0.0", "v1.1.0"].flatMap((v) => MIRRORS.map((m) => listing(m, v, 1))),
      states: MIRRORS.map((m) => state(m, 1, { retractions: [retract("v1.0.0", "v1.1.0", "all bad")] })),
    });
    expect(t.latest).toEqual({ fast: pseudo, slow: null, ref: null });
    expect(summary(t, "slow").latestAnswer).toBe("v1.1.0");
  });

  it("uses the @latest answer alone when the list was not usable, and is null when nothing was answered", () => {
    const t = derive({
      answers: {
        fast: { listOutcome: "not_found", latestVersion: "v1.0.0" },
        slow: { outcome: "error", listOutcome: "error", latestVersion: null },
      },
      listings: MIRRORS.map((m) => listing(m, "v1.1.0", 1)),
    });
    expect(t.latest).toEqual({ fast: "v1.0.0", slow: null, ref: "v1.1.0" });
  });

  it("only counts versions listed as of the check", () => {
    const t = derive({ asOf: 4, listings: [listing("ref", "v1.0.0", 1), listing("ref", "v1.1.0", 1, { until: 3 }), listing("ref", "v1.2.0", 5)] });
    expect(t.latest.ref).toBe("v1.0.0");
  });
});

describe("deriveTimeline: deprecation", () => {
  it("reports each mirror's current deprecation", () => {
    const t = derive({
      asOf: 4,
      states: [
        state("fast", 1, { deprecated: "Deprecated: old", until: 3 }),
        state("fast", 3, { authoritative: "v1.1.0" }),
        state("slow", 2, { deprecated: "Deprecated: use v2", authoritative: "v1.1.0" }),
        state("ref", 2, { deprecated: "Deprecated: use v2", until: 5 }),
        state("ref", 5),
      ],
    });
    expect(t.deprecated).toEqual({ fast: null, slow: "Deprecated: use v2", ref: "Deprecated: use v2" });
    expect(summary(t, "slow")).toMatchObject({ deprecated: "Deprecated: use v2", authoritativeVersion: "v1.1.0" });
    expect(deriveTimeline({ ...facts({ states: [state("ref", 2, { deprecated: "x", until: 5 }), state("ref", 5)] }) }).deprecated.ref).toBeNull();
  });
});

describe("deriveTimeline: go.mod hash agreement", () => {
  it("agrees, disagrees or is unknown per mirror, and per cell", () => {
    const t = derive({
      listings: ["v1.0.0", "v1.1.0", "v1.2.0"].flatMap((v) => MIRRORS.map((m) => listing(m, v, 1))),
      hashes: [
        hash("fast", "v1.0.0", "h1:same"),
        hash("ref", "v1.0.0", "h1:same"),
        hash("slow", "v1.0.0", "h1:same"),
        hash("fast", "v1.1.0", "h1:tampered", 2),
        hash("ref", "v1.1.0", "h1:real", 2),
        hash("slow", "v1.2.0", "h1:only", 3),
      ],
    });
    expect(t.summaries.map((s) => [s.name, s.hashAgreement])).toEqual([
      ["fast", "disagree"],
      ["slow", "agree"],
      ["ref", "disagree"],
    ]);
    const cells = (v: string) => MIRRORS.map((m) => [cell(t, v, m).h1, cell(t, v, m).h1Agrees]);
    expect(cells("v1.0.0")).toEqual([
      ["h1:same", true],
      ["h1:same", true],
      ["h1:same", true],
    ]);
    expect(cells("v1.1.0")).toEqual([
      ["h1:tampered", false],
      [null, null],
      ["h1:real", false],
    ]);
    // Nothing to compare with.
    expect(cells("v1.2.0")).toEqual([
      [null, null],
      ["h1:only", null],
      [null, null],
    ]);
  });

  it("does not agree with everyone when one of three differs", () => {
    const t = derive({
      listings: MIRRORS.map((m) => listing(m, "v1.0.0", 1)),
      hashes: [hash("fast", "v1.0.0", "h1:A"), hash("slow", "v1.0.0", "h1:A"), hash("ref", "v1.0.0", "h1:B")],
    });
    expect(MIRRORS.map((m) => cell(t, "v1.0.0", m).h1Agrees)).toEqual([false, false, false]);
    expect(t.summaries.map((s) => s.hashAgreement)).toEqual(["disagree", "disagree", "disagree"]);
  });

  it("is unknown for a mirror with hashes only for versions no other mirror hashed", () => {
    const t = derive({ hashes: [hash("fast", "v1.0.0", "h1:A"), hash("ref", "v1.1.0", "h1:B")] });
    expect(t.summaries.map((s) => s.hashAgreement)).toEqual(["unknown", "unknown", "unknown"]);
  });
});

describe("deriveTimeline: events", () => {
  it("lists what happened, newest first, mirrors in configured order within one check", () => {
    const t = deriveTimeline(history());
    expect(t.events).toEqual<TimelineEvent[]>([
      { kind: "version_appeared", at: at("10:40"), mirror: "fast", version: "v1.2.0", lastMissing: at("10:30"), lagSeconds: 0 },
      { kind: "retraction_reached", at: at("10:40"), mirror: "fast", ...R2 },
      { kind: "deprecation_reached", at: at("10:40"), mirror: "fast", message: DEPRECATED },
      { kind: "version_appeared", at: at("10:40"), mirror: "ref", version: "v1.2.0", lastMissing: at("10:30"), lagSeconds: null },
      { kind: "retraction_reached", at: at("10:40"), mirror: "ref", ...R2 },
      { kind: "deprecation_reached", at: at("10:40"), mirror: "ref", message: DEPRECATED },
      { kind: "version_appeared", at: at("10:30"), mirror: "slow", version: "v1.1.0", lastMissing: at("10:20"), lagSeconds: 1200 },
      { kind: "retraction_reached", at: at("10:30"), mirror: "slow", ...R1 },
      { kind: "version_removed", at: at("10:20"), mirror: "fast", version: "v1.0.1" },
      { kind: "version_appeared", at: at("10:10"), mirror: "fast", version: "v1.1.0", lastMissing: at("10:00"), lagSeconds: 0 },
      { kind: "retraction_reached", at: at("10:10"), mirror: "fast", ...R1 },
      { kind: "version_appeared", at: at("10:10"), mirror: "ref", version: "v1.1.0", lastMissing: at("10:00"), lagSeconds: null },
      { kind: "retraction_reached", at: at("10:10"), mirror: "ref", ...R1 },
    ]);
  });

  it("has only what happened up to asOf", () => {
    const t = deriveTimeline(history({ asOf: 2 }));
    expect(t.events.map((e) => [e.kind, e.mirror, e.at])).toEqual([
      ["version_appeared", "fast", at("10:10")],
      ["retraction_reached", "fast", at("10:10")],
      ["version_appeared", "ref", at("10:10")],
      ["retraction_reached", "ref", at("10:10")],
    ]);
  });

  it("reports no retraction or deprecation for a mirror's first go.mod state, nor for an unchanged one", () => {
    const r = retract("v1.0.0");
    const t = derive({
      states: [
        state("ref", 1, { until: 3, retractions: [r], deprecated: "Deprecated: from the start" }),
        state("ref", 3, { until: 5, retractions: [r], deprecated: "Deprecated: from the start", authoritative: "v1.1.0" }),
        state("ref", 5, { retractions: [], deprecated: null }),
      ],
    });
    expect(t.events).toEqual([]);
  });

  it("reports a retraction again when it comes back, and a changed deprecation message", () => {
    const r = retract("v1.0.0", "v1.0.0", "bad");
    const t = derive({
      states: [
        state("ref", 1, { until: 2, retractions: [r] }),
        state("ref", 2, { until: 4, deprecated: "Deprecated: a" }),
        state("ref", 4, { until: 6, retractions: [r], deprecated: "Deprecated: a" }),
        state("ref", 6, { retractions: [r], deprecated: "Deprecated: b" }),
      ],
    });
    expect(t.events).toEqual<TimelineEvent[]>([
      { kind: "deprecation_reached", at: at("10:50"), mirror: "ref", message: "Deprecated: b" },
      { kind: "retraction_reached", at: at("10:30"), mirror: "ref", ...r },
      { kind: "deprecation_reached", at: at("10:10"), mirror: "ref", message: "Deprecated: a" },
    ]);
  });

  it("keeps a removal in the history after the version is re-listed, and reports the re-listing", () => {
    const listings = [
      listing("ref", "v1.0.0", 1),
      listing("fast", "v1.0.0", 2, { lastMissing: 1, until: 3 }),
      listing("fast", "v1.0.0", 5, { lastMissing: 4 }),
    ];
    const before = derive({ asOf: 4, listings });
    const after = derive({ asOf: 6, listings });
    const removal: TimelineEvent = { kind: "version_removed", at: at("10:20"), mirror: "fast", version: "v1.0.0" };
    const firstAppearance: TimelineEvent = {
      kind: "version_appeared",
      at: at("10:10"),
      mirror: "fast",
      version: "v1.0.0",
      lastMissing: at("10:00"),
      lagSeconds: 600,
    };
    expect(before.events).toEqual([removal, firstAppearance]);
    expect(after.events).toEqual<TimelineEvent[]>([
      // Lag is measured from the first appearance only.
      { kind: "version_appeared", at: at("10:40"), mirror: "fast", version: "v1.0.0", lastMissing: at("10:30"), lagSeconds: null },
      removal,
      firstAppearance,
    ]);
  });
});

describe("deriveTimeline: lag points", () => {
  it("has one point per mirror and version with a measured lag, oldest reference pickup first, with the pickup window", () => {
    const t = deriveTimeline(history());
    expect(t.lagPoints).toEqual<LagPoint[]>([
      { mirror: "fast", version: "v1.1.0", referenceFirstSeen: at("10:10"), lagSeconds: 0, windowSeconds: 600 },
      { mirror: "slow", version: "v1.1.0", referenceFirstSeen: at("10:10"), lagSeconds: 1200, windowSeconds: 600 },
      { mirror: "fast", version: "v1.2.0", referenceFirstSeen: at("10:40"), lagSeconds: 0, windowSeconds: 600 },
    ]);
  });

  it("has no window for a mirror that already listed the version at our first look, and orders by version on ties", () => {
    const t = derive({
      listings: [
        listing("fast", "v1.1.0", 1),
        listing("ref", "v1.1.0", 3, { lastMissing: 2 }),
        listing("ref", "v1.0.5", 3, { lastMissing: 2 }),
        listing("slow", "v1.0.5", 5, { lastMissing: 2 }),
      ],
    });
    expect(t.lagPoints).toEqual<LagPoint[]>([
      { mirror: "slow", version: "v1.0.5", referenceFirstSeen: at("10:20"), lagSeconds: 1200, windowSeconds: 1800 },
      { mirror: "fast", version: "v1.1.0", referenceFirstSeen: at("10:20"), lagSeconds: -1200, windowSeconds: null },
    ]);
  });
});
