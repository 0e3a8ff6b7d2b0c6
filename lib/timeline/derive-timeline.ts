import { compareVersions, isRetracted, resolveLatest } from "@/lib/goproxy/browser";
import type {
  CheckRef,
  GoModStateFact,
  ListingFact,
  MirrorOutcomeKind,
  OutcomeFact,
  RetractionFact,
  TimelineFacts,
} from "@/lib/store";

/** `not_asked`: the check did not ask this mirror (it was configured later); no answer, so no judgement. */
export type VersionState = "present" | "missing" | "not_found" | "error" | "not_asked";

export type VersionCell = {
  state: VersionState;
  /** The first check that saw this mirror list the version. */
  firstSeen: Date | null;
  /** The last answered check before firstSeen that did not list it; null = listed when we first looked. */
  lastMissing: Date | null;
  /** firstSeen here minus firstSeen on the reference mirror; null when unknown (see lagBetween). */
  lagSeconds: number | null;
  /** When the mirror stopped listing it (if it did, as of this check). */
  removedAt: Date | null;
  retracted: boolean;
  rationale: string | null;
  h1: string | null;
  /** Whether this mirror's go.mod hash for the version matches every other mirror's; null = nothing to compare. */
  h1Agrees: boolean | null;
};

export type VersionRow = { version: string; time: Date | null; mirrors: Record<string, VersionCell> };

export type HashAgreement = "agree" | "disagree" | "unknown";

export type MirrorSummary = {
  name: string;
  isReference: boolean;
  outcome: MirrorOutcomeKind | "not_asked";
  listOutcome: MirrorOutcomeKind | "not_asked";
  status: number | null;
  latencyMs: number | null;
  message: string | null;
  cacheControl: string | null;
  age: number | null;
  /** Where the @v/list answer came from when the mirror redirected it. */
  finalUrl: string | null;
  passive: boolean;
  requests: number | null;
  /** What `go get M@latest` resolves to on this mirror, as of the check. */
  latest: string | null;
  /** The mirror's own @latest answer. */
  latestAnswer: string | null;
  authoritativeVersion: string | null;
  deprecated: string | null;
  listedCount: number;
  /** Versions the reference lists that this mirror does not (0 for the reference itself). */
  missingCount: number;
  hashAgreement: HashAgreement;
};

export type RetractionRow = RetractionFact & { mirrors: Record<string, { firstSeen: Date | null }> };

export type TimelineEvent =
  | { kind: "version_appeared"; at: Date; mirror: string; version: string; lastMissing: Date | null; lagSeconds: number | null }
  | { kind: "version_removed"; at: Date; mirror: string; version: string }
  | { kind: "retraction_reached"; at: Date; mirror: string; low: string; high: string; rationale: string }
  | { kind: "deprecation_reached"; at: Date; mirror: string; message: string };

/** One point of the lag chart: when the reference got `version`, and how much later (or earlier) `mirror` did. */
export type LagPoint = {
  mirror: string;
  version: string;
  referenceFirstSeen: Date;
  lagSeconds: number;
  /** The pickup happened between lastMissing and firstSeen on this mirror: the measurement's uncertainty. */
  windowSeconds: number | null;
};

export type Timeline = {
  module: string;
  reference: string;
  mirrors: string[];
  asOf: CheckRef;
  /** The asOf check's per-mirror answers were compacted: summaries carry no outcome, cells show the last listing. */
  compacted: boolean;
  summaries: MirrorSummary[];
  versions: VersionRow[];
  retractions: RetractionRow[];
  deprecated: Record<string, string | null>;
  latest: Record<string, string | null>;
  events: TimelineEvent[];
  lagPoints: LagPoint[];
};

/** What a summary says for a check whose outcome rows retention folded into hourly counts. */
export const COMPACTED_MESSAGE = "details of this check were compacted after the retention period; versions show each mirror's last answered list";

const secondsBetween = (later: Date, earlier: Date) => Math.round((later.getTime() - earlier.getTime()) / 1000);

/** Whether an interval that started at `from` and ended at `until` (exclusive) covers check `at`. */
function covers(from: number, until: number | null, at: number): boolean {
  return from <= at && (until === null || until > at);
}

/**
 * The retraction keys of each go.mod state's retract set, built once per set: with a state per authoritative
 * version (thousands over a year), every retraction row is looked up in every state of every mirror.
 */
function retractionKeySets(): (retractions: RetractionFact[]) => Set<string> {
  const sets = new Map<RetractionFact[], Set<string>>();
  return (retractions) => {
    let keys = sets.get(retractions);
    if (!keys) sets.set(retractions, (keys = new Set(retractions.map(retractionKey))));
    return keys;
  };
}

function retractionKey(r: { low: string; high: string }): string {
  return `${r.low}\u0000${r.high}`;
}

type FirstListing = { first: ListingFact; removed: number | null; listedNow: boolean };

type FactIndex = {
  asOfId: number;
  timeOf: (id: number | null) => Date | null;
  listings: ListingFact[];
  gomodStates: GoModStateFact[];
  outcomes: Map<string, OutcomeFact>;
  byMirrorVersion: Map<string, Map<string, FirstListing>>;
  currentState: Map<string, GoModStateFact>;
  firstState: Map<string, GoModStateFact>;
  hashesByVersion: Map<string, Map<string, string>>;
};

/** The facts as of asOf, indexed the ways every part of a derivation looks them up. */
function indexFacts(facts: TimelineFacts): FactIndex {
  const asOfId = facts.asOf.id;
  const timeOf = (id: number | null): Date | null => (id === null ? null : (facts.checkTimes.get(id) ?? null));

  // Facts recorded after asOf do not exist yet; an interval closed after asOf is still open as of it.
  const listings = facts.listings.filter((l) => l.fromCheckId <= asOfId);
  const gomodStates = facts.gomodStates.filter((s) => s.fromCheckId <= asOfId).sort((a, b) => a.fromCheckId - b.fromCheckId);
  const hashes = facts.gomodHashes.filter((h) => h.checkId <= asOfId);
  const outcomes = new Map<string, OutcomeFact>();
  for (const outcome of facts.outcomes) if (outcome.checkId === asOfId) outcomes.set(outcome.mirror, outcome);

  const byMirrorVersion = new Map<string, Map<string, FirstListing>>();
  for (const listing of [...listings].sort((a, b) => a.fromCheckId - b.fromCheckId)) {
    let perVersion = byMirrorVersion.get(listing.mirror);
    if (!perVersion) byMirrorVersion.set(listing.mirror, (perVersion = new Map()));
    const until = listing.untilCheckId !== null && listing.untilCheckId <= asOfId ? listing.untilCheckId : null;
    const listedNow = covers(listing.fromCheckId, until, asOfId);
    const existing = perVersion.get(listing.version);
    if (!existing) perVersion.set(listing.version, { first: listing, removed: listedNow ? null : until, listedNow });
    else {
      existing.listedNow ||= listedNow;
      existing.removed = existing.listedNow ? null : (until ?? existing.removed);
    }
  }

  const currentState = new Map<string, GoModStateFact>();
  const firstState = new Map<string, GoModStateFact>();
  for (const state of gomodStates) {
    if (!firstState.has(state.mirror)) firstState.set(state.mirror, state);
    const until = state.untilCheckId !== null && state.untilCheckId <= asOfId ? state.untilCheckId : null;
    if (covers(state.fromCheckId, until, asOfId)) currentState.set(state.mirror, state);
  }

  const hashesByVersion = new Map<string, Map<string, string>>();
  for (const hash of hashes) {
    let perMirror = hashesByVersion.get(hash.version);
    if (!perMirror) hashesByVersion.set(hash.version, (perMirror = new Map()));
    perMirror.set(hash.mirror, hash.h1);
  }
  return { asOfId, timeOf, listings, gomodStates, outcomes, byMirrorVersion, currentState, firstState, hashesByVersion };
}

/**
 * Only the per-mirror summaries of a timeline (outcome, what @latest resolves to, how many reference versions
 * are missing, hash agreement): what the home page needs of every watched module, without the cost of
 * versions, events and lag points. The same numbers as deriveTimeline's summaries.
 */
export function deriveSummaries(facts: TimelineFacts): MirrorSummary[] {
  return summarise(facts, indexFacts(facts));
}

function summarise(facts: TimelineFacts, index: FactIndex): MirrorSummary[] {
  const { outcomes, byMirrorVersion, currentState, hashesByVersion } = index;
  const referenceListed = listedVersions(byMirrorVersion.get(facts.reference));
  const referenceRetractions = currentState.get(facts.reference)?.retractions ?? [];
  const summaries: MirrorSummary[] = facts.mirrors.map((mirror) => {
    const outcome = outcomes.get(mirror);
    const state = currentState.get(mirror);
    const listed = listedVersions(byMirrorVersion.get(mirror));
    const answered = outcome !== undefined && (outcome.listOutcome === "ok" || outcome.latestVersion !== null);
    const listedSet = new Set(listed);
    return {
      name: mirror,
      isReference: mirror === facts.reference,
      outcome: outcome?.outcome ?? "not_asked",
      listOutcome: outcome?.listOutcome ?? "not_asked",
      status: outcome?.status ?? null,
      latencyMs: outcome?.latencyMs ?? null,
      message: outcome ? outcome.message : facts.compacted ? COMPACTED_MESSAGE : null,
      cacheControl: outcome?.cacheControl ?? null,
      age: outcome?.age ?? null,
      finalUrl: outcome?.finalUrl ?? null,
      passive: outcome?.passive ?? false,
      requests: outcome?.requests ?? null,
      latest: answered
        ? resolveLatest(outcome.listOutcome === "ok" ? listed : [], state?.retractions ?? [], outcome.latestVersion)
        : null,
      latestAnswer: outcome?.latestVersion ?? null,
      authoritativeVersion: state?.authoritativeVersion ?? null,
      deprecated: state?.deprecated ?? null,
      listedCount: outcome?.listOutcome === "ok" ? listed.length : 0,
      // A retracted version a mirror leaves out of its list is policy, not lag (goproxy-facts §3).
      missingCount:
        mirror === facts.reference || outcome?.listOutcome !== "ok"
          ? 0
          : referenceListed.filter((v) => !listedSet.has(v) && !isRetracted(v, state?.retractions ?? referenceRetractions)).length,
      hashAgreement: hashAgreement(mirror, hashesByVersion),
    };
  });
  return summaries;
}

/**
 * Derives what a user reads for one module as of one check. Pure: the same facts and asOf always give the
 * same timeline, and facts from later checks are ignored, so a permalink renders the same evidence forever.
 */
export function deriveTimeline(facts: TimelineFacts): Timeline {
  const index = indexFacts(facts);
  const { timeOf, listings, gomodStates, outcomes, byMirrorVersion, currentState, firstState, hashesByVersion } = index;

  const allVersions = new Set<string>();
  for (const perVersion of byMirrorVersion.values()) for (const version of perVersion.keys()) allVersions.add(version);
  const versionTimes = new Map(facts.versionTimes.map((v) => [v.version, v.time]));
  const referenceListings = byMirrorVersion.get(facts.reference);

  const lagOf = (mirror: string, version: string): number | null => {
    if (mirror === facts.reference) return null;
    const mine = byMirrorVersion.get(mirror)?.get(version);
    const theirs = referenceListings?.get(version);
    return mine && theirs ? lagBetween(mine.first, theirs.first, timeOf) : null;
  };

  const versions: VersionRow[] = [...allVersions]
    .sort((a, b) => compareVersions(b, a) || (a < b ? 1 : a > b ? -1 : 0))
    .map((version) => {
      const mirrors: Record<string, VersionCell> = {};
      const versionHashes = hashesByVersion.get(version);
      for (const mirror of facts.mirrors) {
        const listing = byMirrorVersion.get(mirror)?.get(version);
        const state = currentState.get(mirror);
        const retraction = state?.retractions.find((r) => isRetracted(version, [r]));
        const h1 = versionHashes?.get(mirror) ?? null;
        mirrors[mirror] = {
          state: versionState(outcomes.get(mirror), listing?.listedNow ?? false, facts.compacted === true, outcomes.size > 0),
          firstSeen: listing ? timeOf(listing.first.fromCheckId) : null,
          lastMissing: listing ? timeOf(listing.first.lastMissingCheckId) : null,
          lagSeconds: lagOf(mirror, version),
          removedAt: listing && listing.removed !== null ? timeOf(listing.removed) : null,
          retracted: retraction !== undefined,
          rationale: retraction ? retraction.rationale : null,
          h1,
          h1Agrees: h1 === null ? null : agreesWithOthers(mirror, h1, versionHashes),
        };
      }
      return { version, time: versionTimes.get(version) ?? null, mirrors };
    });

  const summaries = summarise(facts, index);

  const keysOf = retractionKeySets();
  const retractions = deriveRetractions(facts.mirrors, currentState, gomodStates, timeOf, keysOf);
  const events = deriveEvents(facts, listings, byMirrorVersion, gomodStates, firstState, timeOf, lagOf, keysOf);
  const lagPoints = deriveLagPoints(facts, byMirrorVersion, timeOf, lagOf);

  return {
    module: facts.module,
    reference: facts.reference,
    mirrors: facts.mirrors,
    asOf: facts.asOf,
    compacted: facts.compacted === true,
    summaries,
    versions,
    retractions,
    deprecated: Object.fromEntries(summaries.map((s) => [s.name, s.deprecated])),
    latest: Object.fromEntries(summaries.map((s) => [s.name, s.latest])),
    events,
    lagPoints,
  };
}

/** Whether every other mirror's hash equals `h1`; null when no other mirror has one. A loop: it runs per cell. */
function agreesWithOthers(mirror: string, h1: string, versionHashes: Map<string, string> | undefined): boolean | null {
  let agrees: boolean | null = null;
  for (const [name, value] of versionHashes ?? []) {
    if (name === mirror) continue;
    if (value !== h1) return false;
    agrees = true;
  }
  return agrees;
}

function versionState(outcome: OutcomeFact | undefined, listedNow: boolean, compacted: boolean, othersAnswered: boolean): VersionState {
  // Compacted checks are never listing boundaries, so the intervals covering them are the mirror's last answered list.
  if (!outcome && compacted) return listedNow ? "present" : "missing";
  // Every check asks each mirror configured at the time: when others answered it, no outcome means this mirror
  // was not configured yet. A check with no outcome at all (and not compacted) is missing data: an error.
  if (!outcome) return othersAnswered ? "not_asked" : "error";
  if (outcome.listOutcome === "error") return "error";
  if (outcome.listOutcome === "not_found") return "not_found";
  return listedNow ? "present" : "missing";
}

function listedVersions(perVersion: Map<string, FirstListing> | undefined): string[] {
  if (!perVersion) return [];
  return [...perVersion].filter(([, l]) => l.listedNow).map(([version]) => version);
}

/**
 * Lag is measured only where a pickup was observed: if both mirrors already listed the version when we first
 * looked, the order is unknown (null). If one was seen to pick it up later, the difference is a real lower bound.
 */
export function lagBetween(
  mine: ListingFact,
  reference: ListingFact,
  timeOf: (id: number | null) => Date | null,
): number | null {
  if (mine.lastMissingCheckId === null && reference.lastMissingCheckId === null) return null;
  const a = timeOf(mine.fromCheckId);
  const b = timeOf(reference.fromCheckId);
  if (!a || !b) return null;
  const lag = secondsBetween(a, b);
  // A side already listing it when first looked at may have had it any time before: the difference bounds the
  // lag from that side only. Mirror there at first look: at least |lag| early, so only lag <= 0 means anything;
  // reference there at first look: at least lag late, so only lag >= 0 does (e.g. a mirror that first answered late).
  if (mine.lastMissingCheckId === null && lag > 0) return null;
  if (reference.lastMissingCheckId === null && lag < 0) return null;
  return lag;
}

function hashAgreement(mirror: string, hashesByVersion: Map<string, Map<string, string>>): HashAgreement {
  let compared = false;
  for (const perMirror of hashesByVersion.values()) {
    const mine = perMirror.get(mirror);
    if (mine === undefined) continue;
    for (const [other, value] of perMirror) {
      if (other === mirror) continue;
      if (value !== mine) return "disagree";
      compared = true;
    }
  }
  return compared ? "agree" : "unknown";
}

function deriveRetractions(
  mirrors: string[],
  currentState: Map<string, GoModStateFact>,
  states: GoModStateFact[],
  timeOf: (id: number | null) => Date | null,
  keysOf: (retractions: RetractionFact[]) => Set<string>,
): RetractionRow[] {
  const rows = new Map<string, RetractionRow>();
  for (const mirror of mirrors) {
    for (const r of currentState.get(mirror)?.retractions ?? []) {
      if (!rows.has(retractionKey(r))) rows.set(retractionKey(r), { ...r, mirrors: {} });
    }
  }
  for (const row of rows.values()) {
    for (const mirror of mirrors) {
      const current = currentState.get(mirror);
      const key = retractionKey(row);
      const holds = current ? keysOf(current.retractions).has(key) : false;
      // The retraction reached the mirror with the first go.mod state of the mirror's current unbroken run containing it.
      let since: GoModStateFact | undefined;
      if (holds) {
        for (const state of states) {
          if (state.mirror !== mirror) continue;
          const contains = keysOf(state.retractions).has(key);
          if (contains) since ??= state;
          else since = undefined;
        }
      }
      row.mirrors[mirror] = { firstSeen: since ? timeOf(since.fromCheckId) : null };
    }
  }
  return [...rows.values()].sort((a, b) => compareVersions(b.high, a.high) || compareVersions(b.low, a.low));
}

function deriveEvents(
  facts: TimelineFacts,
  listings: ListingFact[],
  byMirrorVersion: Map<string, Map<string, FirstListing>>,
  states: GoModStateFact[],
  firstState: Map<string, GoModStateFact>,
  timeOf: (id: number | null) => Date | null,
  lagOf: (mirror: string, version: string) => number | null,
  keysOf: (retractions: RetractionFact[]) => Set<string>,
): TimelineEvent[] {
  const events: TimelineEvent[] = [];
  // Every listing interval up to asOf, not just the first and last: a removal stays in the history after a re-listing.
  for (const listing of [...listings].sort((a, b) => a.fromCheckId - b.fromCheckId)) {
    const { mirror, version } = listing;
    const at = timeOf(listing.fromCheckId);
    const isFirst = byMirrorVersion.get(mirror)?.get(version)?.first === listing;
    // A version already listed at our first look did not "appear" while we watched. Lag is measured from the first appearance.
    if (at && listing.lastMissingCheckId !== null) {
      events.push({ kind: "version_appeared", at, mirror, version, lastMissing: timeOf(listing.lastMissingCheckId), lagSeconds: isFirst ? lagOf(mirror, version) : null });
    }
    const removedAt = listing.untilCheckId !== null && listing.untilCheckId <= facts.asOf.id ? timeOf(listing.untilCheckId) : null;
    if (removedAt) events.push({ kind: "version_removed", at: removedAt, mirror, version });
  }
  const previous = new Map<string, GoModStateFact>();
  for (const state of states) {
    const before = previous.get(state.mirror);
    previous.set(state.mirror, state);
    const at = timeOf(state.fromCheckId);
    if (!before || state === firstState.get(state.mirror) || !at) continue;
    const had = keysOf(before.retractions);
    for (const r of state.retractions) {
      if (!had.has(retractionKey(r))) events.push({ kind: "retraction_reached", at, mirror: state.mirror, low: r.low, high: r.high, rationale: r.rationale });
    }
    if (state.deprecated && state.deprecated !== before.deprecated) {
      events.push({ kind: "deprecation_reached", at, mirror: state.mirror, message: state.deprecated });
    }
  }
  const mirrorOrder = new Map(facts.mirrors.map((m, i) => [m, i]));
  return events.sort(
    (a, b) => b.at.getTime() - a.at.getTime() || (mirrorOrder.get(a.mirror) ?? 0) - (mirrorOrder.get(b.mirror) ?? 0),
  );
}

function deriveLagPoints(
  facts: TimelineFacts,
  byMirrorVersion: Map<string, Map<string, FirstListing>>,
  timeOf: (id: number | null) => Date | null,
  lagOf: (mirror: string, version: string) => number | null,
): LagPoint[] {
  const points: LagPoint[] = [];
  const reference = byMirrorVersion.get(facts.reference);
  if (!reference) return points;
  for (const mirror of facts.mirrors) {
    if (mirror === facts.reference) continue;
    for (const [version, listing] of byMirrorVersion.get(mirror) ?? []) {
      const lagSeconds = lagOf(mirror, version);
      const referenceFirstSeen = timeOf(reference.get(version)?.first.fromCheckId ?? null);
      if (lagSeconds === null || !referenceFirstSeen) continue;
      const firstSeen = timeOf(listing.first.fromCheckId);
      const lastMissing = timeOf(listing.first.lastMissingCheckId);
      points.push({
        mirror,
        version,
        referenceFirstSeen,
        lagSeconds,
        windowSeconds: firstSeen && lastMissing ? secondsBetween(firstSeen, lastMissing) : null,
      });
    }
  }
  return points.sort((a, b) => a.referenceFirstSeen.getTime() - b.referenceFirstSeen.getTime() || compareVersions(a.version, b.version));
}
