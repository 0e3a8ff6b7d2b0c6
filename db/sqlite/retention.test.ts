import { mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { MirrorObservation } from "@/lib/store";
import { createService, parseConfig } from "@/lib/server";
import type { Service } from "@/lib/server";
import { COMPACTED_MESSAGE } from "@/lib/timeline";
import type { TimelineDto } from "@/lib/timeline";
import { retentionCutoffs } from "@/lib/store";
import { createCheckWriter } from "./check-store";
import { migrateDatabase, openDatabase } from "./connection";
import type { Db } from "./connection";
import { outcomeCounts } from "./queries";
import { compactOutcomes } from "./retention";
import { createSqliteStore } from "./store";

/*
 * A year of checks every 10 minutes for two modules and three mirrors, synthesised fast: checks where an answer
 * changed go through the real store (so every fact is real); unchanged re-checks are bulk-inserted exactly as the
 * store would write them (a checks row, one outcome row per mirror, mirror_states.last_answered_check_id and
 * modules.last_check_id/last_check_at moved).
 */

const MIRRORS = ["ref", "fast", "slow"] as const;
const ACTIVE = "github.com/retention/active";
const QUIET = "github.com/retention/quiet";
const T0 = Date.UTC(2025, 2, 1);
const SLOT_MS = 10 * 60_000;
const DAY_MS = 86_400_000;
const SLOTS = 365 * 144;
const NOW = new Date(T0 + SLOTS * SLOT_MS);
const RETENTION_DAYS = 30;

let dir: string;
let db: Db;
let service: Service;

type Version = { version: string; publishedSlot: number };

function synthesise(target: Db): void {
  const store = createCheckWriter(target);
  const sqlite = target.$client;
  const versions: Version[] = [{ version: "v1.0.0", publishedSlot: -1 }];
  for (let i = 1; i * 7 * 144 < SLOTS; i++) versions.push({ version: `v1.${i}.0`, publishedSlot: i * 7 * 144 + 5 });
  // Mirror delays in slots: the reference and fast pick a version up at the next check, slow 30 minutes later.
  const delay: Record<string, number> = { ref: 1, fast: 1, slow: 4 };
  const RETRACT_FROM = 26; // from v1.26.0 on, the go.mod retracts v1.25.0 (a go.mod state change mid-year)
  const fetchedGoMods = new Set<string>();
  const lastLists = new Map<string, string>();

  const listedAt = (mirror: string, slot: number) => versions.filter((v) => v.publishedSlot + delay[mirror]! <= slot).map((v) => v.version);
  const observe = (module: string, mirror: string, slot: number): MirrorObservation => {
    const failing = module === ACTIVE && mirror === "slow" && slot % 97 === 13;
    const listed = module === ACTIVE ? listedAt(mirror, slot) : ["v0.1.0"];
    const authoritative = listed.at(-1) ?? null;
    const retracts = module === ACTIVE && versions.findIndex((v) => v.version === authoritative) >= RETRACT_FROM;
    const key = `${module} ${mirror} ${authoritative}`;
    const gomod = authoritative
      ? {
          version: authoritative,
          h1: `h1:${module}@${authoritative}`,
          text: `module ${module}\n${retracts ? "retract v1.25.0 // broken\n" : ""}`,
          fetched: !fetchedGoMods.has(key),
          deprecated: null,
          retractions: retracts ? [{ low: "v1.25.0", high: "v1.25.0", rationale: "broken" }] : [],
        }
      : null;
    if (failing) {
      return { mirror, outcome: "error", listOutcome: "error", status: 503, latencyMs: 900 + (slot % 50), message: "@v/list: HTTP 503: Service Unavailable", cacheControl: "no-cache", age: null, latestVersion: null, listedVersions: null, authoritativeVersion: null, gomod: null, requests: 2, passive: false };
    }
    return {
      mirror,
      outcome: "ok",
      listOutcome: "ok",
      status: 200,
      latencyMs: 40 + ((slot * 7 + mirror.length) % 120),
      message: null,
      cacheControl: "public, max-age=60",
      age: slot % 60,
      latestVersion: authoritative,
      listedVersions: listed,
      authoritativeVersion: authoritative,
      gomod,
      requests: 2,
      passive: false,
    };
  };

  const insertCheck = sqlite.prepare("insert into checks (module_id, at, trigger) values (?, ?, 'poll')");
  const insertOutcome = sqlite.prepare(
    `insert into check_outcomes (check_id, mirror_id, outcome, list_outcome, status, latency_ms, message, cache_control, age, latest_version, list_count, requests, passive)
     values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0)`,
  );
  const answered = sqlite.prepare("update mirror_states set last_answered_check_id = ? where module_id = ? and mirror_id = ?");
  const newest = sqlite.prepare("update modules set last_check_id = ?, last_check_at = ? where id = ?");
  const ids = new Map<string, number>();
  const idOf = (table: "modules" | "mirrors", column: "path" | "name", value: string): number => {
    const key = `${table} ${value}`;
    if (!ids.has(key)) ids.set(key, (sqlite.prepare(`select id from ${table} where ${column} = ?`).get(value) as { id: number }).id);
    return ids.get(key)!;
  };

  sqlite.transaction(() => {
    for (let slot = 0; slot < SLOTS; slot++) {
      for (const path of [ACTIVE, QUIET]) {
        const at = T0 + slot * SLOT_MS + (path === QUIET ? 30_000 : 0);
        const observations = MIRRORS.map((m) => observe(path, m, slot));
        const changed =
          slot === 0 ||
          observations.some((o) => o.listedVersions !== null && (lastLists.get(`${path} ${o.mirror}`) !== o.listedVersions.join(",") || o.gomod?.fetched));
        if (changed) {
          store.recordCheck({ module: path, at: new Date(at), trigger: "poll", observations });
          for (const o of observations) {
            if (o.gomod?.fetched) fetchedGoMods.add(`${path} ${o.mirror} ${o.gomod.version}`);
          }
        } else {
          const moduleId = idOf("modules", "path", path);
          const checkId = Number(insertCheck.run(moduleId, at).lastInsertRowid);
          newest.run(checkId, at, moduleId);
          for (const o of observations) {
            const mirrorId = idOf("mirrors", "name", o.mirror);
            insertOutcome.run(checkId, mirrorId, o.outcome, o.listOutcome, o.status, o.latencyMs, o.message, o.cacheControl, o.age, o.latestVersion, o.listedVersions?.length ?? null, o.requests);
            if (o.listOutcome !== "error") answered.run(checkId, moduleId, mirrorId);
          }
        }
        for (const o of observations) if (o.listedVersions) lastLists.set(`${path} ${o.mirror}`, o.listedVersions.join(","));
      }
    }
  })();
}

const count = (sql: string, ...params: unknown[]) => (db.$client.prepare(sql).get(...params) as { n: number }).n;
const bytes = (): number => {
  db.$client.exec("vacuum");
  db.$client.pragma("wal_checkpoint(TRUNCATE)");
  return statSync(join(dir, "year.db")).size;
};
const timeline = async (module: string, at?: number): Promise<TimelineDto> => {
  const result = await service.timeline(module, at);
  if (!result.ok) throw new Error(result.message);
  return result.timeline;
};
/** Per (module, mirror, outcome): how many answers and their total latency, live rows plus aggregates. */
const totals = () =>
  db.$client
    .prepare(
      `select module_id, mirror_id, outcome, sum(n) as n, sum(latency) as latency from (
         select c.module_id, o.mirror_id, o.outcome, count(*) as n, sum(o.latency_ms) as latency
         from check_outcomes o join checks c on c.id = o.check_id group by 1, 2, 3
         union all
         select module_id, mirror_id, outcome, sum(count), sum(latency_sum_ms) from outcome_aggregates group by 1, 2, 3)
       group by 1, 2, 3 order by 1, 2, 3`,
    )
    .all();

describe("compactOutcomes over a year of checks", () => {
  const before = {
    bytes: 0,
    outcomeRows: 0,
    checks: 0,
    totals: [] as unknown[],
    live: new Map<string, TimelineDto>(),
    referenced: new Map<number, TimelineDto>(),
    compactable: new Map<number, TimelineDto>(),
    weekCounts: [] as unknown[],
  };
  let stats: ReturnType<typeof compactOutcomes>;
  const cutoffs = retentionCutoffs(NOW, RETENTION_DAYS);
  // A week long enough ago to be folded into days, aligned to UTC days so both sides count the same checks.
  const weekStart = new Date(Math.floor((T0 + 20 * DAY_MS) / DAY_MS) * DAY_MS);
  const weekEnd = new Date(weekStart.getTime() + 7 * DAY_MS - 1);

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "mirrorlag-retention-"));
    db = openDatabase(join(dir, "year.db"));
    migrateDatabase(db);
    const config = parseConfig({ MIRRORS: MIRRORS.map((m) => `${m}=http://127.0.0.1:9/${m}`).join(","), REFERENCE_MIRROR: "ref", RATE_LIMIT_PER_MINUTE: "0" });
    service = createService({ store: createSqliteStore(db), config, clock: () => NOW });
    synthesise(db);

    before.bytes = bytes();
    before.outcomeRows = count("select count(*) as n from check_outcomes");
    before.checks = count("select count(*) as n from checks");
    before.totals = totals();
    before.weekCounts = outcomeCounts(db, weekStart, weekEnd);
    for (const path of [ACTIVE, QUIET]) before.live.set(path, await timeline(path));
    const moduleId = (db.$client.prepare("select id from modules where path = ?").get(ACTIVE) as { id: number }).id;
    const referenced = db.$client
      .prepare(
        `select from_check_id as id from listings where module_id = @m union select until_check_id from listings where module_id = @m and until_check_id is not null
         union select last_missing_check_id from listings where module_id = @m and last_missing_check_id is not null
         union select from_check_id from gomod_states where module_id = @m`,
      )
      .all({ m: moduleId }) as { id: number }[];
    for (const { id } of referenced) before.referenced.set(id, await timeline(ACTIVE, id));
    // Old unreferenced checks across the year (some with slow's 503), which compaction will fold.
    const old = db.$client
      .prepare("select id from checks where module_id = ? and at < ? and id % 211 = 0 order by id")
      .all(moduleId, cutoffs.olderThan.getTime()) as { id: number }[];
    for (const { id } of old) if (!before.referenced.has(id)) before.compactable.set(id, await timeline(ACTIVE, id));

    const started = performance.now();
    stats = compactOutcomes(db, cutoffs);
    console.log(
      `retention: ${before.checks} checks, ${before.outcomeRows} outcome rows, ${(before.bytes / 1e6).toFixed(1)} MB; compacted ${stats.checks} checks in ${Math.round(performance.now() - started)} ms`,
    );
  }, 120_000);

  afterAll(() => {
    db.$client.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("keeps the database small: most outcome rows are gone and the file shrinks by more than half", () => {
    const after = bytes();
    const outcomeRows = count("select count(*) as n from check_outcomes");
    console.log(`retention: after ${outcomeRows} outcome rows, ${count("select count(*) as n from outcome_aggregates")} aggregate rows, ${(after / 1e6).toFixed(1)} MB`);
    expect(stats.done).toBe(true);
    expect(stats.outcomeRows).toBe(before.outcomeRows - outcomeRows);
    expect(outcomeRows).toBeLessThan(before.outcomeRows * 0.12);
    expect(after).toBeLessThan(before.bytes * 0.5);
    // Checks stay: permalinks keep resolving.
    expect(count("select count(*) as n from checks")).toBe(before.checks);
  });

  it("aggregates add up to exactly what was compacted: counts and latency per module, mirror and outcome", () => {
    expect(totals()).toEqual(before.totals);
    // The home page's per-mirror statistics for a week long past: live rows before, daily aggregates after.
    const merged = (rows: unknown[]) => {
      const out: Record<string, number> = {};
      for (const r of rows as { mirror: string; outcome: string; count: number }[]) out[`${r.mirror} ${r.outcome}`] = (out[`${r.mirror} ${r.outcome}`] ?? 0) + r.count;
      return out;
    };
    expect(merged(outcomeCounts(db, weekStart, weekEnd))).toEqual(merged(before.weekCounts));
    expect(merged(before.weekCounts)["slow error"]).toBeGreaterThan(0);
  });

  it("hourly aggregates within the window, daily ones before it, nothing of recent checks", () => {
    const dayLimit = Math.floor(cutoffs.dailyOlderThan.getTime() / DAY_MS) * DAY_MS;
    expect(count("select count(*) as n from outcome_aggregates where period = 'hour' and period_start < ?", dayLimit)).toBe(0);
    expect(count("select count(*) as n from outcome_aggregates where period = 'day'")).toBeGreaterThan(0);
    expect(count("select count(*) as n from outcome_aggregates where period = 'day' and period_start % ? <> 0", DAY_MS)).toBe(0);
    expect(count("select count(*) as n from outcome_aggregates where period_start >= ?", cutoffs.olderThan.getTime())).toBe(0);
    // Every check within the retention keeps its rows, one per mirror.
    expect(count("select count(*) as n from checks c where c.at >= ? and (select count(*) from check_outcomes o where o.check_id = c.id) <> 3", cutoffs.olderThan.getTime())).toBe(0);
  });

  it("the live timeline of each module is identical: every firstSeen, lastMissing, lag, event and retraction", async () => {
    for (const path of [ACTIVE, QUIET]) expect(await timeline(path)).toEqual(before.live.get(path));
    const live = before.live.get(ACTIVE)!;
    expect(live.versions.length).toBe(53);
    expect(live.lagPoints.length).toBeGreaterThan(50);
    expect(live.retractions.length).toBe(1);
  });

  it("a permalink to any check a fact names renders exactly as before", async () => {
    expect(before.referenced.size).toBeGreaterThan(100);
    for (const [id, dto] of before.referenced) expect(await timeline(ACTIVE, id), `check ${id}`).toEqual(dto);
  });

  it("a permalink to a compacted check still renders: same versions and evidence, summaries say compacted", async () => {
    expect(before.compactable.size).toBeGreaterThan(50);
    let withError = 0;
    for (const [id, dto] of before.compactable) {
      const now = await timeline(ACTIVE, id);
      expect(now.compacted).toBe(true);
      expect(now.summaries.map((s) => [s.name, s.outcome, s.message])).toEqual(MIRRORS.map((m) => [m, "not_asked", COMPACTED_MESSAGE]));
      expect({ events: now.events, lagPoints: now.lagPoints, retractions: now.retractions, deprecated: now.deprecated, checks: now.checks }).toEqual({
        events: dto.events,
        lagPoints: dto.lagPoints,
        retractions: dto.retractions,
        deprecated: dto.deprecated,
        checks: dto.checks,
      });
      const failed = dto.summaries.filter((s) => s.outcome !== "ok").map((s) => s.name);
      if (failed.length === 0) {
        expect(now.versions, `check ${id}`).toEqual(dto.versions);
      } else {
        // A mirror that failed then shows its last answered list instead of "error"; the others are unchanged.
        withError++;
        const others = (v: TimelineDto["versions"]) => v.map((row) => ({ ...row, mirrors: Object.fromEntries(Object.entries(row.mirrors).filter(([m]) => !failed.includes(m))) }));
        expect(others(now.versions)).toEqual(others(dto.versions));
      }
    }
    expect(withError).toBeGreaterThan(0);
  });

  it("is idempotent, and a check recorded after compaction still finds the last answered check for its lastMissing", () => {
    expect(compactOutcomes(db, cutoffs)).toEqual({ checks: 0, outcomeRows: 0, hourRowsFolded: 0, done: true });
    const states = db.$client.prepare("select last_answered_check_id as id from mirror_states").all() as { id: number }[];
    for (const { id } of states) expect(count("select count(*) as n from check_outcomes where check_id = ?", id)).toBe(3);
  });

  it("works in bounded batches, reporting when more is left", () => {
    const other = openDatabase(join(dir, "batches.db"));
    migrateDatabase(other);
    const store = createCheckWriter(other);
    const obs = (mirror: string): MirrorObservation => ({ mirror, outcome: "ok", listOutcome: "ok", status: 200, latencyMs: 10, message: null, cacheControl: null, age: null, latestVersion: "v1.0.0", listedVersions: ["v1.0.0"], authoritativeVersion: null, gomod: null, requests: 2, passive: false });
    for (let i = 0; i < 50; i++) store.recordCheck({ module: ACTIVE, at: new Date(T0 + i * SLOT_MS), trigger: "poll", observations: [obs("ref")] });
    const olderThan = new Date(T0 + 100 * SLOT_MS);
    const first = compactOutcomes(other, { olderThan, batchChecks: 10, maxBatches: 2 });
    expect(first).toEqual({ checks: 20, outcomeRows: 20, hourRowsFolded: 0, done: false });
    const rest = compactOutcomes(other, { olderThan, batchChecks: 10 });
    // 50 checks: the first is a listing's from; the newest is also the mirror's last answered.
    expect(rest.checks).toBe(50 - 20 - 2);
    expect(rest.done).toBe(true);
    other.$client.close();
  });
});
