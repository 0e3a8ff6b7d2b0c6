import type { CheckRecord, CheckResult } from "./check-record";
import type { CheckRef, OutcomeFact, TimelineFacts } from "./timeline-facts";
import type { ProbeStore } from "./probe-record";
import type { ResolutionStore } from "./resolution-record";

/*
 * The store port: everything lib/ asks of storage, in domain shapes. db/sqlite implements it today; a second
 * implementation (PostgreSQL) can sit beside it without touching lib/ or app/. Every method is asynchronous
 * because a networked database is; transactions live inside the methods that need them.
 */

/**
 * `autoWatch`: a check may still watch or un-watch it (false once the operator chose). `lastInterestAt`: the last
 * view, API read or non-poll check (null: none noted; `createdAt` stands in).
 */
export type ModuleRow = { id: number; path: string; watched: boolean; autoWatch: boolean; lastInterestAt: Date | null; createdAt: Date };

export type VersionTime = { version: string; time: Date | null; mirror: string };

/** A version whose commit time (.info) is still unknown: the mirrors listing it now, and how often asking failed. */
export type MissingVersionTime = { module: string; version: string; mirrors: string[]; attempts: number };

/** What a check writes, and the little it reads back. */
export type CheckStore = {
  /** The go.mod a mirror served for a version, if stored (a served .mod never changes: fetched once). */
  findGoMod(module: string, mirror: string, version: string): Promise<{ h1: string; text: string } | null>;
  /** Writes everything one check learned in one transaction; returns the check and versions new to the store. */
  recordCheck(record: CheckRecord): Promise<{ check: CheckResult; newVersions: string[] }>;
  lastCheck(module: string): Promise<CheckResult | null>;
  recordVersionTimes(module: string, times: VersionTime[]): Promise<void>;
  /** Counts a failed .info look-up of each version, to be retried no earlier than `retryAt`. */
  recordVersionTimeFailures(module: string, versions: string[], retryAt: Date): Promise<void>;
  /**
   * Versions still without a commit time whose next attempt is due at `now` (never tried, or retryAt passed),
   * oldest first, at most `limit`. A version whose .info answered without a time is not missing.
   */
  missingVersionTimes(now: Date, limit: number): Promise<MissingVersionTime[]>;
};

/** What a timeline as of one check reads. */
export type TimelineStore = {
  findModule(path: string): Promise<ModuleRow | null>;
  /** Checks of a module, newest (highest id) first, at most `limit`, optionally only up to a check. */
  listChecks(moduleId: number, options: { upTo?: number; limit: number }): Promise<CheckRef[]>;
  countChecks(moduleId: number, upTo: number): Promise<number>;
  findCheck(moduleId: number, checkId: number): Promise<CheckRef | null>;
  /** Every stored fact a timeline as of `asOf` can use (nothing recorded after it). */
  timelineFacts(module: ModuleRow, asOf: CheckRef, configuredMirrors: string[], reference: string): Promise<TimelineFacts>;
  /** What each mirror answered in one check; empty when retention compacted its rows. */
  checkOutcomes(checkId: number): Promise<OutcomeFact[]>;
  /**
   * What can still change a timeline as of a fixed check: commit times filled in after it, and retention
   * compacting its outcome rows. Equal fingerprints mean an equal timeline.
   */
  timelineFingerprint(moduleId: number, asOfId: number): Promise<string>;
};

export type NewestCheckRow = { moduleId: number; module: string; watched: boolean; checkId: number; at: Date };

/** One measured pickup: `mirror` first listed `version` of `module` lagSeconds after the reference did. */
export type LagSampleRow = { mirror: string; module: string; version: string; lagSeconds: number; seenAt: Date };

export type OutcomeCountRow = { mirror: string; outcome: "ok" | "not_found" | "error"; count: number };

/** The modules we know, and what the home page summarises across them. */
export type CatalogStore = {
  /** Known module paths containing the text, those starting with it first. */
  suggestModules(text: string, limit: number): Promise<string[]>;
  /** False when the module is unknown. */
  setWatched(path: string, watched: boolean): Promise<boolean>;
  /**
   * Someone looked at the module at `at`: resumes its polling if it had expired (un-watching it instead when the
   * cap is reached). Writes nothing when interest was noted less than `throttleMs` before. False: unknown module.
   */
  noteInterest(path: string, at: Date, throttleMs: number): Promise<boolean>;
  /** How many watched modules there are, and how many of them the poller polls as of `now` (the cap counts those). */
  watchCounts(now: Date): Promise<{ watched: number; polled: number }>;
  /** Removes every row of the module in one transaction; null when it is unknown. The probe ids let caches forget. */
  deleteModule(path: string): Promise<{ moduleId: number; probeIds: number[] } | null>;
  /** Modules with their newest check, newest first. */
  recentModules(options?: { limit?: number; watchedOnly?: boolean }): Promise<NewestCheckRow[]>;
  /** What holds as of each module's newest check (its outcomes, open listings, current go.mod states). */
  currentFacts(rows: NewestCheckRow[], configuredMirrors: string[], reference: string): Promise<Map<number, TimelineFacts>>;
  /**
   * Pickups by non-reference mirrors seen in [since, until], with their lag (the rule of lagBetween). With
   * `modulesCheckedAfter`, only modules with a check whose id is above it: a module's samples change only with its checks.
   */
  lagSamples(reference: string, since: Date, until: Date, options?: { modulesCheckedAfter?: number }): Promise<LagSampleRow[]>;
  /** How each mirror answered checks made in [since, until], compacted answers included. */
  outcomeCounts(since: Date, until: Date): Promise<OutcomeCountRow[]>;
};

export type WatchedModule = { path: string; lastCheckAt: Date | null };

/** What the poller reads to decide what is due. */
export type PollingStore = {
  /**
   * Watched modules and their newest check's time; with `lastCheckedBefore`, only those not checked since; with
   * `interestSince`, only the operator's watches and modules someone looked at since then (the others expired).
   */
  watchedModules(options?: { lastCheckedBefore?: Date; interestSince?: Date }): Promise<WatchedModule[]>;
  /** Watched modules where a version first appeared on some mirror at a check since `since`. */
  modulesWithRecentPickups(since: Date): Promise<string[]>;
};

export type CompactOptions = {
  /** Outcome rows of checks made before this are compacted (unless a fact references the check). */
  olderThan: Date;
  /** Hourly aggregates of hours before this fold into daily ones (whole UTC days only); absent: none fold. */
  dailyOlderThan?: Date;
  /** Checks per transaction. */
  batchChecks?: number;
  /** Stop after this many batches (the caller yields between calls); default: until done. */
  maxBatches?: number;
};

export type CompactStats = {
  checks: number;
  outcomeRows: number;
  hourRowsFolded: number;
  /** False when maxBatches stopped it with more to do. */
  done: boolean;
};

/** What retention folds: old per-check answers into hourly and daily aggregates, every fact kept. */
export type RetentionStore = {
  compactOutcomes(options: CompactOptions): Promise<CompactStats>;
};

export type Store = CheckStore & TimelineStore & CatalogStore & PollingStore & RetentionStore & ProbeStore & ResolutionStore & {
  /** Resolves when the database takes a write lock now (nothing is written), for /healthz; rejects otherwise. */
  writable(): Promise<void>;
  close(): Promise<void>;
};

const DAY_MS = 86_400_000;

/** How far the set of polled modules may grow: the defaults of MAX_WATCHED_MODULES and WATCH_EXPIRY_DAYS. */
export type GrowthLimits = { maxWatchedModules: number; watchExpiryDays: number };
export const DEFAULT_GROWTH: GrowthLimits = { maxWatchedModules: 5000, watchExpiryDays: 30 };

/** Interest older than this, as of `now`, has expired: such an auto-watched module is no longer polled. */
export function interestCutoff(now: Date, expiryDays: number): Date {
  return new Date(now.getTime() - expiryDays * DAY_MS);
}

export type PollingState =
  | { kind: "polled" }
  | { kind: "not_watched" }
  /** Auto-watched, but nobody looked at it for `days` days: polling stopped at `since` (its data stays). */
  | { kind: "expired"; since: Date; days: number };

/** Whether the poller polls a module as of `now`; the operator's explicit watches never expire. */
export function pollingState(row: Pick<ModuleRow, "watched" | "autoWatch" | "lastInterestAt" | "createdAt">, now: Date, expiryDays: number): PollingState {
  if (!row.watched) return { kind: "not_watched" };
  if (!row.autoWatch) return { kind: "polled" };
  const interest = row.lastInterestAt ?? row.createdAt;
  if (interest >= interestCutoff(now, expiryDays)) return { kind: "polled" };
  return { kind: "expired", since: new Date(interest.getTime() + expiryDays * DAY_MS), days: expiryDays };
}

/** The cut-offs for a retention of `days` as of `now`: hourly after `days`, daily after 7 × `days`. */
export function retentionCutoffs(now: Date, days: number): { olderThan: Date; dailyOlderThan: Date } {
  return { olderThan: new Date(now.getTime() - days * DAY_MS), dailyOlderThan: new Date(now.getTime() - 7 * days * DAY_MS) };
}
