import { describe, expect, it } from "vitest";
import type { MirrorObservation } from "@/lib/store";
import { createCheckWriter } from "./check-store";
import { migrateDatabase, openDatabase } from "./connection";

const A = "example.com/times/a";
const B = "example.com/times/b";
const T0 = Date.UTC(2026, 2, 1);
const MINUTE = 60_000;

const listing = (mirror: string, listed: string[]): MirrorObservation => ({
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
});

function setup() {
  const db = openDatabase(":memory:");
  migrateDatabase(db);
  const writer = createCheckWriter(db);
  let minute = 0;
  const check = (module: string, ...observations: MirrorObservation[]) =>
    writer.recordCheck({ module, at: new Date(T0 + minute++ * MINUTE), trigger: "poll", observations }).newVersions;
  return { db, writer, check };
}

describe("missingVersionTimes and recordVersionTimeFailures", () => {
  it("lists versions without a commit time, oldest first, with the mirrors listing them now (first listed first)", () => {
    const { writer, check } = setup();
    expect(check(A, listing("fast", ["v1.0.0"]), listing("ref", []))).toEqual(["v1.0.0"]);
    expect(check(B, listing("ref", ["v0.1.0", "v0.2.0"]))).toEqual(["v0.1.0", "v0.2.0"]);
    // ref picks v1.0.0 up, then fast drops it: its first open listing is now ref's; v1.1.0 is on fast alone.
    check(A, listing("fast", ["v1.0.0", "v1.1.0"]), listing("ref", ["v1.0.0"]));
    check(A, listing("fast", ["v1.1.0"]), listing("ref", ["v1.0.0"]));
    // v0.2.0 vanishes from the only mirror that had it: no open listing, no mirror to ask but the reference.
    check(B, listing("ref", ["v0.1.0"]));

    const now = new Date(T0 + 60 * MINUTE);
    expect(writer.missingVersionTimes(now, 10)).toEqual([
      { module: A, version: "v1.0.0", mirrors: ["ref"], attempts: 0 },
      { module: B, version: "v0.1.0", mirrors: ["ref"], attempts: 0 },
      { module: B, version: "v0.2.0", mirrors: [], attempts: 0 },
      { module: A, version: "v1.1.0", mirrors: ["fast"], attempts: 0 },
    ]);
    expect(writer.missingVersionTimes(now, 2).map((m) => m.version)).toEqual(["v1.0.0", "v0.1.0"]);
  });

  it("a version whose .info answered is not missing, with a time or without one", () => {
    const { writer, check } = setup();
    check(A, listing("ref", ["v1.0.0", "v1.1.0", "v1.2.0"]));
    writer.recordVersionTimes(A, [
      { version: "v1.0.0", time: new Date(T0 - 86_400_000), mirror: "ref" },
      { version: "v1.1.0", time: null, mirror: "ref" },
    ]);
    expect(writer.missingVersionTimes(new Date(T0), 10).map((m) => m.version)).toEqual(["v1.2.0"]);
  });

  it("a failed look-up counts an attempt and hides the version until retryAt; an answer clears both", () => {
    const { db, writer, check } = setup();
    check(A, listing("ref", ["v1.0.0", "v1.1.0"]));
    const retryAt = new Date(T0 + 10 * MINUTE);
    writer.recordVersionTimeFailures(A, ["v1.0.0"], retryAt);
    expect(writer.missingVersionTimes(new Date(retryAt.getTime() - 1), 10)).toEqual([{ module: A, version: "v1.1.0", mirrors: ["ref"], attempts: 0 }]);
    // Due again at retryAt itself.
    expect(writer.missingVersionTimes(retryAt, 10)).toEqual([
      { module: A, version: "v1.0.0", mirrors: ["ref"], attempts: 1 },
      { module: A, version: "v1.1.0", mirrors: ["ref"], attempts: 0 },
    ]);
    writer.recordVersionTimeFailures(A, ["v1.0.0", "v1.1.0"], new Date(T0 + 30 * MINUTE));
    expect(writer.missingVersionTimes(new Date(T0 + 30 * MINUTE), 10).map((m) => [m.version, m.attempts])).toEqual([
      ["v1.0.0", 2],
      ["v1.1.0", 1],
    ]);

    writer.recordVersionTimes(A, [{ version: "v1.0.0", time: new Date(T0 - 1000), mirror: "ref" }]);
    const row = () => db.$client.prepare("select time, info_attempts, info_retry_at from versions where version = 'v1.0.0'").get();
    expect(row()).toEqual({ time: T0 - 1000, info_attempts: 0, info_retry_at: null });
    // A failure reported after another look-up answered changes nothing.
    writer.recordVersionTimeFailures(A, ["v1.0.0"], new Date(T0 + 90 * MINUTE));
    expect(row()).toEqual({ time: T0 - 1000, info_attempts: 0, info_retry_at: null });
    expect(writer.missingVersionTimes(new Date(T0 + 90 * MINUTE), 10).map((m) => m.version)).toEqual(["v1.1.0"]);
  });

  it("ignores unknown modules and versions", () => {
    const { writer, check } = setup();
    check(A, listing("ref", ["v1.0.0"]));
    writer.recordVersionTimeFailures("example.com/unknown", ["v1.0.0"], new Date(T0 + MINUTE));
    writer.recordVersionTimeFailures(A, ["v9.9.9"], new Date(T0 + MINUTE));
    writer.recordVersionTimeFailures(A, [], new Date(T0 + MINUTE));
    expect(writer.missingVersionTimes(new Date(T0), 10)).toEqual([{ module: A, version: "v1.0.0", mirrors: ["ref"], attempts: 0 }]);
  });
});
