import { describe, expect, it } from "vitest";
import { POLLER_STALE_MS, healthOf } from "./health";

const T = Date.UTC(2026, 11, 3, 12);

describe("healthOf", () => {
  it("is ok with a writable database and a poller that ticked recently, or none", () => {
    expect(healthOf({ databaseWritable: true, pollerEnabled: true, lastTickAt: T - 5000, startedAt: T - 600_000, now: T })).toEqual({
      status: "ok",
      database: "writable",
      poller: { enabled: true, lastTickAt: new Date(T - 5000).toISOString(), lastTickAgeSeconds: 5, alive: true },
      uptimeSeconds: 600,
    });
    expect(healthOf({ databaseWritable: true, pollerEnabled: false, lastTickAt: null, startedAt: T - 1e9, now: T }).status).toBe("ok");
    // Just started: no tick yet is not a failure.
    expect(healthOf({ databaseWritable: true, pollerEnabled: true, lastTickAt: null, startedAt: T - 10_000, now: T }).status).toBe("ok");
  });
  it("fails when the database refuses a write, or the poller went quiet", () => {
    expect(healthOf({ databaseWritable: false, pollerEnabled: false, lastTickAt: null, startedAt: T, now: T })).toMatchObject({ status: "failing", database: "failing" });
    expect(healthOf({ databaseWritable: true, pollerEnabled: true, lastTickAt: T - POLLER_STALE_MS - 1, startedAt: T - 1e9, now: T })).toMatchObject({ status: "failing", poller: { alive: false } });
    expect(healthOf({ databaseWritable: true, pollerEnabled: true, lastTickAt: null, startedAt: T - POLLER_STALE_MS - 1, now: T }).status).toBe("failing");
  });
});
