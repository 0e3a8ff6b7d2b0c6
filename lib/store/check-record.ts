import type { MirrorAnswer, MirrorOutcomeKind, RetractionFact } from "./timeline-facts";

export type CheckTrigger = "user" | "api" | "poll" | "demo";

/** The go.mod a mirror serves for its authoritative version, whether fetched now or already stored. */
export type GoModObservation = {
  version: string;
  h1: string;
  text: string;
  /** False when the stored copy was reused: a served .mod never changes, so it is fetched once per mirror. */
  fetched: boolean;
  deprecated: string | null;
  retractions: RetractionFact[];
};

/** What one mirror told one check: its compact answer, plus the facts the store diffs against what it has. */
export type MirrorObservation = MirrorAnswer & {
  /** The normalised @v/list when the list answered 200, else null (nothing is known about versions). */
  listedVersions: string[] | null;
  authoritativeVersion: string | null;
  gomod: GoModObservation | null;
};

export type CheckRecord = {
  module: string;
  at: Date;
  trigger: CheckTrigger;
  observations: MirrorObservation[];
};

export type MirrorOutcomeSummary = {
  outcome: MirrorOutcomeKind;
  status: number | null;
  latencyMs: number;
  message: string | null;
};

/** A recorded check as callers see it (and as POST /api/checks answers it). */
export type CheckResult = {
  id: number;
  module: string;
  at: Date;
  /** Asked with Disable-Module-Fetch: true (a poll): such an answer never stands in for an active one. */
  passive: boolean;
  mirrors: Record<string, MirrorOutcomeSummary>;
};
