import { describe, expect, it } from "vitest";
import type { MirrorObservation } from "@/lib/store";
import { createCheckWriter } from "./check-store";
import { migrateDatabase, openDatabase } from "./connection";
import { compactOutcomes } from "./retention";

const MODULE = "example.com/retention-cursor";
const T0 = Date.UTC(2025, 0, 1);
const MINUTE = 60_000;

const ok = (mirror: string): MirrorObservation => ({
  mirror,
  outcome: "ok",
  listOutcome: "ok",
  status: 200,
  latencyMs: 10,
  message: null,
  cacheControl: null,
  age: null,
  latestVersion: "v1.0.0",
  listedVersions: ["v1.0.0"],
  authoritativeVersion: null,
  gomod: null,
  requests: 2,
  passive: false,
});

describe("compactOutcomes' cursor", () => {
  it("resumes after the checks it has passed: one kept then as the newest stays whole, later ones are compacted", () => {
    const db = openDatabase(":memory:");
    migrateDatabase(db);
    const writer = createCheckWriter(db);
    const record = (minute: number) => writer.recordCheck({ module: MODULE, at: new Date(T0 + minute * MINUTE), trigger: "poll", observations: [ok("ref")] }).check.id;
    const ids = Array.from({ length: 10 }, (_, i) => record(i));
    const olderThan = new Date(T0 + 60 * MINUTE);
    const outcomesOf = (id: number | undefined) => (db.$client.prepare("select count(*) as n from check_outcomes where check_id = ?").get(id) as { n: number }).n;

    // The first check is the listing's from; the tenth the newest and the mirror's last answered.
    expect(compactOutcomes(db, { olderThan })).toEqual({ checks: 8, outcomeRows: 8, hourRowsFolded: 0, done: true });
    expect(db.$client.prepare("select cursor_at, cursor_check_id from retention_state").all()).toEqual([{ cursor_at: T0 + 9 * MINUTE, cursor_check_id: ids[9] }]);

    // Two more checks: the tenth is now neither newest nor last answered, the eleventh neither once the twelfth is in.
    const eleventh = record(20);
    record(21);
    expect(compactOutcomes(db, { olderThan })).toEqual({ checks: 1, outcomeRows: 1, hourRowsFolded: 0, done: true });
    expect(outcomesOf(eleventh)).toBe(0);
    // The documented consequence of the cursor: the tenth check was passed while kept, and stays whole.
    expect(outcomesOf(ids[9])).toBe(1);
    expect(compactOutcomes(db, { olderThan })).toEqual({ checks: 0, outcomeRows: 0, hourRowsFolded: 0, done: true });
  });

  it("orders by (at, id): checks of one instant are taken across batches without skipping any", () => {
    const db = openDatabase(":memory:");
    migrateDatabase(db);
    const writer = createCheckWriter(db);
    // Nine checks stamped with the same time, then one later: batches of 2 split the instant.
    for (let i = 0; i < 9; i++) writer.recordCheck({ module: MODULE, at: new Date(T0), trigger: "poll", observations: [ok("ref")] });
    writer.recordCheck({ module: MODULE, at: new Date(T0 + MINUTE), trigger: "poll", observations: [ok("ref")] });
    let total = 0;
    for (let calls = 0; calls < 20; calls++) {
      const stats = compactOutcomes(db, { olderThan: new Date(T0 + 60 * MINUTE), batchChecks: 2, maxBatches: 1 });
      total += stats.checks;
      if (stats.done) break;
    }
    expect(total).toBe(8);
    expect(db.$client.prepare("select count(*) as n from check_outcomes").get()).toEqual({ n: 2 });
  });
});
