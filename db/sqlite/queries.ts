import "server-only";
import { and, desc, eq, inArray, isNotNull, isNull, lte, sql } from "drizzle-orm";
import type { CheckRef, GoModStateFact, LagSampleRow, ListingFact, ModuleRow, NewestCheckRow, OutcomeCountRow, OutcomeFact, RetractionFact, TimelineFacts, WatchedModule } from "@/lib/store";
import type { Db } from "./connection";
import { checkOutcomes, checks, gomodStates, listings, mirrors, modules, outcomeAggregates } from "./schema";

/** A stored outcome row as the derivations read it. */
function toOutcomeFact(o: typeof checkOutcomes.$inferSelect, mirrorName: (id: number) => string): OutcomeFact {
  const { mirrorId, ...rest } = o;
  return { ...rest, mirror: mirrorName(mirrorId) };
}

export function findModule(db: Db, path: string): ModuleRow | null {
  const row = db
    .select({ id: modules.id, path: modules.path, watched: modules.watched, autoWatch: modules.autoWatch, lastInterestAt: modules.lastInterestAt, createdAt: modules.createdAt })
    .from(modules)
    .where(eq(modules.path, path))
    .get();
  return row ? { ...row, lastInterestAt: row.lastInterestAt === null ? null : new Date(row.lastInterestAt) } : null;
}

/** Checks of a module, newest first (at most `limit`), optionally only up to a check. */
export function listChecks(db: Db, moduleId: number, options: { upTo?: number; limit: number }): CheckRef[] {
  // checks_module holds (module_id, rowid): the newest ids of one module are the end of its range, read backwards.
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
  // Plain prepared statements in raw (array) mode, not drizzle selects: a module with a long history has thousands
  // of interval rows, and building each row object in the driver (or mapping it through drizzle's columns) cost
  // more than running the queries.
  const sqlite = db.$client;
  const rows = <T extends unknown[]>(query: string, ...params: unknown[]): T[] => sqlite.prepare(query).raw().all(...params) as T[];

  const listingRows = rows<[number, string, number, number | null, number | null]>(
    "select mirror_id, version, from_check_id, until_check_id, last_missing_check_id from listings where module_id = ? and from_check_id <= ?",
    module.id,
    asOf.id,
  ).map(([mirrorId, version, fromCheckId, untilCheckId, lastMissingCheckId]): ListingFact => ({ mirror: name(mirrorId), version, fromCheckId, untilCheckId, lastMissingCheckId }));
  // Consecutive go.mod states mostly repeat one retract set: parse each distinct text once (the arrays are only read).
  const parsedRetractions = new Map<string, RetractionFact[]>();
  const stateRows = rows<[number, number, number | null, string | null, string | null, string]>(
    "select mirror_id, from_check_id, until_check_id, authoritative_version, deprecated, retractions from gomod_states where module_id = ? and from_check_id <= ?",
    module.id,
    asOf.id,
  ).map(([mirrorId, fromCheckId, untilCheckId, authoritativeVersion, deprecated, text]): GoModStateFact => {
    let retractions = parsedRetractions.get(text);
    if (!retractions) parsedRetractions.set(text, (retractions = JSON.parse(text) as RetractionFact[]));
    return { mirror: name(mirrorId), fromCheckId, untilCheckId, authoritativeVersion, deprecated, retractions };
  });
  const hashRows = rows<[number, string, string, number]>(
    "select mirror_id, version, h1, check_id from gomod_hashes where module_id = ? and check_id <= ?",
    module.id,
    asOf.id,
  ).map(([mirrorId, version, h1, checkId]) => ({ mirror: name(mirrorId), version, h1, checkId }));
  const outcomeRows = db.select().from(checkOutcomes).where(eq(checkOutcomes.checkId, asOf.id)).all();
  const versionTimes = rows<[string, number | null]>("select version, time from versions where module_id = ?", module.id).map(([version, time]) => ({
    version,
    time: time === null ? null : new Date(time),
  }));

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
  // One statement for every referenced check (a JSON array of ids), not one per 500 ids.
  const checkTimes = new Map<number, Date>();
  for (const [id, at] of rows<[number, number]>("select id, at from checks where id in (select value from json_each(?))", JSON.stringify([...referenced]))) {
    checkTimes.set(id, new Date(at));
  }

  // Mirrors no longer configured still show if they hold facts; configured ones keep their order.
  const seen = new Set<string>(configuredMirrors);
  const extra = [...new Set([...listingRows.map((l) => l.mirror), ...outcomeRows.map((o) => name(o.mirrorId))])].filter((m) => !seen.has(m));

  return {
    module: module.path,
    mirrors: [...configuredMirrors, ...extra],
    reference,
    asOf,
    checkTimes,
    // Every recorded check has one outcome row per mirror asked; none left means retention compacted them.
    compacted: outcomeRows.length === 0,
    outcomes: outcomeRows.map((o) => toOutcomeFact(o, name)),
    listings: listingRows,
    gomodStates: stateRows,
    gomodHashes: hashRows,
    versionTimes,
  };
}

/** What each mirror answered in one check (none when retention compacted it). */
export function checkOutcomeFacts(db: Db, checkId: number): OutcomeFact[] {
  const mirrorNames = new Map(db.select().from(mirrors).all().map((m) => [m.id, m.name]));
  const name = (id: number) => mirrorNames.get(id) ?? `mirror#${id}`;
  return db.select().from(checkOutcomes).where(eq(checkOutcomes.checkId, checkId)).all().map((o) => toOutcomeFact(o, name));
}

/**
 * What can still change a timeline as of a fixed check: commit times filled in after it, and retention
 * compacting its outcome rows. Every other fact it reads was written by a check up to asOf and never changes.
 */
export function timelineFingerprint(db: Db, moduleId: number, asOfId: number): string {
  const row = db.$client
    .prepare(
      "select (select count(*) from versions where module_id = ? and time is not null) as timed, (select count(*) from check_outcomes where check_id = ?) as outcomes",
    )
    .get(moduleId, asOfId) as { timed: number; outcomes: number };
  return `${row.timed}:${row.outcomes}`;
}

/**
 * Known module paths starting with the text, then others containing it (ASCII case aside), each by path, for search
 * suggestions. Both walk the unique index on path in order and stop at `limit` (the prefix as a range of it), so
 * neither sorts the matches; a text few paths contain still reads the whole index once (a LIKE '%q%' can do no
 * better), which the callers bound by the text's length and the read budget.
 */
export function suggestModules(db: Db, text: string, limit: number): string[] {
  if (limit <= 0 || text === "") return [];
  const pattern = `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  // Past every path that starts with the text: U+10FFFF sorts after any character a module path may hold.
  const upper = `${text}\u{10FFFF}`;
  // Only modules some mirror has listed: a path no mirror knows, or one known only from a pasted go.mod (perhaps
  // a private one), is nobody else's business.
  const served = sql`${modules.lastCheckId} is not null and exists (select 1 from ${listings} where ${listings.moduleId} = ${modules.id})`;
  const prefixed = db
    .select({ path: modules.path })
    .from(modules)
    .where(sql`${modules.path} >= ${text} and ${modules.path} < ${upper} and ${served}`)
    .orderBy(modules.path)
    .limit(limit)
    .all()
    .map((r) => r.path);
  if (prefixed.length >= limit) return prefixed;
  const containing = db
    .select({ path: modules.path })
    .from(modules)
    .where(sql`${modules.path} like ${pattern} escape '\\' and ${served}`)
    .orderBy(modules.path)
    .limit(limit + prefixed.length)
    .all()
    .map((r) => r.path);
  // The prefixed paths match the LIKE too: dropped here rather than by a range test on every row scanned.
  const seen = new Set(prefixed);
  return [...prefixed, ...containing.filter((p) => !seen.has(p))].slice(0, limit);
}

/** The operator's choice: it stands against later checks (auto-watching stops for this module). */
export function setWatched(db: Db, path: string, watched: boolean): boolean {
  return db.update(modules).set({ watched, autoWatch: false }).where(eq(modules.path, path)).run().changes > 0;
}

/**
 * Watched modules with the time of their newest check (null if never checked); with `lastCheckedBefore`, only
 * those never checked or last checked before it; with `interestSince`, only those still polled (pollingState).
 * Reads the module rows alone, whatever the number of checks.
 */
export function watchedModules(db: Db, options: { lastCheckedBefore?: Date; interestSince?: Date } = {}): WatchedModule[] {
  const before = options.lastCheckedBefore?.getTime();
  const live = options.interestSince === undefined ? sql`` : sql` and ${stillPolled(options.interestSince)}`;
  // Two ranges of modules_watched_last_check_at (never checked, checked before T), not an OR SQLite would scan for.
  const rows =
    before === undefined
      ? db.all<{ path: string; last: number | null }>(sql`select path, last_check_at as last from ${modules} where watched = 1${live}`)
      : db.all<{ path: string; last: number | null }>(sql`
          select path, last_check_at as last from ${modules} where watched = 1 and last_check_at is null${live}
          union all
          select path, last_check_at as last from ${modules} where watched = 1 and last_check_at < ${before}${live}`);
  return rows.map((r) => ({ path: r.path, lastCheckAt: r.last === null ? null : new Date(r.last) }));
}

/** A watched module's row is polled: the operator watched it, or someone looked at it since the cut-off (pollingState in SQL). */
export function stillPolled(interestSince: Date) {
  return sql`(auto_watch = 0 or coalesce(last_interest_at, created_at) >= ${interestSince.getTime()})`;
}

/** Modules the poller polls as of the cut-off: what MAX_WATCHED_MODULES counts. */
export function polledCount(db: Db, interestSince: Date): number {
  return db.get<{ n: number }>(sql`select count(*) as n from ${modules} where watched = 1 and ${stillPolled(interestSince)}`)?.n ?? 0;
}

export function watchCounts(db: Db, interestSince: Date): { watched: number; polled: number } {
  const row = db.get<{ watched: number; polled: number }>(
    sql`select count(*) as watched, coalesce(sum(${stillPolled(interestSince)}), 0) as polled from ${modules} where watched = 1`,
  );
  return { watched: row?.watched ?? 0, polled: row?.polled ?? 0 };
}

/** Versions that first appeared on some mirror since `since`, per module: drives the poller's fast re-checks. */
export function modulesWithRecentPickups(db: Db, since: Date): string[] {
  // From the window's checks (checks_at) to the listings they opened (listings_from_check): the poller asks
  // every 15 s, so this reads the last two hours, not every pickup ever. CROSS JOIN fixes that order in SQLite,
  // which could otherwise start from all listings with a lastMissing (listings_last_missing_check).
  return db
    .all<{ path: string }>(sql`
      select distinct m.path as path
      from ${checks} c
      cross join ${listings} l on l.from_check_id = c.id
      cross join ${modules} m on m.id = c.module_id
      where c.at >= ${since.getTime()} and l.last_missing_check_id is not null and m.watched = 1`)
    .map((r) => r.path);
}

/* ---- Home page: recent modules, current state of many modules at once, 7-day mirror statistics ---- */

/**
 * Modules with their newest check, newest first (the same "newest" as a module's live page: the highest
 * check id). `watchedOnly` gives the set the health summary judges; `limit` the "recently checked" list.
 */
export function recentModules(db: Db, options: { limit?: number; watchedOnly?: boolean } = {}): NewestCheckRow[] {
  // modules.last_check_id is that newest check (recordCheck keeps it); modules_last_check gives the order.
  return db
    .select({ moduleId: modules.id, module: modules.path, watched: modules.watched, checkId: modules.lastCheckId, at: modules.lastCheckAt })
    .from(modules)
    .where(and(isNotNull(modules.lastCheckId), options.watchedOnly ? eq(modules.watched, true) : undefined))
    .orderBy(desc(modules.lastCheckId))
    // SQLite reads a negative LIMIT as "no limit".
    .limit(options.limit ?? -1)
    .all()
    .flatMap((r) => (r.checkId === null || r.at === null ? [] : [{ ...r, checkId: r.checkId, at: new Date(r.at) }]));
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
      target?.outcomes.push(toOutcomeFact(o, name));
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

/**
 * Pickups by non-reference mirrors seen in [since, until], with their lag against the reference: the same
 * rule as lagBetween in lib/timeline (first listing of each version; measurable only if a pickup was observed).
 */
export function lagSamples(db: Db, reference: string, since: Date, until: Date, options: { modulesCheckedAfter?: number } = {}): LagSampleRow[] {
  const after = options.modulesCheckedAfter;
  // Driven from the window's checks (checks_at) to the listings they opened (listings_from_check); listings_first
  // answers "is this the version's first listing on its mirror" and finds the reference's first listing. CROSS
  // JOIN keeps SQLite to that order (it may otherwise start from every module's reference listings).
  const rows = db.all<{ mirror: string; module: string; version: string; lagMs: number; seenAt: number }>(sql`
    select mi.name as mirror, mo.path as module, mine.version as version, seen.at - ref_seen.at as lagMs, seen.at as seenAt
    from ${mirrors} ref_mirror
    cross join ${checks} seen
    cross join ${listings} mine on mine.from_check_id = seen.id
    cross join ${listings} ref on ref.module_id = mine.module_id and ref.version = mine.version and ref.mirror_id = ref_mirror.id
    cross join ${checks} ref_seen on ref_seen.id = ref.from_check_id
    cross join ${mirrors} mi on mi.id = mine.mirror_id
    cross join ${modules} mo on mo.id = mine.module_id
    where ref_mirror.name = ${reference}
      and seen.at >= ${since.getTime()} and seen.at <= ${until.getTime()}
      and mine.mirror_id <> ref_mirror.id
      ${after === undefined ? sql`` : sql`and mine.module_id in (select module_id from ${checks} where id > ${after})`}
      and mine.from_check_id = (
        select min(f.from_check_id) from ${listings} f where f.module_id = mine.module_id and f.version = mine.version and f.mirror_id = mine.mirror_id)
      and ref.from_check_id = (
        select min(f.from_check_id) from ${listings} f where f.module_id = mine.module_id and f.version = mine.version and f.mirror_id = ref_mirror.id)
      and (mine.last_missing_check_id is not null or ref.last_missing_check_id is not null)
  `);
  return rows.map((r) => ({ mirror: r.mirror, module: r.module, version: r.version, lagSeconds: Math.round(r.lagMs / 1000), seenAt: new Date(r.seenAt) }));
}

/**
 * How each mirror answered checks made in [since, until]: live outcome rows plus the compacted
 * outcome_aggregates whose period starts in the window (compaction moves rows there, so none count twice).
 */
export function outcomeCounts(db: Db, since: Date, until: Date): OutcomeCountRow[] {
  const from = since.getTime();
  const to = until.getTime();
  return db.all<OutcomeCountRow>(sql`
    -- The window's checks first (checks_at, kept first by CROSS JOIN), then their outcome rows.
    select mi.name as mirror, o.outcome as outcome, count(*) as count
    from ${checks} c
    cross join ${checkOutcomes} o on o.check_id = c.id
    cross join ${mirrors} mi on mi.id = o.mirror_id
    where c.at >= ${from} and c.at <= ${to}
    group by mi.name, o.outcome
    union all
    select mi.name as mirror, a.outcome as outcome, sum(a.count) as count
    from ${outcomeAggregates} a
    join ${mirrors} mi on mi.id = a.mirror_id
    -- Both periods named, so outcome_aggregates_period (period, period_start) serves the window.
    where a.period in ('hour', 'day') and a.period_start >= ${from} and a.period_start <= ${to}
    group by mi.name, a.outcome
  `);
}
