/*
 * The stored facts a timeline is derived from, in domain shapes (Dates, not epoch numbers).
 * the store (db/sqlite) loads them; lib/timeline turns them into what users read. Nothing here does I/O.
 */

export type MirrorOutcomeKind = "ok" | "not_found" | "error";

export type RetractionFact = { low: string; high: string; rationale: string };

export type CheckRef = { id: number; at: Date };

/** The compact answer of one mirror in one check, as observed and as stored. */
export type MirrorAnswer = {
  mirror: string;
  outcome: MirrorOutcomeKind;
  listOutcome: MirrorOutcomeKind;
  status: number | null;
  latencyMs: number;
  message: string | null;
  cacheControl: string | null;
  age: number | null;
  latestVersion: string | null;
  requests: number;
  passive: boolean;
  /** Where the @v/list answer came from when the mirror redirected it (null or absent: it answered itself). */
  finalUrl?: string | null;
};

/** What one mirror answered in one check, as stored. */
export type OutcomeFact = MirrorAnswer & { checkId: number; listCount: number | null };

/** A mirror listed `version` from `fromCheckId` until `untilCheckId` (exclusive; null = still listed). */
export type ListingFact = {
  mirror: string;
  version: string;
  fromCheckId: number;
  untilCheckId: number | null;
  lastMissingCheckId: number | null;
};

/** A mirror's authoritative go.mod said this from `fromCheckId` until `untilCheckId` (exclusive). */
export type GoModStateFact = {
  mirror: string;
  fromCheckId: number;
  untilCheckId: number | null;
  authoritativeVersion: string | null;
  deprecated: string | null;
  retractions: RetractionFact[];
};

export type GoModHashFact = { mirror: string; version: string; h1: string; checkId: number };

export type VersionTimeFact = { version: string; time: Date | null };

export type TimelineFacts = {
  module: string;
  /** Configured mirror names, in display order. */
  mirrors: string[];
  reference: string;
  asOf: CheckRef;
  /** Times of every check the facts refer to (listings, go.mod states, hashes), and of asOf. */
  checkTimes: ReadonlyMap<number, Date>;
  /** The outcomes of the asOf check. */
  outcomes: OutcomeFact[];
  /** The asOf check's outcome rows were compacted by retention (db/sqlite/retention.ts): only hourly counts remain. */
  compacted?: boolean;
  listings: ListingFact[];
  gomodStates: GoModStateFact[];
  gomodHashes: GoModHashFact[];
  versionTimes: VersionTimeFact[];
};
