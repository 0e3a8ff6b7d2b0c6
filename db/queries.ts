import "server-only";
import { and, desc, eq, gte, inArray, isNotNull, lte, sql } from "drizzle-orm";
import type { CheckRef, GoModStateFact, RetractionFact, TimelineFacts } from "@/lib/timeline-facts";
import type { Db } from "./client";
import { checkOutcomes, checks, gomodHashes, gomodStates, listings, mirrors, modules, versions } from "./schema";

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
  return db
    .select({ path: modules.path, last: sql<number | null>`(select max(${checks.at}) from ${checks} where ${checks.moduleId} = ${modules.id})` })
    .from(modules)
    .where(eq(modules.watched, true))
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
