// The `@v/list` body as the go command reads it (cmd/go/internal/modfetch/proxy.go, proxyRepo.Versions).

import { goFields } from "./go-strings";
import { isPseudoVersion, isValidVersion, sortVersions } from "./semver";

export type ParsedVersionList = {
  /** Valid, non-pseudo versions, de-duplicated, in semver.Sort order. */
  versions: string[];
  /** Non-blank lines whose first field the go command drops (invalid semver or a pseudo-version). */
  invalidLines: number;
};

// A line of printable ASCII without a space is its own first field: the common case, without goFields' scan.
const PLAIN_FIELD = /^[\x21-\x7e]+$/;

/**
 * For each "\n"-separated line keep the first whitespace field if it is valid semver and not a
 * pseudo-version, then sort with semver.Sort (semver order, ties by string). proxy.go itself does not
 * de-duplicate; we drop exact repeats, which cannot change any version the go command selects.
 */
export function parseVersionListDetailed(body: string): ParsedVersionList {
  const seen = new Set<string>();
  let invalidLines = 0;
  for (const line of body.split("\n")) {
    const first = PLAIN_FIELD.test(line) ? line : goFields(line)[0];
    if (first === undefined) continue;
    if (isValidVersion(first) && !isPseudoVersion(first)) seen.add(first);
    else invalidLines++;
  }
  return { versions: sortVersions([...seen]), invalidLines };
}

export function parseVersionList(body: string): string[] {
  return parseVersionListDetailed(body).versions;
}

/** parseVersionList for versions already split into strings: valid, non-pseudo, de-duplicated, semver-sorted. */
export function normalizeVersionList(versions: readonly string[]): string[] {
  const seen = new Set<string>();
  for (const v of versions) if (isValidVersion(v) && !isPseudoVersion(v)) seen.add(v);
  return sortVersions([...seen]);
}
