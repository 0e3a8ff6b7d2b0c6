import { sql } from "drizzle-orm";
import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";

/*
 * Store changes, not copies: an unchanged re-check adds one `checks` row and one `check_outcomes` row per
 * mirror, and updates `mirror_states` in place. Everything else grows only when a mirror's answer changed.
 */

/** Every module someone asked about; `watched` modules are re-checked by the poller. */
export const modules = sqliteTable("modules", {
  id: integer("id").primaryKey({ autoIncrement: true }),
  path: text("path").notNull().unique(),
  watched: integer("watched", { mode: "boolean" }).notNull().default(true),
  createdAt: integer("created_at", { mode: "timestamp_ms" })
    .notNull()
    .default(sql`(unixepoch('subsec') * 1000)`),
});

/** Mirror names get small ids so per-version rows stay small; the configured list may change over time. */
export const mirrors = sqliteTable("mirrors", {
  id: integer("id").primaryKey({ autoIncrement: true }),
  name: text("name").notNull().unique(),
});

/** One check of one module: all mirrors asked at once, stamped with one time. */
export const checks = sqliteTable(
  "checks",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    moduleId: integer("module_id")
      .notNull()
      .references(() => modules.id),
    at: integer("at").notNull(), // epoch ms from the injected clock
    trigger: text("trigger", { enum: ["user", "api", "poll", "demo"] }).notNull(),
  },
  (t) => [index("checks_module_at").on(t.moduleId, t.at)],
);

/** What one mirror answered in one check: compact, one row per (check, mirror). */
export const checkOutcomes = sqliteTable(
  "check_outcomes",
  {
    checkId: integer("check_id")
      .notNull()
      .references(() => checks.id),
    mirrorId: integer("mirror_id")
      .notNull()
      .references(() => mirrors.id),
    outcome: text("outcome", { enum: ["ok", "not_found", "error"] }).notNull(),
    // The @v/list answer alone: versions can be judged present/missing only when this is "ok".
    listOutcome: text("list_outcome", { enum: ["ok", "not_found", "error"] }).notNull(),
    status: integer("status"),
    latencyMs: integer("latency_ms").notNull(),
    message: text("message"),
    cacheControl: text("cache_control"),
    age: integer("age"),
    latestVersion: text("latest_version"),
    listCount: integer("list_count"),
    requests: integer("requests").notNull(),
    passive: integer("passive", { mode: "boolean" }).notNull().default(false),
  },
  (t) => [primaryKey({ columns: [t.checkId, t.mirrorId] })],
);

/** Latest known answer per (module, mirror), updated in place so unchanged lists cost no new rows. */
export const mirrorStates = sqliteTable(
  "mirror_states",
  {
    moduleId: integer("module_id")
      .notNull()
      .references(() => modules.id),
    mirrorId: integer("mirror_id")
      .notNull()
      .references(() => mirrors.id),
    listHash: text("list_hash"),
    lastAnsweredCheckId: integer("last_answered_check_id"),
  },
  (t) => [primaryKey({ columns: [t.moduleId, t.mirrorId] })],
);

/**
 * An interval in which a mirror listed a version: from the first check that listed it until the first
 * answered check that did not (null = still listed). `lastMissingCheckId` is the last answered check before
 * `fromCheckId` that did not list it (null = it was there when we first looked).
 */
export const listings = sqliteTable(
  "listings",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    moduleId: integer("module_id")
      .notNull()
      .references(() => modules.id),
    mirrorId: integer("mirror_id")
      .notNull()
      .references(() => mirrors.id),
    version: text("version").notNull(),
    fromCheckId: integer("from_check_id").notNull(),
    untilCheckId: integer("until_check_id"),
    lastMissingCheckId: integer("last_missing_check_id"),
  },
  (t) => [index("listings_module_from").on(t.moduleId, t.fromCheckId), index("listings_open").on(t.moduleId, t.mirrorId, t.untilCheckId)],
);

/** The retract set and deprecation of a mirror's authoritative go.mod, as intervals of validity. */
export const gomodStates = sqliteTable(
  "gomod_states",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    moduleId: integer("module_id")
      .notNull()
      .references(() => modules.id),
    mirrorId: integer("mirror_id")
      .notNull()
      .references(() => mirrors.id),
    fromCheckId: integer("from_check_id").notNull(),
    untilCheckId: integer("until_check_id"),
    authoritativeVersion: text("authoritative_version"),
    deprecated: text("deprecated"),
    retractions: text("retractions").notNull(), // JSON [{low, high, rationale}]
  },
  (t) => [index("gomod_states_module_from").on(t.moduleId, t.fromCheckId)],
);

/** The h1 hash of each go.mod a mirror served (a served .mod never changes, so it is fetched once). */
export const gomodHashes = sqliteTable(
  "gomod_hashes",
  {
    moduleId: integer("module_id")
      .notNull()
      .references(() => modules.id),
    mirrorId: integer("mirror_id")
      .notNull()
      .references(() => mirrors.id),
    version: text("version").notNull(),
    h1: text("h1").notNull(),
    checkId: integer("check_id").notNull(),
  },
  (t) => [primaryKey({ columns: [t.moduleId, t.mirrorId, t.version] })],
);

/** go.mod texts by hash: identical files on several mirrors are stored once. */
export const gomodTexts = sqliteTable("gomod_texts", {
  h1: text("h1").primaryKey(),
  text: text("text").notNull(),
});

/** Per (module, version): the commit time from .info, filled in after the check that first saw it. */
export const versions = sqliteTable(
  "versions",
  {
    moduleId: integer("module_id")
      .notNull()
      .references(() => modules.id),
    version: text("version").notNull(),
    time: integer("time"), // epoch ms; null until .info answered
    infoMirrorId: integer("info_mirror_id"),
  },
  (t) => [primaryKey({ columns: [t.moduleId, t.version] })],
);

/** Outcome rows older than RETENTION_DAYS, compacted per (module, mirror, period, outcome). */
export const outcomeAggregates = sqliteTable(
  "outcome_aggregates",
  {
    moduleId: integer("module_id").notNull(),
    mirrorId: integer("mirror_id").notNull(),
    period: text("period", { enum: ["hour", "day"] }).notNull(),
    periodStart: integer("period_start").notNull(),
    outcome: text("outcome", { enum: ["ok", "not_found", "error"] }).notNull(),
    count: integer("count").notNull(),
    latencySumMs: integer("latency_sum_ms").notNull(),
    latencyMaxMs: integer("latency_max_ms").notNull(),
  },
  (t) => [uniqueIndex("outcome_aggregates_key").on(t.moduleId, t.mirrorId, t.period, t.periodStart, t.outcome)],
);
