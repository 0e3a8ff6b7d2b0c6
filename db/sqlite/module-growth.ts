import "server-only";
import { eq, sql } from "drizzle-orm";
import { interestCutoff } from "@/lib/store";
import type { GrowthLimits } from "@/lib/store";
import type { Db } from "./connection";
import { polledCount } from "./queries";
import { modules } from "./schema";

/** See check-store.ts: the write lock at BEGIN, so a read inside cannot be overtaken by another writer. */
const WRITE = { behavior: "immediate" } as const;

/**
 * Notes that someone looked at a module. The read comes first and outside any transaction: within the throttle
 * it is all a request costs, and no write lock is taken. A module whose polling had expired resumes, unless the
 * cap is reached: then it is un-watched like a new module past the cap (a later check with room re-watches it).
 */
export function noteInterest(db: Db, limits: GrowthLimits, path: string, at: Date, throttleMs: number): boolean {
  const read = () =>
    db.select({ id: modules.id, watched: modules.watched, autoWatch: modules.autoWatch, interest: sql<number>`coalesce(${modules.lastInterestAt}, ${modules.createdAt})` }).from(modules).where(eq(modules.path, path)).get();
  const first = read();
  if (!first) return false;
  if (first.interest > at.getTime() - throttleMs) return true;
  db.transaction(() => {
    const row = read();
    if (!row || row.interest > at.getTime() - throttleMs) return;
    const cutoff = interestCutoff(at, limits.watchExpiryDays);
    const expired = row.watched && row.autoWatch && row.interest < cutoff.getTime();
    const unwatch = expired && polledCount(db, cutoff) >= limits.maxWatchedModules;
    db.update(modules)
      .set(unwatch ? { lastInterestAt: at.getTime(), watched: false } : { lastInterestAt: at.getTime() })
      .where(eq(modules.id, row.id))
      .run();
  }, WRITE);
  return true;
}

/**
 * Whether a check may watch a module on its own now: the cap counts the modules being polled as of the check.
 * Called inside the check's transaction.
 */
export function roomToWatch(db: Db, limits: GrowthLimits, at: Date): boolean {
  return polledCount(db, interestCutoff(at, limits.watchExpiryDays)) < limits.maxWatchedModules;
}

/**
 * Every row of one module, in one transaction, children before parents (foreign keys are on). A resolution that
 * probed it keeps its requirement, unprobed; go.mod texts no other module shares go with it.
 */
export function deleteModule(db: Db, path: string): { moduleId: number; probeIds: number[] } | null {
  const sqlite = db.$client;
  return db.transaction(() => {
    const row = sqlite.prepare("select id from modules where path = ?").get(path) as { id: number } | undefined;
    if (!row) return null;
    const id = row.id;
    const probeIds = (sqlite.prepare("select id from probes where module_id = ?").all(id) as { id: number }[]).map((p) => p.id);
    const hashes = (sqlite.prepare("select distinct h1 from gomod_hashes where module_id = ?").all(id) as { h1: string }[]).map((h) => h.h1);
    const run = (statement: string) => sqlite.prepare(statement).run(id);
    run("update resolution_items set probe_id = null where probe_id in (select id from probes where module_id = ?)");
    run("delete from probes where module_id = ?");
    run("delete from check_outcomes where check_id in (select id from checks where module_id = ?)");
    for (const table of ["listings", "gomod_states", "gomod_hashes", "mirror_states", "versions", "outcome_aggregates", "checks"]) run(`delete from ${table} where module_id = ?`);
    run("delete from modules where id = ?");
    if (hashes.length > 0) {
      sqlite.prepare("delete from gomod_texts where h1 in (select value from json_each(?)) and not exists (select 1 from gomod_hashes g where g.h1 = gomod_texts.h1)").run(JSON.stringify(hashes));
    }
    return { moduleId: id, probeIds };
  }, WRITE);
}
