import "server-only";
import { createHash } from "node:crypto";
import { and, eq, inArray, isNull, sql } from "drizzle-orm";
import { DEFAULT_GROWTH, interestCutoff } from "@/lib/store";
import type { CheckRecord, CheckResult, GrowthLimits, MirrorObservation, MirrorOutcomeSummary, MissingVersionTime, VersionTime } from "@/lib/store";
import type { Database, Statement } from "better-sqlite3";
import type { Db } from "./connection";
import { roomToWatch } from "./module-growth";
import { checkOutcomes, checks, gomodHashes, gomodStates, gomodTexts, listings, mirrorStates, mirrors, modules, versions } from "./schema";

/** What a check reads and writes, synchronously over one better-sqlite3 connection (store.ts wraps it). */
export type CheckWriter = {
  findGoMod(module: string, mirror: string, version: string): { h1: string; text: string } | null;
  recordCheck(record: CheckRecord): { check: CheckResult; newVersions: string[] };
  lastCheck(module: string): CheckResult | null;
  recordVersionTimes(module: string, times: VersionTime[]): void;
  recordVersionTimeFailures(module: string, versions: string[], retryAt: Date): void;
  missingVersionTimes(now: Date, limit: number): MissingVersionTime[];
};

/**
 * Every write transaction takes the write lock at BEGIN: a deferred one that read first cannot upgrade its
 * snapshot while another connection writes, and fails with SQLITE_BUSY without waiting for busy_timeout.
 */
const WRITE = { behavior: "immediate" } as const;

/**
 * The statements a first check of a big module runs thousands of times (one per version and mirror): prepared
 * once, run with plain parameters. Built through drizzle's query builder per row they cost five times as much.
 */
type BulkStatements = {
  openListings: Statement<[number, number], { id: number; version: string }>;
  closeListing: Statement<[number, number]>;
  insertListings: Statement<[number, number, number, number | null, string]>;
  insertVersions: Statement<[number, string], { version: string }>;
  setVersionTime: Statement<[number | null, number, number, string]>;
};

function bulkStatements(sqlite: Database): BulkStatements {
  return {
    openListings: sqlite.prepare("select id, version from listings where module_id = ? and mirror_id = ? and until_check_id is null"),
    closeListing: sqlite.prepare("update listings set until_check_id = ? where id = ?"),
    // Many rows per call from a JSON array of versions, in array order: one statement step instead of one per
    // version halves the write of a first check (2,000 versions × 3 mirrors: ~40 ms → ~19 ms here).
    insertListings: sqlite.prepare(
      "insert into listings (module_id, mirror_id, version, from_check_id, last_missing_check_id) select ?, ?, value, ?, ? from json_each(?) order by key",
    ),
    // `where true` tells SQLite's parser the `on conflict` is the upsert clause, not part of the join.
    insertVersions: sqlite.prepare("insert into versions (module_id, version) select ?, value from json_each(?) where true order by key on conflict do nothing returning version"),
    // An answer ends the retries: the version is no longer missing, whether or not it carried a time.
    setVersionTime: sqlite.prepare("update versions set time = ?, info_mirror_id = ?, info_attempts = 0, info_retry_at = null where module_id = ? and version = ?"),
  };
}

export function createCheckWriter(db: Db, limits: GrowthLimits = DEFAULT_GROWTH): CheckWriter {
  const bulk = bulkStatements(db.$client);
  const mirrorIds = new Map<string, number>();
  // Called before a check's transaction, never inside it: an id cached from a transaction that then rolled back
  // would name a row that no longer exists. Only committed rows are cached (a caller's outer transaction may still roll back).
  const mirrorId = (name: string): number => {
    const known = mirrorIds.get(name);
    if (known !== undefined) return known;
    db.insert(mirrors).values({ name }).onConflictDoNothing().run();
    const row = db.select({ id: mirrors.id }).from(mirrors).where(eq(mirrors.name, name)).get();
    if (!row) throw new Error(`mirror ${name} could not be stored`);
    if (!db.$client.inTransaction) mirrorIds.set(name, row.id);
    return row.id;
  };
  const mirrorIdsOf = (names: string[]): Map<string, number> => new Map(names.map((name) => [name, mirrorId(name)]));
  const idIn = (ids: Map<string, number>, name: string): number => {
    const id = ids.get(name);
    if (id === undefined) throw new Error(`mirror ${name} was not resolved`);
    return id;
  };
  const moduleId = (path: string): number | null => db.select({ id: modules.id }).from(modules).where(eq(modules.path, path)).get()?.id ?? null;

  return {
    findGoMod(module, mirror, version) {
      const row = db
        .select({ h1: gomodHashes.h1, text: gomodTexts.text })
        .from(gomodHashes)
        .innerJoin(modules, eq(modules.id, gomodHashes.moduleId))
        .innerJoin(mirrors, eq(mirrors.id, gomodHashes.mirrorId))
        .innerJoin(gomodTexts, eq(gomodTexts.h1, gomodHashes.h1))
        .where(and(eq(modules.path, module), eq(mirrors.name, mirror), eq(gomodHashes.version, version)))
        .get();
      return row ?? null;
    },

    recordCheck(record) {
      const ids = mirrorIdsOf(record.observations.map((o) => o.mirror));
      return db.transaction((tx) => {
        // Watched automatically only once a mirror served it: a path no mirror knows keeps its evidence, unpolled.
        const served = record.observations.some((o) => (o.listOutcome === "ok" && (o.listedVersions?.length ?? 0) > 0) || o.latestVersion !== null);
        // Any check but the poller's is someone's interest; past MAX_WATCHED_MODULES polled modules, none is watched anew.
        const at = record.at.getTime();
        const interest = record.trigger !== "poll";
        const before = tx.select({ watched: modules.watched, autoWatch: modules.autoWatch, interest: sql<number>`coalesce(${modules.lastInterestAt}, ${modules.createdAt})` }).from(modules).where(eq(modules.path, record.module)).get();
        if (!before) {
          tx.insert(modules).values({ path: record.module, watched: served && roomToWatch(tx as unknown as Db, limits, record.at), lastInterestAt: interest ? at : null }).run();
        } else if (before.autoWatch) {
          const expired = before.watched && before.interest < interestCutoff(record.at, limits.watchExpiryDays).getTime();
          // Starting (or resuming an expired module's) polling needs room under the cap; without it the module waits unwatched.
          const starts = served && (!before.watched || (expired && interest));
          if (starts) {
            const room = roomToWatch(tx as unknown as Db, limits, record.at);
            // Watched anew with room; an expired module without room is un-watched (the cap holds the polled set).
            if (room !== before.watched) tx.update(modules).set({ watched: room }).where(eq(modules.path, record.module)).run();
          }
        }
        const modId = moduleId(record.module);
        if (modId === null) throw new Error(`module ${record.module} could not be stored`);
        const checkId = Number(
          tx.insert(checks).values({ moduleId: modId, at, trigger: record.trigger }).returning({ id: checks.id }).get().id,
        );
        // Ids only grow, so this check is the module's newest: one in-place update, no new row.
        tx.update(modules)
          .set(interest ? { lastCheckId: checkId, lastCheckAt: at, lastInterestAt: sql`max(coalesce(${modules.lastInterestAt}, 0), ${at})` } : { lastCheckId: checkId, lastCheckAt: at })
          .where(eq(modules.id, modId))
          .run();
        const newVersions = new Set<string>();
        for (const observation of record.observations) {
          const mId = idIn(ids, observation.mirror);
          tx.insert(checkOutcomes)
            .values({
              checkId,
              mirrorId: mId,
              outcome: observation.outcome,
              listOutcome: observation.listOutcome,
              status: observation.status,
              latencyMs: observation.latencyMs,
              message: observation.message,
              cacheControl: observation.cacheControl,
              age: observation.age,
              latestVersion: observation.latestVersion,
              listCount: observation.listedVersions?.length ?? null,
              requests: observation.requests,
              passive: observation.passive,
              finalUrl: observation.finalUrl ?? null,
            })
            .run();
          for (const version of recordListing(tx as unknown as Db, bulk, modId, mId, checkId, observation)) newVersions.add(version);
          recordGoMod(tx as unknown as Db, modId, mId, checkId, observation);
        }
        // Versions first listed anywhere in this check get a row; their commit time is asked for right after.
        const inserted = newVersions.size === 0 ? new Set<string>() : new Set(bulk.insertVersions.all(modId, JSON.stringify([...newVersions])).map((r) => r.version));
        const fresh = [...newVersions].filter((version) => inserted.has(version));
        return { check: toCheckResult(checkId, record), newVersions: fresh };
      }, WRITE);
    },

    lastCheck(module) {
      // The module row names its newest check: one look-up by path, no search through its checks.
      const row = db.select({ id: modules.lastCheckId, at: modules.lastCheckAt }).from(modules).where(eq(modules.path, module)).get();
      if (!row || row.id === null || row.at === null) return null;
      return loadCheckResult(db, row.id, module, new Date(row.at));
    },

    recordVersionTimes(module, times) {
      const modId = moduleId(module);
      if (modId === null) return;
      const ids = mirrorIdsOf(times.map((t) => t.mirror));
      db.transaction(() => {
        for (const { version, time, mirror } of times) bulk.setVersionTime.run(time ? time.getTime() : null, idIn(ids, mirror), modId, version);
      }, WRITE);
    },

    recordVersionTimeFailures(module, failed, retryAt) {
      const modId = moduleId(module);
      if (modId === null || failed.length === 0) return;
      db.transaction((tx) => {
        for (let i = 0; i < failed.length; i += 500) {
          tx.update(versions)
            .set({ infoAttempts: sql`${versions.infoAttempts} + 1`, infoRetryAt: retryAt.getTime() })
            // Only a version still missing: one answered meanwhile (another look-up won) keeps its answer.
            .where(and(eq(versions.moduleId, modId), inArray(versions.version, failed.slice(i, i + 500)), isNull(versions.time), isNull(versions.infoMirrorId)))
            .run();
        }
      }, WRITE);
    },

    missingVersionTimes(now, limit) {
      // versions_missing_due holds only the missing rows; "oldest" is the order rows were written (rowid), i.e. the
      // order checks first saw the versions. The mirrors: those with an open listing of it, first listed first.
      const rows = db.all<{ module: string; version: string; attempts: number; mirrors: string | null }>(sql`
        select mo.path as module, v.version as version, v.info_attempts as attempts,
          (select group_concat(name, char(31)) from (
             select mi.name as name from ${listings} l join ${mirrors} mi on mi.id = l.mirror_id
             where l.module_id = v.module_id and l.version = v.version and l.until_check_id is null
             order by l.id)) as mirrors
        from ${versions} v
        join ${modules} mo on mo.id = v.module_id
        where v.time is null and v.info_mirror_id is null and (v.info_retry_at is null or v.info_retry_at <= ${now.getTime()})
        order by +v.rowid
        limit ${limit}`);
      return rows.map((r) => ({ module: r.module, version: r.version, attempts: r.attempts, mirrors: r.mirrors === null ? [] : r.mirrors.split("\u001f") }));
    },
  };
}

/** Updates listing intervals from one mirror's answer; returns versions this mirror lists for the first time. */
function recordListing(db: Db, bulk: BulkStatements, modId: number, mId: number, checkId: number, observation: MirrorObservation): string[] {
  const state = db
    .select()
    .from(mirrorStates)
    .where(and(eq(mirrorStates.moduleId, modId), eq(mirrorStates.mirrorId, mId)))
    .get();
  const answered = observation.listOutcome !== "error";
  const listed = observation.listedVersions;
  const listHash = listed ? createHash("sha256").update(listed.join("\n")).digest("base64url") : null;
  const added: string[] = [];

  // Only a changed list touches per-version rows: an unchanged re-check writes O(1) here.
  if (listed && listHash !== state?.listHash) {
    const open = bulk.openListings.all(modId, mId);
    const openVersions = new Set(open.map((row) => row.version));
    const now = new Set(listed);
    for (const row of open) if (!now.has(row.version)) bulk.closeListing.run(checkId, row.id);
    const lastMissing = state?.lastAnsweredCheckId ?? null;
    for (const version of listed) if (!openVersions.has(version)) added.push(version);
    if (added.length > 0) bulk.insertListings.run(modId, mId, checkId, lastMissing, JSON.stringify(added));
  }

  if (answered) {
    // A 404 list leaves intervals open (the mirror may come back) but still counts as "answered, not listed".
    const values = { listHash: listed ? listHash : (state?.listHash ?? null), lastAnsweredCheckId: checkId };
    db.insert(mirrorStates)
      .values({ moduleId: modId, mirrorId: mId, ...values })
      .onConflictDoUpdate({ target: [mirrorStates.moduleId, mirrorStates.mirrorId], set: values })
      .run();
  }
  return added;
}

/** Stores a newly fetched go.mod and opens a new go.mod state interval when retractions or deprecation changed. */
function recordGoMod(db: Db, modId: number, mId: number, checkId: number, observation: MirrorObservation): void {
  const gomod = observation.gomod;
  if (!gomod) return;
  if (gomod.fetched) {
    db.insert(gomodTexts).values({ h1: gomod.h1, text: gomod.text }).onConflictDoNothing().run();
    db.insert(gomodHashes).values({ moduleId: modId, mirrorId: mId, version: gomod.version, h1: gomod.h1, checkId }).onConflictDoNothing().run();
  }
  const retractions = JSON.stringify(gomod.retractions);
  const open = db
    .select()
    .from(gomodStates)
    .where(and(eq(gomodStates.moduleId, modId), eq(gomodStates.mirrorId, mId), isNull(gomodStates.untilCheckId)))
    .get();
  if (open && open.authoritativeVersion === gomod.version && open.retractions === retractions && open.deprecated === gomod.deprecated) return;
  if (open) db.update(gomodStates).set({ untilCheckId: checkId }).where(eq(gomodStates.id, open.id)).run();
  db.insert(gomodStates)
    .values({ moduleId: modId, mirrorId: mId, fromCheckId: checkId, authoritativeVersion: gomod.version, deprecated: gomod.deprecated, retractions })
    .run();
}

function toCheckResult(id: number, record: CheckRecord): CheckResult {
  const summaries: Record<string, MirrorOutcomeSummary> = {};
  for (const o of record.observations) summaries[o.mirror] = { outcome: o.outcome, status: o.status, latencyMs: o.latencyMs, message: o.message };
  return { id, module: record.module, at: record.at, passive: record.observations.some((o) => o.passive), mirrors: summaries };
}

export function loadCheckResult(db: Db, checkId: number, module: string, at: Date): CheckResult {
  const rows = db
    .select({ name: mirrors.name, outcome: checkOutcomes.outcome, status: checkOutcomes.status, latencyMs: checkOutcomes.latencyMs, message: checkOutcomes.message, passive: checkOutcomes.passive })
    .from(checkOutcomes)
    .innerJoin(mirrors, eq(mirrors.id, checkOutcomes.mirrorId))
    .where(eq(checkOutcomes.checkId, checkId))
    .all();
  const summaries: Record<string, MirrorOutcomeSummary> = {};
  for (const { name, passive: _passive, ...rest } of rows) summaries[name] = rest;
  return { id: checkId, module, at, passive: rows.some((r) => r.passive), mirrors: summaries };
}
