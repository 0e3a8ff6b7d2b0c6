import { describe, expect, it } from "vitest";
import type { MirrorObservation } from "@/lib/store";
import { createCheckWriter } from "./check-store";
import { migrateDatabase, openDatabase } from "./connection";
import { setWatched, suggestModules } from "./queries";

const MODULE = "example.com/check-store";
const T0 = Date.UTC(2026, 0, 1);

function fresh() {
  const db = openDatabase(":memory:");
  migrateDatabase(db);
  return { db, writer: createCheckWriter(db) };
}

function observation(mirror: string, listed: string[] = ["v1.0.0"]): MirrorObservation {
  return {
    mirror,
    outcome: "ok",
    listOutcome: "ok",
    status: 200,
    latencyMs: 10,
    message: null,
    cacheControl: null,
    age: null,
    latestVersion: listed.at(-1) ?? null,
    listedVersions: listed,
    authoritativeVersion: null,
    gomod: null,
    requests: 2,
    passive: false,
  };
}

describe("recordCheck", () => {
  it("records a check of a brand-new mirror after an earlier check of it rolled back", () => {
    const { db, writer } = fresh();
    // The same mirror twice violates check_outcomes' primary key after the mirror row was written: the whole check rolls back.
    expect(() => writer.recordCheck({ module: MODULE, at: new Date(T0), trigger: "poll", observations: [observation("new"), observation("new")] })).toThrow(/UNIQUE/);
    expect(db.$client.prepare("select count(*) as n from checks").get()).toEqual({ n: 0 });

    const { check } = writer.recordCheck({ module: MODULE, at: new Date(T0 + 1000), trigger: "poll", observations: [observation("new")] });
    expect(check.mirrors["new"]?.outcome).toBe("ok");
    expect(db.$client.prepare("select m.name from check_outcomes o join mirrors m on m.id = o.mirror_id where o.check_id = ?").all(check.id)).toEqual([{ name: "new" }]);
    // recordVersionTimes resolves mirrors through the same cache.
    writer.recordVersionTimes(MODULE, [{ version: "v1.0.0", time: new Date(T0), mirror: "new" }]);
    expect(db.$client.prepare("select time from versions where version = 'v1.0.0'").get()).toEqual({ time: T0 });
  });

  it("keeps the module's newest check and its time on the module row", () => {
    const { db, writer } = fresh();
    const first = writer.recordCheck({ module: MODULE, at: new Date(T0 + 5000), trigger: "poll", observations: [observation("ref")] }).check;
    expect(db.$client.prepare("select last_check_id, last_check_at from modules").get()).toEqual({ last_check_id: first.id, last_check_at: T0 + 5000 });
    // Newest means the highest id, whatever the clock said.
    const second = writer.recordCheck({ module: MODULE, at: new Date(T0), trigger: "user", observations: [observation("ref")] }).check;
    expect(db.$client.prepare("select last_check_id, last_check_at from modules").get()).toEqual({ last_check_id: second.id, last_check_at: T0 });
    expect(writer.lastCheck(MODULE)).toEqual(second);
  });
});

describe("what a check watches", () => {
  const notFound = (mirror: string): MirrorObservation => ({ ...observation(mirror, []), outcome: "not_found", listOutcome: "not_found", status: 404, latestVersion: null, listedVersions: null });
  const watched = (db: ReturnType<typeof fresh>["db"], path: string) => (db.$client.prepare("select watched from modules where path = ?").get(path) as { watched: number } | undefined)?.watched;

  it("watches a module only once a mirror served it, and never suggests one no mirror knows", () => {
    const { db, writer } = fresh();
    writer.recordCheck({ module: MODULE, at: new Date(T0), trigger: "user", observations: [notFound("a"), notFound("b")] });
    expect(watched(db, MODULE)).toBe(0);
    expect(suggestModules(db, "check-store", 8)).toEqual([]);
    // The evidence stays: the check and its outcomes are stored.
    expect(db.$client.prepare("select count(*) as n from check_outcomes").get()).toEqual({ n: 2 });
    writer.recordCheck({ module: MODULE, at: new Date(T0 + 60_000), trigger: "user", observations: [notFound("a"), observation("b")] });
    expect(watched(db, MODULE)).toBe(1);
    expect(suggestModules(db, "check-store", 8)).toEqual([MODULE]);
  });

  it("leaves the operator's choice alone: an un-watched module stays un-watched after checks that find it", () => {
    const { db, writer } = fresh();
    writer.recordCheck({ module: MODULE, at: new Date(T0), trigger: "user", observations: [observation("a")] });
    expect(setWatched(db, MODULE, false)).toBe(true);
    writer.recordCheck({ module: MODULE, at: new Date(T0 + 60_000), trigger: "user", observations: [observation("a", ["v1.0.0", "v1.1.0"])] });
    expect(watched(db, MODULE)).toBe(0);
    expect(setWatched(db, MODULE, true)).toBe(true);
    writer.recordCheck({ module: MODULE, at: new Date(T0 + 120_000), trigger: "user", observations: [notFound("a")] });
    expect(watched(db, MODULE)).toBe(1);
  });
});
