import "server-only";
import { and, desc, eq, gte, inArray, isNotNull, isNull, lte, sql } from "drizzle-orm";
import { alias } from "drizzle-orm/sqlite-core";
import type { CheckRef, GoModStateFact, RetractionFact, TimelineFacts } from "@/lib/timeline-facts";
import type { Db } from "./client";
import { checkOutcomes, checks, gomodHashes, gomodStates, listings, mirrors, modules, outcomeAggregates, versions } from "./schema";

export type ModuleRow = { id: number; path: string; watched: boolean };

export function findModule(db: Db, path: string): ModuleRow | null {
  return db.select({ id: modules.id, path: modules.path, watched: modules.watched }).from(modules).where(eq(modules.path, path)).get() ?? null;
}

/** Checks of a module, newest first (at most `limit`), optionally only up to a check. */
export function listChecks(db: Db, moduleId: number, options: { upTo?: number; limit: number }): CheckRef[] {
  const where = options.upTo === undefined ? eq(checks.moduleId, moduleId) : and(eq(checks.moduleId, moduleId), lte(checks.id, options.upTo));
  return db
    .select({ id: checks.id, at: checks.at })
    .from(checks)
    .where(where)
    .orderBy(desc(checks.id))
    .limit(options.limit)
    .all()
    .map((row) => ({ id: row.id, at: new Date(row.at) }));
}

export function countChecks(db: Db, moduleId: number, upTo: number): number {
  return db.select({ n: sql<number>`count(*)` }).from(checks).where(and(eq(checks.moduleId, moduleId), lte(checks.id, upTo))).get()?.n ?? 0;
}

export function findCheck(db: Db, moduleId: number, checkId: number): CheckRef | null {
  const row = db.select({ id: checks.id, at: checks.at }).from(checks).where(and(eq(checks.moduleId, moduleId), eq(checks.id, checkId))).get();
  return row ? { id: row.id, at: new Date(row.at) } : null;
}

/**
 * Loads every stored fact about a module that a timeline as of `asOf` can use. Facts recorded after asOf are
 * left out here already (and again by the pure derivation), so old permalinks stay cheap and unchanged.
 */
export function loadTimelineFacts(db: Db, module: ModuleRow, asOf: CheckRef, configuredMirrors: string[], reference: string): TimelineFacts {
  const mirrorNames = new Map(db.select().from(mirrors).all().map((m) => [m.id, m.name]));
  const name = (id: number) => mirrorNames.get(id) ?? `mirror#${id}`;

  const listingRows = db
    .select()
    .from(listings)
    .where(and(eq(listings.moduleId, module.id), lte(listings.fromCheckId, asOf.id)))
    .all();
  const stateRows = db
    .select()
    .from(gomodStates)
    .where(and(eq(gomodStates.moduleId, module.id), lte(gomodStates.fromCheckId, asOf.id)))
    .all();
  const hashRows = db
    .select()
    .from(gomodHashes)
    .where(and(eq(gomodHashes.moduleId, module.id), lte(gomodHashes.checkId, asOf.id)))
    .all();
  const outcomeRows = db.select().from(checkOutcomes).where(eq(checkOutcomes.checkId, asOf.id)).all();
  const versionRows = db.select({ version: versions.version, time: versions.time }).from(versions).where(eq(versions.moduleId, module.id)).all();

  const referenced = new Set<number>([asOf.id]);
  for (const l of listingRows) {
    referenced.add(l.fromCheckId);
    if (l.untilCheckId !== null && l.untilCheckId <= asOf.id) referenced.add(l.untilCheckId);
    if (l.lastMissingCheckId !== null) referenced.add(l.lastMissingCheckId);
  }
  for (const s of stateRows) {
    referenced.add(s.fromCheckId);
    if (s.untilCheckId !== null && s.untilCheckId <= asOf.id) referenced.add(s.untilCheckId);
  }
  const checkTimes = new Map<number, Date>();
  const ids = [...referenced];
  for (let i = 0; i < ids.length; i += 500) {
    for (const row of db.select({ id: checks.id, at: checks.at }).from(checks).where(inArray(checks.id, ids.slice(i, i + 500))).all()) {
      checkTimes.set(row.id, new Date(row.at));
    }
  }

  // Mirrors no longer configured still show if they hold facts; configured ones keep their order.
  const seen = new Set<string>(configuredMirrors);
  const extra = [...new Set([...listingRows.map((l) => name(l.mirrorId)), ...outcomeRows.map((o) => name(o.mirrorId))])].filter((m) => !seen.has(m));

  return {
    module: module.path,
    mirrors: [...configuredMirrors, ...extra],
    reference,
    asOf,
    checkTimes,
    outcomes: outcomeRows.map((o) => ({
      checkId: o.checkId,
      mirror: name(o.mirrorId),
      outcome: o.outcome,
      listOutcome: o.listOutcome,
      status: o.status,
      latencyMs: o.latencyMs,
      message: o.message,
      cacheControl: o.cacheControl,
      age: o.age,
      latestVersion: o.latestVersion,
      listCount: o.listCount,
      requests: o.requests,
      passive: o.passive,
    })),
    listings: listingRows.map((l) => ({
      mirror: name(l.mirrorId),
      version: l.version,
      fromCheckId: l.fromCheckId,
      untilCheckId: l.untilCheckId,
      lastMissingCheckId: l.lastMissingCheckId,
    })),
    gomodStates: stateRows.map(
      (s): GoModStateFact => ({
        mirror: name(s.mirrorId),
        fromCheckId: s.fromCheckId,
        untilCheckId: s.untilCheckId,
        authoritativeVersion: s.authoritativeVersion,
        deprecated: s.deprecated,
        retractions: JSON.parse(s.retractions) as RetractionFact[],
      }),
    ),
    gomodHashes: hashRows.map((h) => ({ mirror: name(h.mirrorId), version: h.version, h1: h.h1, checkId: h.checkId })),
    versionTimes: versionRows.map((v) => ({ version: v.version, time: v.time === null ? null : new Date(v.time) })),
  };
}

/** Known module paths starting with (or containing) the text, for search suggestions. */
export function suggestModules(db: Db, text: string, limit: number): string[] {
  const pattern = `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  return db
    .select({ path: modules.path })
    .from(modules)
    .where(sql`${modules.path} like ${pattern} escape '\\'`)
    .orderBy(sql`instr(${modules.path}, ${text}) = 0`, modules.path)
    .limit(limit)
    .all()
    .map((r) => r.path);
}

export function setWatched(db: Db, path: string, watched: boolean): boolean {
  return db.update(modules).set({ watched }).where(eq(modules.path, path)).run().changes > 0;
}

/** Watched modules with the time of their newest check (null if never checked). */
export function watchedModules(db: Db): { path: string; lastCheckAt: Date | null }[] {
  // A join, not a correlated subquery: drizzle leaves subquery columns unqualified, so "id" would mean checks.id.
  return db
    .select({ path: modules.path, last: sql<number | null>`max(${checks.at})` })
    .from(modules)
    .leftJoin(checks, eq(checks.moduleId, modules.id))
    .where(eq(modules.watched, true))
    .groupBy(modules.id)
    .all()
    .map((r) => ({ path: r.path, lastCheckAt: r.last === null ? null : new Date(r.last) }));
}

/** Versions that first appeared on some mirror since `since`, per module: drives the poller's fast re-checks. */
export function modulesWithRecentPickups(db: Db, since: Date): string[] {
  return db
    .selectDistinct({ path: modules.path })
    .from(listings)
    .innerJoin(checks, eq(checks.id, listings.fromCheckId))
    .innerJoin(modules, eq(modules.id, listings.moduleId))
    .where(and(gte(checks.at, since.getTime()), isNotNull(listings.lastMissingCheckId), eq(modules.watched, true)))
    .all()
    .map((r) => r.path);
}

/* ---- Home page: recent modules, current state of many modules at once, 7-day mirror statistics ---- */

export type NewestCheckRow = { moduleId: number; module: string; watched: boolean; checkId: number; at: Date };

/**
 * Modules with their newest check, newest first (the same "newest" as a module's live page: the highest
 * check id). `watchedOnly` gives the set the health summary judges; `limit` the "recently checked" list.
 */
export function recentModules(db: Db, options: { limit?: number; watchedOnly?: boolean } = {}): NewestCheckRow[] {
  const newest = alias(checks, "newest");
  return db
    .select({ moduleId: modules.id, module: modules.path, watched: modules.watched, checkId: newest.id, at: newest.at })
    .from(modules)
    .innerJoin(newest, eq(newest.id, sql`(select max(${checks.id}) from ${checks} where ${checks.moduleId} = ${modules.id})`))
    .where(options.watchedOnly ? eq(modules.watched, true) : undefined)
    .orderBy(desc(newest.id))
    // SQLite reads a negative LIMIT as "no limit".
    .limit(options.limit ?? -1)
    .all()
    .map((r) => ({ ...r, at: new Date(r.at) }));
}

/**
 * What holds as of each module's newest check, for many modules in a handful of queries: that check's
 * outcomes, the listings still open and the current go.mod states. Enough for deriveTimeline's summaries
 * (the one-word state, in sync or not); not for lags or events, which need the closed intervals too.
 */
export function loadCurrentFacts(db: Db, rows: NewestCheckRow[], configuredMirrors: string[], reference: string): Map<number, TimelineFacts> {
  const mirrorNames = new Map(db.select().from(mirrors).all().map((m) => [m.id, m.name]));
  const name = (id: number) => mirrorNames.get(id) ?? `mirror#${id}`;
  const chunks = <T>(items: T[]): T[][] => Array.from({ length: Math.ceil(items.length / 500) }, (_, i) => items.slice(i * 500, i * 500 + 500));

  const facts = new Map<number, TimelineFacts>();
  for (const row of rows) {
    facts.set(row.moduleId, {
      module: row.module,
      mirrors: [...configuredMirrors],
      reference,
      asOf: { id: row.checkId, at: row.at },
      checkTimes: new Map([[row.checkId, row.at]]),
      outcomes: [],
      listings: [],
      gomodStates: [],
      gomodHashes: [],
      versionTimes: [],
    });
  }
  const moduleOfCheck = new Map(rows.map((r) => [r.checkId, r.moduleId]));
  for (const ids of chunks(rows.map((r) => r.checkId))) {
    for (const o of db.select().from(checkOutcomes).where(inArray(checkOutcomes.checkId, ids)).all()) {
      const target = facts.get(moduleOfCheck.get(o.checkId) ?? -1);
      target?.outcomes.push({
        checkId: o.checkId,
        mirror: name(o.mirrorId),
        outcome: o.outcome,
        listOutcome: o.listOutcome,
        status: o.status,
        latencyMs: o.latencyMs,
        message: o.message,
        cacheControl: o.cacheControl,
        age: o.age,
        latestVersion: o.latestVersion,
        listCount: o.listCount,
        requests: o.requests,
        passive: o.passive,
      });
    }
  }
  for (const ids of chunks(rows.map((r) => r.moduleId))) {
    for (const l of db.select().from(listings).where(and(inArray(listings.moduleId, ids), isNull(listings.untilCheckId))).all()) {
      facts.get(l.moduleId)?.listings.push({
        mirror: name(l.mirrorId),
        version: l.version,
        fromCheckId: l.fromCheckId,
        untilCheckId: null,
        lastMissingCheckId: l.lastMissingCheckId,
      });
    }
    for (const s of db.select().from(gomodStates).where(and(inArray(gomodStates.moduleId, ids), isNull(gomodStates.untilCheckId))).all()) {
      facts.get(s.moduleId)?.gomodStates.push({
        mirror: name(s.mirrorId),
        fromCheckId: s.fromCheckId,
        untilCheckId: null,
        authoritativeVersion: s.authoritativeVersion,
        deprecated: s.deprecated,
        retractions: JSON.parse(s.retractions) as RetractionFact[],
      });
    }
  }
  // Like loadTimelineFacts: mirrors no longer configured still show if they hold facts.
  for (const f of facts.values()) {
    const seen = new Set(f.mirrors);
    for (const m of [...f.listings.map((l) => l.mirror), ...f.outcomes.map((o) => o.mirror)]) {
      if (!seen.has(m)) {
        seen.add(m);
        f.mirrors.push(m);
      }
    }
  }
  return facts;
}

/** One measured pickup: `mirror` first listed `version` of `module` lagSeconds after the reference did. */
export type LagSampleRow = { mirror: string; module: string; version: string; lagSeconds: number; seenAt: Date };

/**
 * Pickups by non-reference mirrors seen in [since, until], with their lag against the reference: the same
 * rule as lib/timeline.ts lagBetween (first listing of each version; measurable only if a pickup was observed).
 */
export function lagSamples(db: Db, reference: string, since: Date, until: Date): LagSampleRow[] {
  const rows = db.all<{ mirror: string; module: string; version: string; lagMs: number; seenAt: number }>(sql`
    with firsts as (
      -- With min(), SQLite takes the bare column from the row min() picked: the first listing of each version.
      select module_id, mirror_id, version, min(from_check_id) as from_check_id, last_missing_check_id
      from ${listings} group by module_id, mirror_id, version
    )
    select mi.name as mirror, mo.path as module, mine.version as version, seen.at - ref_seen.at as lagMs, seen.at as seenAt
    from firsts mine
    join ${mirrors} ref_mirror on ref_mirror.name = ${reference}
    join firsts ref on ref.module_id = mine.module_id and ref.version = mine.version and ref.mirror_id = ref_mirror.id
    join ${checks} seen on seen.id = mine.from_check_id
    join ${checks} ref_seen on ref_seen.id = ref.from_check_id
    join ${mirrors} mi on mi.id = mine.mirror_id
    join ${modules} mo on mo.id = mine.module_id
    where mine.mirror_id <> ref_mirror.id
      and (mine.last_missing_check_id is not null or ref.last_missing_check_id is not null)
      and seen.at >= ${since.getTime()} and seen.at <= ${until.getTime()}
  `);
  return rows.map((r) => ({ mirror: r.mirror, module: r.module, version: r.version, lagSeconds: Math.round(r.lagMs / 1000), seenAt: new Date(r.seenAt) }));
}

export type OutcomeCountRow = { mirror: string; outcome: "ok" | "not_found" | "error"; count: number };

/**
 * How each mirror answered checks made in [since, until]: live outcome rows plus the compacted
 * outcome_aggregates whose period starts in the window (compaction moves rows there, so none count twice).
 */
export function outcomeCounts(db: Db, since: Date, until: Date): OutcomeCountRow[] {
  const from = since.getTime();
  const to = until.getTime();
  return db.all<OutcomeCountRow>(sql`
    select mi.name as mirror, o.outcome as outcome, count(*) as count
    from ${checkOutcomes} o
    join ${checks} c on c.id = o.check_id
    join ${mirrors} mi on mi.id = o.mirror_id
    where c.at >= ${from} and c.at <= ${to}
    group by mi.name, o.outcome
    union all
    select mi.name as mirror, a.outcome as outcome, sum(a.count) as count
    from ${outcomeAggregates} a
    join ${mirrors} mi on mi.id = a.mirror_id
    where a.period_start >= ${from} and a.period_start <= ${to}
    group by mi.name, a.outcome
  `);
}
