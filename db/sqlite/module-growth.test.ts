import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import type { CheckTrigger, GrowthLimits, MirrorObservation } from "@/lib/store";
import { interestCutoff, pollingState } from "@/lib/store";
import { migrateDatabase, openDatabase } from "./connection";
import type { Db } from "./connection";
import { findModule, polledCount, setWatched, watchedModules } from "./queries";
import { createSqliteStore } from "./store";

/*
 * Bounded growth (issue 9/11): MAX_WATCHED_MODULES caps what checks watch, WATCH_EXPIRY_DAYS stops polling what
 * nobody looks at, interest is written at most once per throttle, and the operator can delete a module outright.
 */

const T0 = Date.UTC(2026, 0, 1);
const MINUTE = 60_000;
const DAY = 86_400_000;

// Each test's database is a file in a temporary folder, WAL and all, as the server runs it.
const dir = mkdtempSync(join(tmpdir(), "mirrorlag-growth-"));
let databases = 0;
const opened: Db[] = [];
afterAll(() => {
  for (const db of opened) db.$client.close();
  rmSync(dir, { recursive: true, force: true });
});

function fresh(limits: GrowthLimits) {
  const db = openDatabase(join(dir, `growth-${++databases}.db`));
  opened.push(db);
  migrateDatabase(db);
  return { db, store: createSqliteStore(db, limits) };
}

const served = (mirror: string, listed = ["v1.0.0"]): MirrorObservation => ({
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
  authoritativeVersion: listed.at(-1) ?? null,
  gomod: null,
  requests: 2,
  passive: false,
});

const watched = (db: Db, path: string) => findModule(db, path)?.watched;
const polled = (db: Db, now: number, days: number) => watchedModules(db, { interestSince: interestCutoff(new Date(now), days) }).map((w) => w.path).sort();

async function check(store: ReturnType<typeof fresh>["store"], module: string, at: number, trigger: CheckTrigger = "user") {
  return store.recordCheck({ module, at: new Date(at), trigger, observations: [served("ref")] });
}

describe("MAX_WATCHED_MODULES", () => {
  it("past the cap a served module is checked, its evidence stored, but not watched; room made later lets a check watch it", async () => {
    const { db, store } = fresh({ maxWatchedModules: 2, watchExpiryDays: 30 });
    await check(store, "example.com/a", T0);
    await check(store, "example.com/b", T0 + MINUTE);
    await check(store, "example.com/c", T0 + 2 * MINUTE);
    expect([watched(db, "example.com/a"), watched(db, "example.com/b"), watched(db, "example.com/c")]).toEqual([true, true, false]);
    expect(await store.watchCounts(new Date(T0 + 3 * MINUTE))).toEqual({ watched: 2, polled: 2 });
    // The evidence stays: the check and its listing are there.
    const c = findModule(db, "example.com/c");
    expect(db.$client.prepare("select count(*) as n from listings where module_id = ?").get(c?.id)).toEqual({ n: 1 });
    // Re-checking does not squeeze it in either.
    await check(store, "example.com/c", T0 + 4 * MINUTE);
    expect(watched(db, "example.com/c")).toBe(false);
    // The operator un-watches one: the next check of c finds room.
    expect(setWatched(db, "example.com/a", false)).toBe(true);
    await check(store, "example.com/c", T0 + 5 * MINUTE);
    expect(watched(db, "example.com/c")).toBe(true);
  });

  it("counts only modules still polled: an expired one makes room, and resumes only if there is room for it", async () => {
    const { db, store } = fresh({ maxWatchedModules: 1, watchExpiryDays: 3 });
    await check(store, "example.com/old", T0);
    // Four days on, old has expired: the cap counts it no more, and new is watched.
    await check(store, "example.com/new", T0 + 4 * DAY);
    expect(watched(db, "example.com/new")).toBe(true);
    expect(await store.watchCounts(new Date(T0 + 4 * DAY))).toEqual({ watched: 2, polled: 1 });
    // Someone looks at old again: no room, so it is un-watched like a new module past the cap (its data stays).
    expect(await store.noteInterest("example.com/old", new Date(T0 + 4 * DAY + MINUTE), 5 * MINUTE)).toBe(true);
    expect(watched(db, "example.com/old")).toBe(false);
    expect(polled(db, T0 + 4 * DAY + MINUTE, 3)).toEqual(["example.com/new"]);
    // A poll is nobody's interest: new expires too; then a user check of old finds room again.
    await check(store, "example.com/new", T0 + 8 * DAY, "poll");
    await check(store, "example.com/old", T0 + 8 * DAY + MINUTE);
    expect(polled(db, T0 + 8 * DAY + MINUTE, 3)).toEqual(["example.com/old"]);
  });

  it("with 0 watches nothing new, and an un-served path never counts", async () => {
    const { db, store } = fresh({ maxWatchedModules: 0, watchExpiryDays: 30 });
    await check(store, "example.com/zero", T0);
    expect(watched(db, "example.com/zero")).toBe(false);
    expect(polledCount(db, new Date(0))).toBe(0);
  });
});

describe("WATCH_EXPIRY_DAYS", () => {
  it("the poller's due modules leave out auto-watched ones nobody looked at for that long, never the operator's watches", async () => {
    const { db, store } = fresh({ maxWatchedModules: 100, watchExpiryDays: 30 });
    await check(store, "example.com/viewed", T0);
    await check(store, "example.com/ignored", T0);
    await check(store, "example.com/operator", T0);
    expect(setWatched(db, "example.com/operator", true)).toBe(true);
    // Polls for 40 days are nobody's interest; a view on day 20 keeps "viewed" alive until day 50.
    for (let day = 1; day <= 40; day++) for (const m of ["example.com/viewed", "example.com/ignored", "example.com/operator"]) await check(store, m, T0 + day * DAY, "poll");
    await store.noteInterest("example.com/viewed", new Date(T0 + 20 * DAY), 5 * MINUTE);
    expect(polled(db, T0 + 30 * DAY - 1, 30)).toEqual(["example.com/ignored", "example.com/operator", "example.com/viewed"]);
    expect(polled(db, T0 + 30 * DAY + 1, 30)).toEqual(["example.com/operator", "example.com/viewed"]);
    expect(polled(db, T0 + 51 * DAY, 30)).toEqual(["example.com/operator"]);
    // Without interestSince (the home page's count of watched modules) every watched row is there; the data stays.
    expect(watchedModules(db).length).toBe(3);
    const ignored = findModule(db, "example.com/ignored");
    if (!ignored) throw new Error("ignored vanished");
    expect(pollingState(ignored, new Date(T0 + 31 * DAY), 30)).toEqual({ kind: "expired", since: new Date(T0 + 30 * DAY), days: 30 });
    expect(db.$client.prepare("select count(*) as n from checks where module_id = ?").get(ignored.id)).toEqual({ n: 41 });
    // The next check resumes it.
    await check(store, "example.com/ignored", T0 + 51 * DAY, "api");
    expect(polled(db, T0 + 51 * DAY, 30)).toEqual(["example.com/ignored", "example.com/operator"]);
  });

  it("pollingState: not watched, polled, or expired since the last interest plus the expiry", () => {
    const row = { watched: true, autoWatch: true, lastInterestAt: new Date(T0), createdAt: new Date(T0 - DAY) };
    expect(pollingState(row, new Date(T0 + 2 * DAY), 2)).toEqual({ kind: "polled" });
    expect(pollingState(row, new Date(T0 + 2 * DAY + 1), 2)).toEqual({ kind: "expired", since: new Date(T0 + 2 * DAY), days: 2 });
    expect(pollingState({ ...row, autoWatch: false }, new Date(T0 + 99 * DAY), 2)).toEqual({ kind: "polled" });
    expect(pollingState({ ...row, watched: false }, new Date(T0), 2)).toEqual({ kind: "not_watched" });
    // No interest noted: the module's creation stands in.
    expect(pollingState({ ...row, lastInterestAt: null }, new Date(T0 + DAY + 1), 2)).toEqual({ kind: "expired", since: new Date(T0 + DAY), days: 2 });
  });
});

describe("noteInterest", () => {
  it("writes at most once per throttle and nothing for an unknown module", async () => {
    const { db, store } = fresh({ maxWatchedModules: 100, watchExpiryDays: 30 });
    await check(store, "example.com/busy", T0);
    const changes = () => (db.$client.prepare("select total_changes() as n").get() as { n: number }).n;
    const before = changes();
    for (let i = 1; i <= 100; i++) expect(await store.noteInterest("example.com/busy", new Date(T0 + i * 1000), 5 * MINUTE)).toBe(true);
    expect(changes()).toBe(before);
    expect(findModule(db, "example.com/busy")?.lastInterestAt).toEqual(new Date(T0));
    await store.noteInterest("example.com/busy", new Date(T0 + 5 * MINUTE + 1), 5 * MINUTE);
    expect(changes()).toBe(before + 1);
    expect(findModule(db, "example.com/busy")?.lastInterestAt).toEqual(new Date(T0 + 5 * MINUTE + 1));
    expect(await store.noteInterest("example.com/unknown", new Date(T0), 5 * MINUTE)).toBe(false);
    expect(findModule(db, "example.com/unknown")).toBeNull();
  });
});

describe("deleteModule", () => {
  it("removes every row of the module in every table that references it, and nothing of another module", async () => {
    const { db, store } = fresh({ maxWatchedModules: 100, watchExpiryDays: 30 });
    const gomod = (text: string) => ({ version: "v1.0.0", h1: `h1:${text}`, text, fetched: true, deprecated: null, retractions: [] });
    for (const path of ["example.com/doomed", "example.com/kept"]) {
      await store.recordCheck({ module: path, at: new Date(T0), trigger: "user", observations: [{ ...served("ref"), gomod: gomod(`module ${path}\n`) }, { ...served("b"), gomod: gomod("shared\n") }] });
      await store.recordCheck({ module: path, at: new Date(T0 + MINUTE), trigger: "user", observations: [served("ref", ["v1.0.0", "v1.1.0"]), served("b")] });
      await store.recordVersionTimes(path, [{ version: "v1.0.0", time: new Date(T0 - DAY), mirror: "ref" }]);
    }
    const doomed = findModule(db, "example.com/doomed");
    const kept = findModule(db, "example.com/kept");
    if (!doomed || !kept) throw new Error("modules not stored");
    const sqlite = db.$client;
    // What probes, resolutions and retention write, straight in: their shapes are not what is tested here.
    for (const id of [doomed.id, kept.id]) {
      sqlite.prepare("insert into probes (module_id, version, requested, at, fetch, check_id, evidence) values (?, 'v1.0.0', 'v1.0.0', ?, 1, (select max(id) from checks where module_id = ?), '{}')").run(id, T0, id);
      sqlite.prepare("insert into outcome_aggregates (module_id, mirror_id, period, period_start, outcome, count, latency_sum_ms, latency_max_ms) values (?, 1, 'hour', ?, 'ok', 3, 30, 10)").run(id, T0);
    }
    sqlite.prepare("insert into resolutions (id, created_at, input_hash, gomod, zips, status, total) values (1, ?, 'x', 'module m', 0, 'done', 2)").run(T0);
    sqlite.prepare("insert into resolution_items (resolution_id, position, module, version, indirect, excluded, probe_id) select 1, module_id, 'm', 'v1.0.0', 0, 0, id from probes").run();

    // Every table with a module_id column, found from the schema, so a table added later is covered too.
    const tables = (sqlite.prepare("select name from sqlite_master where type = 'table'").all() as { name: string }[])
      .map((t) => t.name)
      .filter((name) => (sqlite.prepare(`select name from pragma_table_info(?)`).all(name) as { name: string }[]).some((c) => c.name === "module_id"));
    expect(tables.sort()).toEqual(["checks", "gomod_hashes", "gomod_states", "listings", "mirror_states", "outcome_aggregates", "probes", "versions"]);
    const rowsOf = (id: number) => {
      const counts: Record<string, number> = {};
      for (const table of tables) counts[table] = (sqlite.prepare(`select count(*) as n from ${table} where module_id = ?`).get(id) as { n: number }).n;
      counts["check_outcomes"] = (sqlite.prepare("select count(*) as n from check_outcomes where check_id in (select id from checks where module_id = ?)").get(id) as { n: number }).n;
      counts["modules"] = (sqlite.prepare("select count(*) as n from modules where id = ?").get(id) as { n: number }).n;
      return counts;
    };
    const keptBefore = rowsOf(kept.id);
    expect(Object.values(rowsOf(doomed.id)).every((n) => n > 0)).toBe(true);

    const deleted = await store.deleteModule("example.com/doomed");
    expect(deleted).toEqual({ moduleId: doomed.id, probeIds: [expect.any(Number)] });
    expect(Object.values(rowsOf(doomed.id)).every((n) => n === 0)).toBe(true);
    expect(rowsOf(kept.id)).toEqual(keptBefore);
    // Its own go.mod text goes; the one it shared with kept stays. The resolution keeps its requirement, unprobed.
    expect((sqlite.prepare("select text from gomod_texts order by text").all() as { text: string }[]).map((r) => r.text)).toEqual(["module example.com/kept\n", "shared\n"]);
    expect(sqlite.prepare("select position, probe_id is null as unprobed from resolution_items order by position").all()).toEqual([
      { position: doomed.id, unprobed: 1 },
      { position: kept.id, unprobed: 0 },
    ]);
    expect(sqlite.pragma("foreign_key_check")).toEqual([]);
    expect(await store.deleteModule("example.com/doomed")).toBeNull();
    // Checked again later, it starts from nothing.
    await check(store, "example.com/doomed", T0 + DAY);
    expect(db.$client.prepare("select count(*) as n from checks where module_id = (select id from modules where path = 'example.com/doomed')").get()).toEqual({ n: 1 });
  });

  it("rolls back entirely when a statement fails", async () => {
    const { db, store } = fresh({ maxWatchedModules: 100, watchExpiryDays: 30 });
    await check(store, "example.com/atomic", T0);
    // A row of a table the delete does not know, referencing one of its checks: the foreign key stops the delete.
    db.$client.exec("create table extra (check_id integer references checks(id)); insert into extra select id from checks");
    await expect(store.deleteModule("example.com/atomic")).rejects.toThrow(/FOREIGN KEY/);
    expect(findModule(db, "example.com/atomic")).not.toBeNull();
    expect(db.$client.prepare("select count(*) as n from listings").get()).toEqual({ n: 1 });
  });
});
