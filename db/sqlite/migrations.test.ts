import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { migrate } from "drizzle-orm/better-sqlite3/migrator";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { MirrorObservation } from "@/lib/store";
import { createCheckWriter } from "./check-store";
import { migrateDatabase, openDatabase } from "./connection";
import type { Db } from "./connection";
import { compactOutcomes } from "./retention";

/*
 * A database made by the migrations before 0002, holding data, migrates forward: the new columns are backfilled
 * from the checks it holds, and the store works on it afterwards.
 */

const T0 = Date.UTC(2025, 5, 1);
const DAY = 86_400_000;
let dir: string;
let db: Db;
/** Wall time around the forward migration: 0007 stamps existing modules with it. */
let migratedFrom = 0;
let migratedTo = 0;

/** A copy of the committed migrations folder that stops after the first `count` migrations. */
function migrationsUpTo(count: number): string {
  const folder = join(dir, `migrations-${count}`);
  cpSync(resolve("db/sqlite/migrations"), folder, { recursive: true });
  const journalPath = join(folder, "meta/_journal.json");
  const journal = JSON.parse(readFileSync(journalPath, "utf8")) as { entries: unknown[] };
  writeFileSync(journalPath, JSON.stringify({ ...journal, entries: journal.entries.slice(0, count) }));
  return folder;
}

const ok = (mirror: string, listed: string[]): MirrorObservation => ({
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

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "mirrorlag-migrate-"));
  db = openDatabase(join(dir, "old.db"));
  migrate(db, { migrationsFolder: migrationsUpTo(2) });
  // Written as the old store wrote it: modules 1 and 2 checked (module 2's newest by id has the older clock), 3 never.
  db.$client.exec(`
    insert into modules (id, path) values (1, 'example.com/a'), (2, 'example.com/b'), (3, 'example.com/never');
    insert into mirrors (id, name) values (1, 'ref');
    insert into checks (id, module_id, at, trigger) values (1, 1, ${T0}, 'poll'), (2, 2, ${T0 + 2000}, 'poll'), (3, 1, ${T0 + 60_000}, 'poll'), (4, 2, ${T0 + 1000}, 'user');
    insert into check_outcomes (check_id, mirror_id, outcome, list_outcome, status, latency_ms, requests)
      values (1, 1, 'ok', 'ok', 200, 10, 2), (2, 1, 'ok', 'ok', 200, 10, 2), (3, 1, 'ok', 'ok', 200, 10, 2), (4, 1, 'ok', 'ok', 200, 10, 2);
    insert into mirror_states (module_id, mirror_id, list_hash, last_answered_check_id) values (1, 1, 'x', 3), (2, 1, 'y', 4);
    insert into listings (module_id, mirror_id, version, from_check_id) values (1, 1, 'v1.0.0', 1), (2, 1, 'v0.1.0', 2);
    insert into versions (module_id, version, time, info_mirror_id) values (1, 'v1.0.0', null, null), (2, 'v0.1.0', ${T0 - DAY}, 1);
  `);
  migratedFrom = Date.now();
  migrateDatabase(db);
  migratedTo = Date.now();
});

afterAll(() => {
  db.$client.close();
  rmSync(dir, { recursive: true, force: true });
});

describe("migration 0002 on a database with data", () => {
  it("backfills each module's newest check (highest id) and its time; a module never checked keeps nulls", () => {
    expect(db.$client.prepare("select id, last_check_id, last_check_at from modules order by id").all()).toEqual([
      { id: 1, last_check_id: 3, last_check_at: T0 + 60_000 },
      { id: 2, last_check_id: 4, last_check_at: T0 + 1000 },
      { id: 3, last_check_id: null, last_check_at: null },
    ]);
  });

  it("gives existing versions no failed attempts and no retry time", () => {
    expect(db.$client.prepare("select version, time, info_attempts, info_retry_at from versions order by version").all()).toEqual([
      { version: "v0.1.0", time: T0 - DAY, info_attempts: 0, info_retry_at: null },
      { version: "v1.0.0", time: null, info_attempts: 0, info_retry_at: null },
    ]);
  });

  it("replaces the checks index and adds the new ones", () => {
    const names = (db.$client.prepare("select name from sqlite_master where type = 'index' and name not like 'sqlite_%'").all() as { name: string }[]).map((r) => r.name);
    expect(names).not.toContain("checks_module_at");
    for (const name of ["checks_module", "checks_at", "listings_from_check", "listings_first", "versions_missing_due", "outcome_aggregates_period", "mirror_states_last_answered"]) {
      expect(names).toContain(name);
    }
    expect(db.$client.prepare("pragma integrity_check").get()).toEqual({ integrity_check: "ok" });
  });

  it("the store records and compacts on the migrated database", () => {
    const writer = createCheckWriter(db);
    const { check } = writer.recordCheck({ module: "example.com/b", at: new Date(T0 + 120_000), trigger: "poll", observations: [ok("ref", ["v0.1.0"])] });
    expect(db.$client.prepare("select last_check_id, last_check_at from modules where id = 2").get()).toEqual({ last_check_id: check.id, last_check_at: T0 + 120_000 });
    expect(writer.lastCheck("example.com/b")?.id).toBe(check.id);
    // Check 4 was module 2's newest and its mirror's last answered; no longer either, nothing else names it.
    expect(compactOutcomes(db, { olderThan: new Date(T0 + 100_000) })).toEqual({ checks: 1, outcomeRows: 1, hourRowsFolded: 0, done: true });
    expect(db.$client.prepare("select check_id from check_outcomes order by check_id").all()).toEqual([{ check_id: 1 }, { check_id: 2 }, { check_id: 3 }, { check_id: check.id }]);
  });
});

describe("migration 0007 on a database with data", () => {
  it("counts every module stored before it as looked at when it ran, so none expires on upgrade day", () => {
    const rows = db.$client.prepare("select id, last_interest_at from modules where id <= 3 order by id").all() as { id: number; last_interest_at: number }[];
    expect(rows.map((r) => r.id)).toEqual([1, 2, 3]);
    for (const r of rows) {
      expect(r.last_interest_at).toBeGreaterThanOrEqual(migratedFrom - 1);
      expect(r.last_interest_at).toBeLessThanOrEqual(migratedTo + 1);
    }
  });
});
