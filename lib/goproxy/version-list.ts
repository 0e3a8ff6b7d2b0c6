// The `@v/list` body as the go command reads it (cmd/go/internal/modfetch/proxy.go, proxyRepo.Versions).

import { goFields } from "./go-strings";
import { isPseudoVersion, isValidVersion, sortVersions } from "./semver";

/**
 * For each "\n"-separated line keep the first whitespace field if it is valid semver and not a
 * pseudo-version, then sort with semver.Sort (semver order, ties by string). proxy.go itself does not
 * de-duplicate; we drop exact repeats, which cannot change any version the go command selects.
 */
export function parseVersionList(body: string): string[] {
  const seen = new Set<string>();
  for (const line of body.split("\n")) {
    const first = goFields(line)[0];
    if (first !== undefined && isValidVersion(first) && !isPseudoVersion(first)) seen.add(first);
  }
  return sortVersions([...seen]);
}
