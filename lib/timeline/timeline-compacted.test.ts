import { describe, expect, it } from "vitest";
import { COMPACTED_MESSAGE, deriveTimeline } from "./derive-timeline";
import type { TimelineFacts } from "@/lib/store";

// A check whose outcome rows retention compacted (db/sqlite/retention.ts) renders from the listings that cover it.
const at = (minutes: number) => new Date(Date.UTC(2025, 0, 1, 0, minutes));
const facts = (compacted: boolean | undefined): TimelineFacts => ({
  module: "example.com/m",
  mirrors: ["ref", "slow"],
  reference: "ref",
  asOf: { id: 5, at: at(50) },
  checkTimes: new Map([1, 2, 3, 5].map((id) => [id, at(id * 10)])),
  outcomes: [],
  ...(compacted === undefined ? {} : { compacted }),
  listings: [
    { mirror: "ref", version: "v1.0.0", fromCheckId: 1, untilCheckId: null, lastMissingCheckId: null },
    { mirror: "slow", version: "v1.0.0", fromCheckId: 1, untilCheckId: null, lastMissingCheckId: null },
    { mirror: "ref", version: "v1.1.0", fromCheckId: 2, untilCheckId: null, lastMissingCheckId: 1 },
    { mirror: "slow", version: "v1.1.0", fromCheckId: 9, untilCheckId: null, lastMissingCheckId: 3 },
  ],
  gomodStates: [],
  gomodHashes: [],
  versionTimes: [],
});

describe("deriveTimeline for a compacted check", () => {
  it("shows each mirror's last answered list and says the details were compacted", () => {
    const t = deriveTimeline(facts(true));
    expect(t.compacted).toBe(true);
    expect(t.versions.map((v) => [v.version, v.mirrors.ref?.state, v.mirrors.slow?.state])).toEqual([
      ["v1.1.0", "present", "missing"],
      ["v1.0.0", "present", "present"],
    ]);
    expect(t.versions[0]?.mirrors.ref?.firstSeen).toEqual(at(20));
    expect(t.summaries.map((s) => [s.name, s.outcome, s.message])).toEqual([
      ["ref", "not_asked", COMPACTED_MESSAGE],
      ["slow", "not_asked", COMPACTED_MESSAGE],
    ]);
  });

  it("a check without outcome rows that is not marked compacted stays an error, as before", () => {
    for (const flag of [undefined, false]) {
      const t = deriveTimeline(facts(flag));
      expect(t.compacted).toBe(false);
      expect(t.versions.every((v) => Object.values(v.mirrors).every((c) => c.state === "error"))).toBe(true);
      expect(t.summaries.every((s) => s.message === null)).toBe(true);
    }
  });
});
