// Which version's go.mod declares the retractions, and what `go get M@latest` resolves to, following
// cmd/go/internal/modload: Query("latest") → queryProxy → queryMatcher.filterVersions, with
// queryLatestVersionIgnoringRetractions (allow everything) for the authoritative go.mod and
// CheckRetractions as the allowed filter for @latest.

import { goTrimSpace, isGoSpace } from "./go-strings";
import type { Retraction } from "./gomod";
import { normalizeVersionList } from "./version-list";
import { compareVersions, isPrerelease } from "./semver";

/**
 * Whether a version's tree has its own go.mod, i.e. its served .mod is not the synthetic
 * `module <path>` line (modload versionHasGoMod; see isLegacyGoMod in gomod.ts).
 */
export type HasGoMod = (version: string) => boolean;

// Most modules that list +incompatible versions adopted modules on v0/v1 later (the golang/go#34165
// case), so without better knowledge we assume the latest compatible version has a go.mod.
const assumeGoMod: HasGoMod = () => true;

/** A version is retracted iff some closed interval [low, high] contains it (semver.Compare, build ignored). */
export function isRetracted(version: string, retractions: readonly Retraction[]): boolean {
  return retractions.some((r) => compareVersions(r.low, version) <= 0 && compareVersions(version, r.high) <= 0);
}

/**
 * queryProxy for query "latest" with current "": the highest allowed release, else the highest
 * allowed pre-release, else the @latest answer if it is allowed, else null ("no matching versions").
 */
function queryLatest(
  versions: readonly string[],
  allowed: (v: string) => boolean,
  latestInfoVersion: string | null | undefined,
  hasGoMod: HasGoMod,
): string | null {
  // Re-normalize (valid, non-pseudo, semver-sorted) so callers may pass any list.
  const list = normalizeVersionList(versions);
  const releases: string[] = [];
  const prereleases: string[] = [];
  let needIncompatible = false;
  let lastCompatible = "";
  for (const v of list) {
    if (!allowed(v)) continue;
    if (!needIncompatible) {
      if (!v.endsWith("+incompatible")) {
        lastCompatible = v;
      } else if (lastCompatible !== "") {
        // filterVersions: once the latest allowed compatible version has a go.mod, every higher
        // (+incompatible) version is ignored; without one, legacy major tags count.
        if (hasGoMod(lastCompatible)) break;
        needIncompatible = true;
      }
    }
    (isPrerelease(v) ? prereleases : releases).push(v);
  }
  const best = releases.at(-1) ?? prereleases.at(-1);
  if (best !== undefined) return best;
  if (latestInfoVersion && allowed(latestInfoVersion)) return latestInfoVersion;
  return null;
}

/**
 * The version whose go.mod carries the module's retractions and deprecation
 * (modload.queryLatestVersionIgnoringRetractions): highest release of the list, retractions ignored,
 * else highest pre-release, else the @latest answer. +incompatible versions above a compatible
 * version that has a go.mod are skipped; pass hasGoMod to decide that from the served .mod files.
 */
export function authoritativeVersion(
  versions: readonly string[],
  latestInfoVersion?: string | null,
  hasGoMod: HasGoMod = assumeGoMod,
): string | null {
  return queryLatest(versions, () => true, latestInfoVersion, hasGoMod);
}

/**
 * What `go get M@latest` picks: highest non-retracted release, else highest non-retracted
 * pre-release, else the @latest answer unless it is retracted too. When everything is retracted the
 * go command does not fall back to a retracted version: it fails with `no matching versions for
 * query "latest"`, which is null here.
 */
export function resolveLatest(
  versions: readonly string[],
  retractions: readonly Retraction[],
  latestInfoVersion?: string | null,
  hasGoMod: HasGoMod = assumeGoMod,
): string | null {
  return queryLatest(versions, (v) => !isRetracted(v, retractions), latestInfoVersion, hasGoMod);
}

/** `go list -m -versions`: the list without retracted versions (`-retracted` shows them all). */
export function visibleVersions(versions: readonly string[], retractions: readonly Retraction[]): string[] {
  return normalizeVersionList(versions).filter((v) => !isRetracted(v, retractions));
}

const RETRACTED_DEFAULT = "retracted by module author";

/**
 * What `go list -m -retracted` shows in Retracted for a version (modload CheckRetractions): the
 * non-empty rationales of every interval containing it, in file order, else the default text;
 * null when the version is not retracted.
 */
export function retractionRationales(version: string, retractions: readonly Retraction[]): string[] | null {
  const hits = retractions.filter((r) => isRetracted(version, [r]));
  if (hits.length === 0) return null;
  const rationales = hits.map((r) => r.rationale).filter((r) => r !== "");
  return rationales.length > 0 ? rationales : [RETRACTED_DEFAULT];
}

const GRAPHIC = /^[\p{L}\p{M}\p{N}\p{P}\p{S}\p{Zs}]$/u;

/**
 * modload.ShortMessage: the first line of a go.mod message, trimmed, made safe for a terminal
 * (over 500 bytes or non-printable characters are replaced by a fixed notice).
 */
export function shortMessage(message: string, emptyDefault: string): string {
  const nl = message.indexOf("\n");
  const line = goTrimSpace(nl >= 0 ? message.slice(0, nl) : message);
  if (line === "") return emptyDefault;
  if (new TextEncoder().encode(line).length > 500) return "(message omitted: too long)";
  for (const ch of line) {
    const r = ch.codePointAt(0) ?? 0;
    if (!GRAPHIC.test(ch) && !isGoSpace(r)) return "(message omitted: contains non-printable characters)";
  }
  return line;
}

/** The go command's warning for a retracted version (ModuleRetractedError.Error); null if not retracted. */
export function retractionWarning(version: string, retractions: readonly Retraction[]): string | null {
  if (!isRetracted(version, retractions)) return null;
  const first = retractions.find((r) => isRetracted(version, [r]) && r.rationale !== "");
  return first ? `${RETRACTED_DEFAULT}: ${shortMessage(first.rationale, RETRACTED_DEFAULT)}` : RETRACTED_DEFAULT;
}
