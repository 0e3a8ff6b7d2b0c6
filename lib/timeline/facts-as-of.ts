import type { CheckRef, OutcomeFact, TimelineFacts } from "@/lib/store";

/**
 * The facts of a timeline as of `asOf`, taken from facts loaded as of a later check of the same module. The
 * derivation ignores whatever was recorded after asOf, so only that check's own answers and the mirrors shown
 * need replacing; a module's facts are then read once for many permalinks. Equal, after derivation, to loading
 * them as of asOf (lib/server/timeline-pages.integration.test.ts compares every check of a history).
 */
export function factsAsOf(later: TimelineFacts, asOf: CheckRef, outcomes: OutcomeFact[], configuredMirrors: string[]): TimelineFacts {
  // Mirrors no longer configured still show if they hold facts as of asOf; configured ones keep their order.
  const seen = new Set(configuredMirrors);
  const extra: string[] = [];
  const consider = (mirror: string) => {
    if (seen.has(mirror)) return;
    seen.add(mirror);
    extra.push(mirror);
  };
  for (const listing of later.listings) if (listing.fromCheckId <= asOf.id) consider(listing.mirror);
  for (const outcome of outcomes) consider(outcome.mirror);
  return {
    ...later,
    mirrors: [...configuredMirrors, ...extra],
    asOf,
    checkTimes: new Map(later.checkTimes).set(asOf.id, asOf.at),
    compacted: outcomes.length === 0,
    outcomes,
  };
}
