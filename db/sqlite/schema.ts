import { sql } from "drizzle-orm";
import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";

/*
 * Store changes, not copies: an unchanged re-check adds one `checks` row and one `check_outcomes` row per
 * mirror, and updates `mirror_states` in place. Everything else grows only when a mirror's answer changed.
 */

/** Every module someone asked about; `watched` modules are re-checked by the poller. */
export const modules = sqliteTable(
  "modules",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    path: text("path").notNull().unique(),
    watched: integer("watched", { mode: "boolean" }).notNull().default(true),
    // Whether a check may still watch it on its own: true until the operator chooses (then their choice stands).
    autoWatch: integer("auto_watch", { mode: "boolean" }).notNull().default(true),
    createdAt: integer("created_at", { mode: "timestamp_ms" })
      .notNull()
      .default(sql`(unixepoch('subsec') * 1000)`),
    // The newest check (highest id) and its time, kept by recordCheck in the check's transaction: the poller's
    // tick and the home page read these instead of grouping every check. No foreign key: a plain copy.
    lastCheckId: integer("last_check_id"),
    lastCheckAt: integer("last_check_at"), // epoch ms
    // The last page view, API read or non-poll check (epoch ms, throttled to one write in a few minutes): an
    // auto-watched module with none for WATCH_EXPIRY_DAYS is no longer polled. Null: none yet (created_at stands in).
    lastInterestAt: integer("last_interest_at"),
  },
  (t) => [
    // The poller's tick: watched modules never checked or not checked since T (watched = 1 and last_check_at < T).
    index("modules_watched_last_check_at").on(t.watched, t.lastCheckAt),
    // The home page's "recently checked": modules by newest check, newest first (and lastCheck by path via the unique index).
    index("modules_last_check").on(t.lastCheckId),
  ],
);

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
  (t) => [
    // A module's checks newest first by id (listChecks, countChecks): SQLite appends the rowid to the index, so
    // "module_id = ? and id <= ? order by id desc" is a range scan of this index.
    index("checks_module").on(t.moduleId),
    // Time windows across modules: the home page's 7-day statistics, the poller's recent pickups, retention's cursor.
    index("checks_at").on(t.at),
  ],
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
    // Where the @v/list answer came from when the mirror redirected it; null: the mirror answered itself.
    finalUrl: text("final_url"),
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
  // The index: retention's "is this check some mirror's last answered one" (the next pickup's lastMissing).
  (t) => [primaryKey({ columns: [t.moduleId, t.mirrorId] }), index("mirror_states_last_answered").on(t.lastAnsweredCheckId)],
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
  (t) => [
    // A timeline's listings up to asOf (loadTimelineFacts).
    index("listings_module_from").on(t.moduleId, t.fromCheckId),
    // A mirror's open listings, diffed by every changed list (recordListing) and read by the home page.
    index("listings_open").on(t.moduleId, t.mirrorId, t.untilCheckId),
    // Listings first seen at given checks: the poller's recent pickups and the lag statistics, both driven from
    // a time window of checks; and retention's "does a listing start at this check".
    index("listings_from_check").on(t.fromCheckId),
    // Retention's "does a listing end / last miss at this check"; partial, as most listings are open or were there at once.
    index("listings_until_check")
      .on(t.untilCheckId)
      .where(sql`until_check_id is not null`),
    index("listings_last_missing_check")
      .on(t.lastMissingCheckId)
      .where(sql`last_missing_check_id is not null`),
    // The lag statistics: the first listing of a (module, version) on a mirror, and the reference's of the same version.
    index("listings_first").on(t.moduleId, t.version, t.mirrorId, t.fromCheckId),
  ],
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
  (t) => [
    index("gomod_states_module_from").on(t.moduleId, t.fromCheckId),
    // Retention's "does a go.mod state start / end at this check".
    index("gomod_states_from_check").on(t.fromCheckId),
    index("gomod_states_until_check")
      .on(t.untilCheckId)
      .where(sql`until_check_id is not null`),
  ],
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
  // The index: retention's "was a go.mod first fetched at this check".
  (t) => [primaryKey({ columns: [t.moduleId, t.mirrorId, t.version] }), index("gomod_hashes_check").on(t.checkId)],
);

/** go.mod texts by hash: identical files on several mirrors are stored once. */
export const gomodTexts = sqliteTable("gomod_texts", {
  h1: text("h1").primaryKey(),
  text: text("text").notNull(),
});

/**
 * Per (module, version): the commit time from .info, filled in after the check that first saw it. Still missing
 * while both `time` and `infoMirrorId` are null (an .info that answered without a time sets the mirror only).
 */
export const versions = sqliteTable(
  "versions",
  {
    moduleId: integer("module_id")
      .notNull()
      .references(() => modules.id),
    version: text("version").notNull(),
    time: integer("time"), // epoch ms; null until .info answered
    infoMirrorId: integer("info_mirror_id"),
    // Failed .info look-ups of a missing time, and when to ask again (epoch ms; null = due now).
    infoAttempts: integer("info_attempts").notNull().default(0),
    infoRetryAt: integer("info_retry_at"),
  },
  (t) => [
    primaryKey({ columns: [t.moduleId, t.version] }),
    // The backfill's "missing times due now": partial, so it holds only the few versions still without a time.
    index("versions_missing_due")
      .on(t.infoRetryAt)
      .where(sql`time is null and info_mirror_id is null`),
  ],
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
  (t) => [
    uniqueIndex("outcome_aggregates_key").on(t.moduleId, t.mirrorId, t.period, t.periodStart, t.outcome),
    // Retention's fold of hours before a day limit (period = 'hour' and period_start < ?), and the home page's window.
    index("outcome_aggregates_period").on(t.period, t.periodStart),
  ],
);

/** Where retention's scan of old checks stopped, ordered by (at, id): each run resumes after it (db/sqlite/retention.ts). */
export const retentionState = sqliteTable("retention_state", {
  name: text("name").primaryKey(),
  cursorAt: integer("cursor_at").notNull(),
  cursorCheckId: integer("cursor_check_id").notNull(),
});

/**
 * One probe of one module version (the version doctor): its evidence as JSON, written once and never updated.
 * The zips themselves are never stored, only their h1 hashes inside the evidence.
 */
export const probes = sqliteTable(
  "probes",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    moduleId: integer("module_id")
      .notNull()
      .references(() => modules.id),
    version: text("version").notNull(),
    requested: text("requested").notNull(),
    at: integer("at").notNull(), // epoch ms from the injected clock
    fetch: integer("fetch", { mode: "boolean" }).notNull(),
    checkId: integer("check_id").references(() => checks.id),
    // JSON {reference, referenceFirstSeen, sumdb, mirrors: [{name, baseUrl, probe, context, health}]}
    evidence: text("evidence").notNull(),
  },
  (t) => [
    // lastProbe and listProbes: one version's probes newest first (the rowid breaks ties in id order).
    index("probes_module_version").on(t.moduleId, t.version),
  ],
);

/**
 * A go.mod (and go.sum) checked against every mirror: one row, written when it is asked for and updated as its
 * requirements are probed; `status` running → done (or interrupted). The texts are kept: a permalink shows them.
 */
export const resolutions = sqliteTable(
  "resolutions",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    createdAt: integer("created_at").notNull(), // epoch ms from the injected clock
    finishedAt: integer("finished_at"),
    // sha256 of the go.mod, the go.sum and the options: a recent resolution of the same input is reused.
    inputHash: text("input_hash").notNull(),
    gomod: text("gomod").notNull(),
    gosum: text("gosum"),
    zips: integer("zips", { mode: "boolean" }).notNull(),
    status: text("status", { enum: ["running", "done", "interrupted"] }).notNull(),
    total: integer("total").notNull(),
  },
  (t) => [
    // Reuse: the newest resolution of an input.
    index("resolutions_input").on(t.inputHash),
    // Start-up: the resolutions a restart left running.
    index("resolutions_status").on(t.status),
  ],
);

/** One requirement of a resolution, in go.mod order; `probeId` once its probe is recorded. */
export const resolutionItems = sqliteTable(
  "resolution_items",
  {
    resolutionId: integer("resolution_id")
      .notNull()
      .references(() => resolutions.id),
    position: integer("position").notNull(),
    module: text("module").notNull(),
    version: text("version").notNull(),
    indirect: integer("indirect", { mode: "boolean" }).notNull(),
    // JSON {path, version} | {local} | null: what is fetched instead (a local directory is not fetched).
    replacedBy: text("replaced_by"),
    excluded: integer("excluded", { mode: "boolean" }).notNull(),
    probeId: integer("probe_id").references(() => probes.id),
  },
  (t) => [primaryKey({ columns: [t.resolutionId, t.position] })],
);
