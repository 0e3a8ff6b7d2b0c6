import "server-only";
import type { CompactOptions, CompactStats } from "@/lib/store";
import type { Db } from "./connection";

/*
 * Retention: per-check outcome rows older than RETENTION_DAYS are folded into outcome_aggregates.
 *
 * - Hourly first: a compacted check_outcomes row adds to the (module, mirror, hour, outcome) row: count, latency
 *   sum and max. Hours older than `dailyOlderThan` (the scheduler uses 7 × the retention) fold again into UTC days,
 *   whole days only, so a year of history costs at most ~180 × 24 + 185 rows per (module, mirror, outcome).
 * - Kept whole: outcome rows of every check a stored fact names (listings from/until/last-missing, go.mod states
 *   from/until, go.mod hashes, each mirror's last answered check, which the next pickup will name as lastMissing)
 *   and of each module's newest check. firstSeen/lastMissing, lags, events and the evidence of every change only
 *   read those checks, so they stay identical; a compacted check keeps its `checks` row, so permalinks still resolve.
 * - Proportional to what changed: a cursor in retention_state, ordered by (at, id) along checks(at), marks how far
 *   the scan got; each batch tests only checks after it, each through the indexes on the columns that name checks.
 *   Later checks never name an older one except as lastMissing (a mirror's last answered check, kept while it is
 *   one), so a check passed as compactable never has to be looked at again. The one consequence: a check kept
 *   because it was its module's newest or a mirror's last answered check when the cursor passed it stays whole
 *   (at most one per module and mirror), as does a check recorded later with a clock older than the cursor.
 * - Batched: each batch is one short transaction, so the poller's writes are never held up for long.
 */

const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;
const CURSOR = "check_outcomes";

/** Checks after the cursor and before the cut-off, oldest first, that no fact names and that still have outcome rows. */
const PICK_BATCH = `
  insert into retention_batch (id, at)
  select c.id, c.at from checks c
  where c.at >= @cursorAt and (c.at > @cursorAt or c.id > @cursorId) and c.at < @cutoff
    and exists (select 1 from check_outcomes o where o.check_id = c.id)
    and not exists (select 1 from listings l where l.from_check_id = c.id)
    and not exists (select 1 from listings l where l.until_check_id = c.id)
    and not exists (select 1 from listings l where l.last_missing_check_id = c.id)
    and not exists (select 1 from gomod_states s where s.from_check_id = c.id)
    and not exists (select 1 from gomod_states s where s.until_check_id = c.id)
    and not exists (select 1 from gomod_hashes h where h.check_id = c.id)
    and not exists (select 1 from mirror_states ms where ms.last_answered_check_id = c.id)
    and c.id is not (select m.last_check_id from modules m where m.id = c.module_id)
  order by c.at, c.id
  limit @limit`;

export function compactOutcomes(db: Db, options: CompactOptions): CompactStats {
  const sqlite = db.$client;
  const batchChecks = options.batchChecks ?? 2000;
  const cutoff = options.olderThan.getTime();
  const stats: CompactStats = { checks: 0, outcomeRows: 0, hourRowsFolded: 0, done: false };

  sqlite.exec("create temp table if not exists retention_batch (id integer primary key, at integer not null)");
  const readCursor = sqlite.prepare("select cursor_at as at, cursor_check_id as id from retention_state where name = ?");
  const writeCursor = sqlite.prepare(
    `insert into retention_state (name, cursor_at, cursor_check_id) values (?, ?, ?)
     on conflict (name) do update set cursor_at = excluded.cursor_at, cursor_check_id = excluded.cursor_check_id`,
  );
  const pickBatch = sqlite.prepare(PICK_BATCH);
  const lastPicked = sqlite.prepare("select at, id from retention_batch order by at desc, id desc limit 1");
  const lastBeforeCutoff = sqlite.prepare("select at, id from checks where at < ? order by at desc, id desc limit 1");
  // "where true": SQLite needs it to tell the upsert's ON CONFLICT from a join's ON.
  const addHours = sqlite.prepare(`
    insert into outcome_aggregates (module_id, mirror_id, period, period_start, outcome, count, latency_sum_ms, latency_max_ms)
    select c.module_id, o.mirror_id, 'hour', c.at - (c.at % ${HOUR_MS}), o.outcome, count(*), sum(o.latency_ms), max(o.latency_ms)
    from retention_batch b join checks c on c.id = b.id join check_outcomes o on o.check_id = c.id
    where true
    group by c.module_id, o.mirror_id, c.at - (c.at % ${HOUR_MS}), o.outcome
    on conflict (module_id, mirror_id, period, period_start, outcome) do update set
      count = count + excluded.count,
      latency_sum_ms = latency_sum_ms + excluded.latency_sum_ms,
      latency_max_ms = max(latency_max_ms, excluded.latency_max_ms)`);
  const deleteOutcomes = sqlite.prepare("delete from check_outcomes where check_id in (select id from retention_batch)");

  type Position = { at: number; id: number };
  const batch = sqlite.transaction((): number => {
    sqlite.exec("delete from retention_batch");
    const cursor = (readCursor.get(CURSOR) as Position | undefined) ?? { at: Number.MIN_SAFE_INTEGER, id: 0 };
    const picked = pickBatch.run({ cursorAt: cursor.at, cursorId: cursor.id, cutoff, limit: batchChecks }).changes;
    // A full batch stops at its last check; a short one scanned everything before the cut-off.
    const next = (picked === batchChecks ? lastPicked.get() : lastBeforeCutoff.get(cutoff)) as Position | undefined;
    if (next && (next.at > cursor.at || (next.at === cursor.at && next.id > cursor.id))) writeCursor.run(CURSOR, next.at, next.id);
    if (picked === 0) return 0;
    addHours.run();
    stats.outcomeRows += deleteOutcomes.run().changes;
    stats.checks += picked;
    return picked;
  });

  let batches = 0;
  for (;;) {
    if (options.maxBatches !== undefined && batches >= options.maxBatches) return stats;
    batches++;
    // Immediate: the batch reads before it writes, and a deferred transaction could not wait for another writer.
    if (batch.immediate() < batchChecks) break;
  }
  if (options.dailyOlderThan) stats.hourRowsFolded = foldDays(db, options.dailyOlderThan);
  sqlite.exec("delete from retention_batch");
  stats.done = true;
  return stats;
}

/** Folds hourly aggregates of whole UTC days before `before` into daily rows (through outcome_aggregates_period). */
function foldDays(db: Db, before: Date): number {
  const sqlite = db.$client;
  const dayLimit = before.getTime() - (before.getTime() % DAY_MS);
  return sqlite.transaction(() => {
    sqlite
      .prepare(
        `insert into outcome_aggregates (module_id, mirror_id, period, period_start, outcome, count, latency_sum_ms, latency_max_ms)
         select module_id, mirror_id, 'day', period_start - (period_start % ${DAY_MS}), outcome, sum(count), sum(latency_sum_ms), max(latency_max_ms)
         from outcome_aggregates where period = 'hour' and period_start < ?
         group by module_id, mirror_id, period_start - (period_start % ${DAY_MS}), outcome
         on conflict (module_id, mirror_id, period, period_start, outcome) do update set
           count = count + excluded.count,
           latency_sum_ms = latency_sum_ms + excluded.latency_sum_ms,
           latency_max_ms = max(latency_max_ms, excluded.latency_max_ms)`,
      )
      .run(dayLimit);
    return sqlite.prepare("delete from outcome_aggregates where period = 'hour' and period_start < ?").run(dayLimit).changes;
  }).immediate();
}
