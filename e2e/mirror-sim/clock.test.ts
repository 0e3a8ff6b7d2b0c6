import { describe, expect, it } from "vitest";
import { createSimClock, durationToMs, wallClock } from "./clock";

describe("sim clock", () => {
  it("stands still until advanced or set", () => {
    const clock = createSimClock(new Date("2026-01-01T00:00:00Z"));
    expect(clock.mode).toBe("sim");
    expect(clock.now().toISOString()).toBe("2026-01-01T00:00:00.000Z");
    expect(clock.advance({ minutes: 90, seconds: 30 }).toISOString()).toBe("2026-01-01T01:30:30.000Z");
    expect(clock.advance(500).toISOString()).toBe("2026-01-01T01:30:30.500Z");
    expect(clock.advance({ days: -1 }).toISOString()).toBe("2025-12-31T01:30:30.500Z");
    expect(clock.set("2026-02-01T00:00:00Z").toISOString()).toBe("2026-02-01T00:00:00.000Z");
    expect(() => clock.set("not a date")).toThrow();
  });

  it("clock.now works detached, as the product's `() => Date`", () => {
    const clock = createSimClock(new Date("2026-01-01T00:00:00Z"));
    const now: () => Date = clock.now;
    clock.advance({ hours: 2 });
    expect(now().toISOString()).toBe("2026-01-01T02:00:00.000Z");
    // Returned dates are copies: mutating one does not move the clock.
    now().setUTCFullYear(1999);
    expect(now().getUTCFullYear()).toBe(2026);
  });

  it("converts durations", () => {
    expect(durationToMs({ ms: 1, seconds: 1, minutes: 1, hours: 1, days: 1 })).toBe(1 + 1000 + 60_000 + 3_600_000 + 86_400_000);
  });
});

describe("wall clock", () => {
  it("follows real time and can be shifted", () => {
    const clock = wallClock();
    expect(clock.mode).toBe("wall");
    expect(Math.abs(clock.now().getTime() - Date.now())).toBeLessThan(1000);
    clock.advance({ days: 1 });
    expect(Math.abs(clock.now().getTime() - (Date.now() + 86_400_000))).toBeLessThan(1000);
    clock.set("2020-01-01T00:00:00Z");
    expect(Math.abs(clock.now().getTime() - Date.parse("2020-01-01T00:00:00Z"))).toBeLessThan(1000);
  });
});
