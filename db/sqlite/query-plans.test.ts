import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { drizzle } from "drizzle-orm/better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { MirrorObservation } from "@/lib/store";
import { createCheckWriter } from "./check-store";
import type { CheckWriter } from "./check-store";
import { migrateDatabase } from "./connection";
import type { Db } from "./connection";
import { countChecks, lagSamples, listChecks, modulesWithRecentPickups, outcomeCounts, polledCount, recentModules, watchedModules } from "./queries";
import { compactOutcomes } from "./retention";
import * as schema from "./schema";

/*
 * The query plans of the statements that run often or over long histories, on a migrated database with a few
 * weeks of checks of 30 modules and ANALYZE statistics. Each statement is captured as it runs (better-sqlite3's
 * `verbose` hands over the SQL with its parameters bound), explained, printed and checked for the index it is
 * meant to use: a SEARCH where a time window or an id is given, never a SCAN of checks or listings.
 */

const MIRRORS = ["ref", "fast", "slow"] as const;
const ACTIVE = 20;
const CATALOG = 2000;
const SLOTS = 90 * 24;
const SLOT_MS = 3600_000;
const T0 = Date.UTC(2026, 0, 1);
const NOW = new Date(T0 + SLOTS * SLOT_MS);
const DAY_MS = 86_400_000;
const modulePath = (m: number) => `example.com/plans/m${m}`;

let dir: string;
let db: Db;
/** A copy made before ANALYZE: a fresh install never runs it, so the plans must hold without statistics too. */
let unanalysed: Database.Database;
let writer: CheckWriter;
let capturing: string[] | null = null;

function observation(mirror: string, listed: string[] | null): MirrorObservation {
  return {
    mirror,
    outcome: listed ? "ok" : "error",
    listOutcome: listed ? "ok" : "error",
    status: listed ? 200 : 503,
    latencyMs: 40 + mirror.length,
    message: listed ? null : "@v/list: HTTP 503",
    cacheControl: null,
    age: null,
    latestVersion: listed?.at(-1) ?? null,
    listedVersions: listed,
    authoritativeVersion: null,
    gomod: null,
    requests: 2,
    passive: true,
  };
}

/**
 * 20 modules checked hourly for 90 days, a version published every 100 checks and picked up 1 (fast) or 3 (slow)
 * checks later, slow failing now and then; 2,000 more modules checked once. Checks where a list changed go through
 * the store; the others are written as it writes them (as in retention.test.ts), which is much faster.
 */
function fill(): void {
  const sqlite = db.$client;
  const delay: Record<string, number> = { ref: 1, fast: 1, slow: 3 };
  const insertCheck = sqlite.prepare("insert into checks (module_id, at, trigger) values (?, ?, 'poll')");
  const insertOutcome = sqlite.prepare(
    "insert into check_outcomes (check_id, mirror_id, outcome, list_outcome, status, latency_ms, message, list_count, requests, passive) values (?, ?, ?, ?, ?, ?, ?, ?, 2, 1)",
  );
  const answered = sqlite.prepare("update mirror_states set last_answered_check_id = ? where module_id = ? and mirror_id = ?");
  const newest = sqlite.prepare("update modules set last_check_id = ?, last_check_at = ? where id = ?");
  const lastLists = new Map<string, number>();
  sqlite.transaction(() => {
    for (let m = 0; m < CATALOG; m++) {
      // Checked by the poller in the last ten minutes, as watched modules are; one in a hundred earlier.
      const at = NOW.getTime() - (m % 100 === 0 ? 3600_000 : (m % 500) * 1000);
      writer.recordCheck({ module: modulePath(ACTIVE + m), at: new Date(at), trigger: "poll", observations: MIRRORS.map((mirror) => observation(mirror, ["v0.1.0"])) });
    }
    const ids = new Map((sqlite.prepare("select id, name from mirrors").all() as { id: number; name: string }[]).map((r) => [r.name, r.id]));
    for (let slot = 0; slot < SLOTS; slot++) {
      for (let m = 0; m < ACTIVE; m++) {
        const at = T0 + slot * SLOT_MS + m * 1000;
        const observations = MIRRORS.map((mirror) => {
          if (mirror === "slow" && (slot + m) % 97 === 13) return observation(mirror, null);
          const published = slot < delay[mirror]! ? 0 : Math.floor((slot - delay[mirror]!) / 100) + 1;
          return observation(mirror, Array.from({ length: 20 + published }, (_, i) => `v1.${i}.0`));
        });
        const changed = observations.some((o) => o.listedVersions !== null && lastLists.get(`${m} ${o.mirror}`) !== o.listedVersions.length);
        if (changed) {
          writer.recordCheck({ module: modulePath(m), at: new Date(at), trigger: "poll", observations });
        } else {
          const moduleId = m + 1 + CATALOG;
          const checkId = Number(insertCheck.run(moduleId, at).lastInsertRowid);
          newest.run(checkId, at, moduleId);
          for (const o of observations) {
            insertOutcome.run(checkId, ids.get(o.mirror), o.outcome, o.listOutcome, o.status, o.latencyMs, o.message, o.listedVersions?.length ?? null);
            if (o.listOutcome !== "error") answered.run(checkId, moduleId, ids.get(o.mirror));
          }
        }
        for (const o of observations) if (o.listedVersions) lastLists.set(`${m} ${o.mirror}`, o.listedVersions.length);
      }
    }
    sqlite.prepare("update modules set watched = 0 where id % 10 = 0").run();
    // Commit times arrive for nearly every version; a few are still missing, some of them failed before.
    sqlite.prepare("update versions set time = ?, info_mirror_id = 1 where rowid % 50 <> 0").run(T0);
    sqlite.prepare("update versions set info_attempts = 1, info_retry_at = ? where rowid % 100 = 0").run(NOW.getTime() + 3600_000);
  })();
}

function explain(connection: Database.Database, statement: string): string[] {
  const rows = connection.prepare(`explain query plan ${statement}`).all() as { id: number; parent: number; detail: string }[];
  const depth = new Map<number, number>([[0, -1]]);
  return rows.map((r) => {
    const d = (depth.get(r.parent) ?? -1) + 1;
    depth.set(r.id, d);
    return `${"  ".repeat(d)}${r.detail}`;
  });
}

/**
 * The plans of the statements `work` ran that match `pattern` (at least one), with statistics, printed for the
 * README; the plan without statistics must use the same indexes (`same: false` where the planner may differ).
 */
function planOf(name: string, work: () => unknown, pattern: RegExp, options: { same?: boolean } = {}): string[] {
  const ran: string[] = [];
  capturing = ran;
  try {
    work();
  } finally {
    capturing = null;
  }
  const statements = ran.filter((s) => pattern.test(s));
  expect(statements.length, `${name}: a statement matching ${pattern}`).toBeGreaterThan(0);
  const plan = statements.flatMap((statement) => explain(db.$client, statement));
  console.log(`EXPLAIN QUERY PLAN: ${name}\n${plan.map((line) => `  ${line}`).join("\n")}`);
  // The temporary table of retention exists on the analysed connection only.
  // A Bloom filter is an execution detail that statistics add or leave out.
  const indexesOnly = (lines: string[]) => lines.filter((line) => !/BLOOM FILTER/.test(line));
  if (options.same !== false && !statements.some((statement) => /retention_batch/.test(statement))) {
    expect(indexesOnly(statements.flatMap((statement) => explain(unanalysed, statement))), `${name} without statistics`).toEqual(indexesOnly(plan));
  }
  return plan;
}

const fullScans = (plan: string[]) => plan.filter((line) => /\bSCAN (checks|listings|check_outcomes|c|l|o|seen|mine|ref)\b/.test(line.trim()));

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "mirrorlag-plans-"));
  const sqlite = new Database(join(dir, "plans.db"), { verbose: (statement) => capturing?.push(String(statement)) });
  sqlite.pragma("journal_mode = WAL");
  db = drizzle(sqlite, { schema }) as Db;
  migrateDatabase(db);
  writer = createCheckWriter(db);
  fill();
  // A first compaction, so the cursor, hourly and daily aggregates exist as they do after months of running.
  compactOutcomes(db, { olderThan: new Date(NOW.getTime() - 30 * DAY_MS), dailyOlderThan: new Date(NOW.getTime() - 60 * DAY_MS) });
  sqlite.exec(`vacuum into '${join(dir, "unanalysed.db")}'`);
  unanalysed = new Database(join(dir, "unanalysed.db"), { readonly: true });
  sqlite.exec("analyze");
}, 120_000);

afterAll(() => {
  unanalysed.close();
  db.$client.close();
  rmSync(dir, { recursive: true, force: true });
});

describe("query plans", () => {
  it("the poller's tick: watched modules not checked since T, through modules_watched_last_check_at", () => {
    const plan = planOf("watchedModules({ lastCheckedBefore })", () => watchedModules(db, { lastCheckedBefore: new Date(NOW.getTime() - 600_000) }), /from "modules"/);
    expect(plan.filter((line) => /modules/.test(line)).map((line) => line.trim())).toEqual([
      "SEARCH modules USING INDEX modules_watched_last_check_at (watched=? AND last_check_at=?)",
      "SEARCH modules USING INDEX modules_watched_last_check_at (watched=? AND last_check_at<?)",
    ]);
    // Without the option every watched module is the answer: the module rows alone, never the checks.
    const all = planOf("watchedModules()", () => watchedModules(db), /from "modules"/, { same: false });
    expect(all.join("\n")).not.toMatch(/checks/);
    // The tick as the poller asks (only modules still polled) and the cap's count: the module rows alone too.
    const live = planOf("watchedModules({ interestSince })", () => watchedModules(db, { interestSince: new Date(NOW.getTime() - 30 * DAY_MS) }), /from "modules"/, { same: false });
    expect(live.join("\n")).not.toMatch(/checks|listings/);
    const counted = planOf("polledCount", () => polledCount(db, new Date(NOW.getTime() - 30 * DAY_MS)), /from "modules"/, { same: false });
    expect(counted.join("\n")).not.toMatch(/checks|listings/);
  });

  it("the poller's tick: recent pickups, from checks_at to listings_from_check", () => {
    const plan = planOf("modulesWithRecentPickups", () => modulesWithRecentPickups(db, new Date(NOW.getTime() - 2 * 3600_000)), /"listings"/);
    expect(plan.join("\n")).toMatch(/SEARCH c USING INDEX checks_at \(at>\?\)/);
    expect(plan.join("\n")).toMatch(/SEARCH l USING INDEX listings_from_check \(from_check_id=\?\)/);
    expect(fullScans(plan)).toEqual([]);
  });

  it("retention's batch pick: checks after the cursor along checks_at, each tested through an index", () => {
    const plan = planOf("compactOutcomes: pick a batch", () => compactOutcomes(db, { olderThan: new Date(NOW.getTime() - 25 * DAY_MS), maxBatches: 1 }), /insert into retention_batch/);
    const text = plan.join("\n");
    expect(text).toMatch(/SEARCH c USING (COVERING )?INDEX checks_at \(at>\? AND at<\?\)/);
    for (const index of ["listings_from_check", "listings_until_check", "listings_last_missing_check", "gomod_states_from_check", "gomod_states_until_check", "gomod_hashes_check", "mirror_states_last_answered"]) {
      expect(text).toContain(`INDEX ${index} (`);
    }
    expect(fullScans(plan)).toEqual([]);
    expect(text).not.toMatch(/TEMP B-TREE/);
  });

  it("retention's fold of days: outcome_aggregates_period", () => {
    const plan = planOf(
      "compactOutcomes: fold days",
      () => compactOutcomes(db, { olderThan: new Date(NOW.getTime() - 25 * DAY_MS), dailyOlderThan: new Date(NOW.getTime() - 50 * DAY_MS) }),
      /period = 'hour' and period_start </,
      { same: false },
    );
    const searches = plan.filter((line) => /outcome_aggregates/.test(line));
    expect(searches).toHaveLength(2);
    // The delete reads outcome_aggregates_period. The select too without statistics; with them, while few
    // (module, mirror) pairs exist, SQLite may skip-scan the key index instead: the same rows, a seek per pair.
    expect(searches[1]).toBe("SEARCH outcome_aggregates USING INDEX outcome_aggregates_period (period=? AND period_start<?)");
    expect(searches[0]).toMatch(
      /^SEARCH outcome_aggregates USING INDEX (outcome_aggregates_period \(period=\? AND period_start<\?\)|outcome_aggregates_key \(ANY\(module_id\) AND ANY\(mirror_id\) AND period=\? AND period_start<\?\))$/,
    );
  });

  it("the home page's lag statistics read the 7-day window: checks_at, listings_from_check, listings_first", () => {
    const plan = planOf("lagSamples", () => lagSamples(db, "ref", new Date(NOW.getTime() - 7 * DAY_MS), NOW), /ref_seen/);
    const text = plan.join("\n");
    expect(text).toMatch(/SEARCH seen USING (COVERING )?INDEX checks_at \(at>\? AND at<\?\)/);
    expect(text).toMatch(/SEARCH mine USING INDEX listings_from_check \(from_check_id=\?\)/);
    expect(text).toMatch(/INDEX listings_first \(module_id=\? AND version=\? AND mirror_id=\?/);
    expect(fullScans(plan)).toEqual([]);
  });

  it("the home page's outcome counts read the 7-day window: checks_at, then the outcome rows of those checks", () => {
    const plan = planOf("outcomeCounts", () => outcomeCounts(db, new Date(NOW.getTime() - 7 * DAY_MS), NOW), /outcome_aggregates/);
    const text = plan.join("\n");
    expect(text).toMatch(/SEARCH c USING (COVERING )?INDEX checks_at \(at>\? AND at<\?\)/);
    expect(text).toMatch(/SEARCH o USING INDEX sqlite_autoindex_check_outcomes_1 \(check_id=\?\)/);
    expect(text).toMatch(/SEARCH mi USING INTEGER PRIMARY KEY/);
    expect(text).toMatch(/SEARCH a USING INDEX outcome_aggregates_period \(period=\? AND period_start>\? AND period_start<\?\)/);
    expect(fullScans(plan)).toEqual([]);
  });

  it("a module's newest checks and their count: a range of checks_module, no sort", () => {
    const moduleId = CATALOG + 5;
    const upTo = (db.$client.prepare("select max(id) as id from checks where module_id = ?").get(moduleId) as { id: number }).id - 500;
    const plan = [
      ...planOf("listChecks", () => listChecks(db, moduleId, { limit: 100 }), /from "checks"/),
      ...planOf("listChecks({ upTo })", () => listChecks(db, moduleId, { upTo, limit: 100 }), /from "checks"/),
      ...planOf("countChecks", () => countChecks(db, moduleId, upTo), /from "checks"/),
    ];
    expect(plan).toEqual([
      "SEARCH checks USING INDEX checks_module (module_id=?)",
      "SEARCH checks USING INDEX checks_module (module_id=? AND rowid<?)",
      "SEARCH checks USING COVERING INDEX checks_module (module_id=? AND rowid<?)",
    ]);
  });

  it("a module's last check and the home page's recent modules: the module row, no checks searched", () => {
    const last = planOf("lastCheck", () => writer.lastCheck(modulePath(3)), /from "modules"/);
    expect(last).toEqual(["SEARCH modules USING INDEX modules_path_unique (path=?)"]);
    const recent = planOf("recentModules", () => recentModules(db, { limit: 10 }), /from "modules"/);
    expect(recent.join("\n")).toMatch(/SEARCH modules USING INDEX modules_last_check \(last_check_id>\?\)/);
    expect(recent.join("\n")).not.toMatch(/TEMP B-TREE|checks/);
  });

  it("the commit-time backfill: missing versions due now from the partial index versions_missing_due", () => {
    const plan = planOf("missingVersionTimes", () => writer.missingVersionTimes(NOW, 100), /from "versions"/);
    const text = plan.join("\n");
    expect(text).toMatch(/(SEARCH|SCAN) v USING INDEX versions_missing_due/);
    expect(text).toMatch(/SEARCH l USING INDEX listings_first \(module_id=\? AND version=\?\)/);
    expect(plan.filter((line) => /^\s*SCAN (v|versions|l|listings)$/.test(line))).toEqual([]);
  });
});
