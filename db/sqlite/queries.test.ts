import { describe, expect, it } from "vitest";
import type { MirrorObservation } from "@/lib/store";
import { createCheckWriter } from "./check-store";
import { countChecks, lagSamples, listChecks, modulesWithRecentPickups, outcomeCounts, recentModules, watchedModules } from "./queries";
import { migrateDatabase, openDatabase } from "./connection";

/** Inserts checks for modules in the given order of module ids; returns the ids per module. */
function setup(order: number[]) {
  const db = openDatabase(":memory:");
  migrateDatabase(db);
  const sqlite = db.$client;
  for (const id of new Set(order)) sqlite.prepare("insert into modules (id, path) values (?, ?)").run(id, `example.com/m${id}`);
  const insert = sqlite.prepare("insert into checks (module_id, at, trigger) values (?, ?, 'poll')");
  const ids = new Map<number, number[]>();
  order.forEach((moduleId, i) => {
    // Times deliberately not in id order: "newest" means the highest id, whatever the clock said.
    const id = Number(insert.run(moduleId, 1_000_000 - (i % 7) * 1000 + i).lastInsertRowid);
    ids.set(moduleId, [...(ids.get(moduleId) ?? []), id]);
  });
  return { db, ids };
}

const newestFirst = (ids: number[], upTo: number, limit: number) => ids.filter((id) => id <= upTo).sort((a, b) => b - a).slice(0, limit);

describe("listChecks", () => {
  it("gives the newest checks by id for a module dense among recent ids (the window) and for a sparse one (the sort)", () => {
    // Module 1 is checked every time; module 2 once in 80 checks, so its 100 newest lie far outside any window.
    const order = Array.from({ length: 12_000 }, (_, i) => (i % 80 === 0 ? 2 : 1));
    const { db, ids } = setup(order);
    for (const moduleId of [1, 2]) {
      const all = ids.get(moduleId) ?? [];
      for (const upTo of [undefined, all[all.length - 1], all[Math.floor(all.length / 2)], all[3]]) {
        for (const limit of [1, 100]) {
          const got = listChecks(db, moduleId, { upTo, limit }).map((c) => c.id);
          expect(got).toEqual(newestFirst(all, upTo ?? Infinity, limit));
        }
      }
      expect(countChecks(db, moduleId, Number.MAX_SAFE_INTEGER)).toBe(all.length);
    }
  });

  it("returns nothing for a module without checks, also in an empty database", () => {
    const { db } = setup([1, 1, 1]);
    expect(listChecks(db, 2, { limit: 100 })).toEqual([]);
    const empty = openDatabase(":memory:");
    migrateDatabase(empty);
    expect(listChecks(empty, 1, { limit: 100 })).toEqual([]);
  });
});

/* ---- The poller's and the home page's queries, on recorded checks ---- */

const T0 = Date.UTC(2026, 1, 1);
const MINUTE = 60_000;

/** A seeded PRNG (mulberry32), so the random histories below are the same on every run. */
function seeded(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function answer(mirror: string, listed: string[] | null): MirrorObservation {
  return {
    mirror,
    outcome: listed ? "ok" : "error",
    listOutcome: listed ? "ok" : "error",
    status: listed ? 200 : 503,
    latencyMs: 10 + mirror.length,
    message: null,
    cacheControl: null,
    age: null,
    latestVersion: listed?.at(-1) ?? null,
    listedVersions: listed,
    authoritativeVersion: null,
    gomod: null,
    requests: 2,
    passive: false,
  };
}

/** Six modules over 400 checks: versions appear on each mirror after a random delay, some vanish and return, lists fail now and then. */
function randomHistory(seed: number) {
  const db = openDatabase(":memory:");
  migrateDatabase(db);
  const writer = createCheckWriter(db);
  const random = seeded(seed);
  const mirrors = ["ref", "a", "b"];
  const published = new Map<string, { version: string; slot: number; delay: Record<string, number> }[]>();
  for (let slot = 0; slot < 400; slot++) {
    const path = `example.com/random/m${slot % 6}`;
    const versions = published.get(path) ?? [];
    if (random() < 0.1) {
      versions.push({ version: `v1.${versions.length}.0`, slot, delay: Object.fromEntries(mirrors.map((m) => [m, Math.floor(random() * 30) - 5])) });
    }
    published.set(path, versions);
    const observations = mirrors.map((m) => {
      if (random() < 0.05) return answer(m, null);
      return answer(m, versions.filter((v) => slot >= v.slot + v.delay[m]! && !(random() < 0.03)).map((v) => v.version));
    });
    writer.recordCheck({ module: path, at: new Date(T0 + slot * MINUTE + Math.floor(random() * 5000)), trigger: "poll", observations });
  }
  return { db, writer };
}

// The statements replaced by the window-driven ones, verbatim: the answers must not change.
const WHOLE_HISTORY_LAGS = `
  with firsts as (
    select module_id, mirror_id, version, min(from_check_id) as from_check_id, last_missing_check_id
    from listings group by module_id, mirror_id, version
  )
  select mi.name as mirror, mo.path as module, mine.version as version, seen.at - ref_seen.at as lagMs, seen.at as seenAt
  from firsts mine
  join mirrors ref_mirror on ref_mirror.name = ?
  join firsts ref on ref.module_id = mine.module_id and ref.version = mine.version and ref.mirror_id = ref_mirror.id
  join checks seen on seen.id = mine.from_check_id
  join checks ref_seen on ref_seen.id = ref.from_check_id
  join mirrors mi on mi.id = mine.mirror_id
  join modules mo on mo.id = mine.module_id
  where mine.mirror_id <> ref_mirror.id
    and (mine.last_missing_check_id is not null or ref.last_missing_check_id is not null)
    and seen.at >= ? and seen.at <= ?`;
const WHOLE_HISTORY_PICKUPS = `
  select distinct modules.path as path from listings
  join checks on checks.id = listings.from_check_id
  join modules on modules.id = listings.module_id
  where checks.at >= ? and listings.last_missing_check_id is not null and modules.watched = 1`;
const WHOLE_HISTORY_WATCHED = `
  select modules.path as path, max(checks.at) as last from modules left join checks on checks.module_id = modules.id
  where modules.watched = 1 group by modules.id`;

describe("the window-driven queries answer as the whole-history ones did", () => {
  it("lagSamples, modulesWithRecentPickups, outcomeCounts and watchedModules over random histories", () => {
    for (const seed of [1, 2, 3]) {
      const { db } = randomHistory(seed);
      db.$client.prepare("update modules set watched = 0 where path like '%m5'").run();
      const sort = <T>(rows: T[]) => rows.map((r) => JSON.stringify(r)).sort();
      for (const [from, to] of [[0, 400], [100, 160], [390, 400], [-100, 0]] as const) {
        const since = new Date(T0 + from * MINUTE);
        const until = new Date(T0 + to * MINUTE);
        const expected = (db.$client.prepare(WHOLE_HISTORY_LAGS).all("ref", since.getTime(), until.getTime()) as { mirror: string; module: string; version: string; lagMs: number; seenAt: number }[]).map(
          (r) => ({ mirror: r.mirror, module: r.module, version: r.version, lagSeconds: Math.round(r.lagMs / 1000), seenAt: new Date(r.seenAt) }),
        );
        expect(sort(lagSamples(db, "ref", since, until)), `seed ${seed} [${from}, ${to}]`).toEqual(sort(expected));
        if (from === 0) expect(expected.length).toBeGreaterThan(10);
        const pickups = (db.$client.prepare(WHOLE_HISTORY_PICKUPS).all(since.getTime()) as { path: string }[]).map((r) => r.path);
        expect(modulesWithRecentPickups(db, since).sort()).toEqual(pickups.sort());
      }
      const watched = (db.$client.prepare(WHOLE_HISTORY_WATCHED).all() as { path: string; last: number | null }[]).map((r) => ({ path: r.path, lastCheckAt: r.last === null ? null : new Date(r.last) }));
      expect(sort(watchedModules(db))).toEqual(sort(watched));
      expect(outcomeCounts(db, new Date(T0), new Date(T0 + 400 * MINUTE)).reduce((n, r) => n + r.count, 0)).toBe(400 * 3);
    }
  });
});

describe("lagSamples with modulesCheckedAfter", () => {
  it("answers, for the modules checked after the given check, exactly what the whole query answers for them", () => {
    for (const seed of [1, 2]) {
      const { db } = randomHistory(seed);
      const since = new Date(T0);
      const until = new Date(T0 + 400 * MINUTE);
      const all = lagSamples(db, "ref", since, until);
      const sort = <T>(rows: T[]) => rows.map((r) => JSON.stringify(r)).sort();
      for (const after of [0, 200, 395, 400]) {
        const checked = new Set((db.$client.prepare("select distinct m.path as path from checks c join modules m on m.id = c.module_id where c.id > ?").all(after) as { path: string }[]).map((r) => r.path));
        const part = lagSamples(db, "ref", since, until, { modulesCheckedAfter: after });
        expect(sort(part), `seed ${seed} after ${after}`).toEqual(sort(all.filter((r) => checked.has(r.module))));
        if (after === 0) expect(part.length).toBeGreaterThan(10);
        if (after === 400) expect(part).toEqual([]);
      }
    }
  });
});

describe("watchedModules", () => {
  it("with lastCheckedBefore gives only the watched modules never checked or last checked before it", () => {
    const { db, writer } = randomHistory(4);
    db.$client.prepare("insert into modules (path) values ('example.com/never-checked')").run();
    db.$client.prepare("update modules set watched = 0 where path like '%m5'").run();
    // Module m<slot % 6> is checked at each slot: the last checks are m4 at 394, m5 at 395, ..., m3 at 399 (plus up to 5 s).
    const before = new Date(T0 + 397 * MINUTE);
    expect(watchedModules(db, { lastCheckedBefore: before }).map((w) => w.path).sort()).toEqual([
      "example.com/never-checked",
      "example.com/random/m0",
      "example.com/random/m4",
    ]);
    expect(watchedModules(db).length).toBe(6);
    writer.recordCheck({ module: "example.com/random/m0", at: new Date(T0 + 500 * MINUTE), trigger: "user", observations: [answer("ref", [])] });
    expect(watchedModules(db, { lastCheckedBefore: before }).map((w) => w.path)).not.toContain("example.com/random/m0");
    expect(watchedModules(db).find((w) => w.path === "example.com/random/m0")?.lastCheckAt).toEqual(new Date(T0 + 500 * MINUTE));
  });
});

describe("recentModules", () => {
  it("gives modules by their newest check (highest id), newest first, with its time", () => {
    const { db, writer } = randomHistory(5);
    db.$client.prepare("insert into modules (path) values ('example.com/never-checked')").run();
    const rows = recentModules(db);
    // Module m<slot % 6> is checked at each slot of 0..399: m3 last.
    expect(rows.map((r) => r.module)).toEqual([3, 2, 1, 0, 5, 4].map((m) => `example.com/random/m${m}`));
    for (const row of rows) {
      const newest = db.$client.prepare("select id, at from checks where module_id = ? order by id desc limit 1").get(row.moduleId) as { id: number; at: number };
      expect({ checkId: row.checkId, at: row.at }).toEqual({ checkId: newest.id, at: new Date(newest.at) });
      expect(row.watched).toBe(true);
    }
    db.$client.prepare("update modules set watched = 0 where path like '%m5'").run();
    expect(recentModules(db, { limit: 2, watchedOnly: true }).map((r) => r.module)).toEqual(["example.com/random/m3", "example.com/random/m2"]);
    writer.recordCheck({ module: "example.com/random/m0", at: new Date(T0), trigger: "user", observations: [answer("ref", [])] });
    expect(recentModules(db, { limit: 1 })[0]?.module).toBe("example.com/random/m0");
  });
});
