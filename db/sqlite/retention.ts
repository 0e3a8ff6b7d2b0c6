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
 * - Batched: each batch is one short transaction, so the poller's writes are never held up for long.
 */

const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;

export function compactOutcomes(db: Db, options: CompactOptions): CompactStats {
  const sqlite = db.$client;
  const batchChecks = options.batchChecks ?? 2000;
  const cutoff = options.olderThan.getTime();
  const stats: CompactStats = { checks: 0, outcomeRows: 0, hourRowsFolded: 0, done: false };

  sqlite.exec("create temp table if not exists retention_keep (id integer primary key)");
  sqlite.exec("create temp table if not exists retention_batch (id integer primary key)");
  const refreshKeep = sqlite.prepare(`
    insert or ignore into retention_keep (id)
    select from_check_id from listings
    union select until_check_id from listings where until_check_id is not null
    union select last_missing_check_id from listings where last_missing_check_id is not null
    union select from_check_id from gomod_states
    union select until_check_id from gomod_states where until_check_id is not null
    union select check_id from gomod_hashes
    union select last_answered_check_id from mirror_states where last_answered_check_id is not null
    union select max(id) from checks group by module_id`);
  const pickBatch = sqlite.prepare(`
    insert into retention_batch (id)
    select c.id from checks c
    where c.at < ? and c.id > ? and c.id not in (select id from retention_keep)
      and exists (select 1 from check_outcomes o where o.check_id = c.id)
    order by c.id limit ?`);
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

  let lastId = 0;
  const batch = sqlite.transaction(() => {
    sqlite.exec("delete from retention_batch");
    const picked = pickBatch.run(cutoff, lastId, batchChecks).changes;
    if (picked === 0) return 0;
    lastId = (sqlite.prepare("select max(id) as id from retention_batch").get() as { id: number }).id;
    addHours.run();
    stats.outcomeRows += deleteOutcomes.run().changes;
    stats.checks += picked;
    return picked;
  });

  // The keep-set is rebuilt per call: between calls the poller may have recorded checks that name older ones.
  sqlite.transaction(() => {
    sqlite.exec("delete from retention_keep");
    refreshKeep.run();
  })();
  let batches = 0;
  for (;;) {
    if (options.maxBatches !== undefined && batches >= options.maxBatches) return stats;
    batches++;
    // Immediate: the batch reads before it writes, and a deferred transaction could not wait for another writer.
    if (batch.immediate() < batchChecks) break;
  }
  if (options.dailyOlderThan) stats.hourRowsFolded = foldDays(db, options.dailyOlderThan);
  sqlite.exec("delete from retention_keep; delete from retention_batch");
  stats.done = true;
  return stats;
}

/** Folds hourly aggregates of whole UTC days before `before` into daily rows. */
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
