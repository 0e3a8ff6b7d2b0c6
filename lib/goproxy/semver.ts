// Semantic versions exactly as golang.org/x/mod/semver (and the pseudo-version and canonical-form
// rules of golang.org/x/mod/module). Browser-safe: no Node imports.

import { compareGoStrings } from "./go-strings";

type Parsed = {
  major: string;
  minor: string;
  patch: string;
  short: string;
  prerelease: string;
  build: string;
};

function parseInt(v: string): [string, string] | null {
  if (v === "" || v[0]! < "0" || v[0]! > "9") return null;
  let i = 1;
  while (i < v.length && v[i]! >= "0" && v[i]! <= "9") i++;
  if (v[0] === "0" && i !== 1) return null;
  return [v.slice(0, i), v.slice(i)];
}

function isIdentChar(c: string): boolean {
  return (c >= "A" && c <= "Z") || (c >= "a" && c <= "z") || (c >= "0" && c <= "9") || c === "-";
}

function isBadNum(v: string): boolean {
  let i = 0;
  while (i < v.length && v[i]! >= "0" && v[i]! <= "9") i++;
  return i === v.length && i > 1 && v[0] === "0";
}

function isNum(v: string): boolean {
  let i = 0;
  while (i < v.length && v[i]! >= "0" && v[i]! <= "9") i++;
  return i === v.length;
}

function parsePrerelease(v: string): [string, string] | null {
  if (v === "" || v[0] !== "-") return null;
  let i = 1;
  let start = 1;
  while (i < v.length && v[i] !== "+") {
    const c = v[i]!;
    if (!isIdentChar(c) && c !== ".") return null;
    if (c === ".") {
      if (start === i || isBadNum(v.slice(start, i))) return null;
      start = i + 1;
    }
    i++;
  }
  if (start === i || isBadNum(v.slice(start, i))) return null;
  return [v.slice(0, i), v.slice(i)];
}

function parseBuild(v: string): [string, string] | null {
  if (v === "" || v[0] !== "+") return null;
  let i = 1;
  let start = 1;
  while (i < v.length) {
    const c = v[i]!;
    if (!isIdentChar(c) && c !== ".") return null;
    if (c === ".") {
      if (start === i) return null;
      start = i + 1;
    }
    i++;
  }
  if (start === i) return null;
  return [v.slice(0, i), v.slice(i)];
}

// A sort parses both sides of every comparison, and a timeline compares thousands of versions many times over:
// remember parses of recently seen strings. Parsed values are never mutated, so sharing them is safe.
const parsedCache = new Map<string, Parsed | null>();
const PARSED_CACHE_MAX_ENTRIES = 20_000;
const PARSED_CACHE_MAX_LENGTH = 128;

function parse(v: string): Parsed | null {
  const hit = parsedCache.get(v);
  if (hit !== undefined) return hit;
  const parsed = parseUncached(v);
  if (v.length <= PARSED_CACHE_MAX_LENGTH) {
    if (parsedCache.size >= PARSED_CACHE_MAX_ENTRIES) parsedCache.clear();
    parsedCache.set(v, parsed);
  }
  return parsed;
}

function parseUncached(v: string): Parsed | null {
  if (v === "" || v[0] !== "v") return null;
  const p: Parsed = { major: "", minor: "", patch: "", short: "", prerelease: "", build: "" };
  const maj = parseInt(v.slice(1));
  if (!maj) return null;
  [p.major, v] = maj;
  if (v === "") return { ...p, minor: "0", patch: "0", short: ".0.0" };
  if (v[0] !== ".") return null;
  const min = parseInt(v.slice(1));
  if (!min) return null;
  [p.minor, v] = min;
  if (v === "") return { ...p, patch: "0", short: ".0" };
  if (v[0] !== ".") return null;
  const pat = parseInt(v.slice(1));
  if (!pat) return null;
  [p.patch, v] = pat;
  if (v.length > 0 && v[0] === "-") {
    const pre = parsePrerelease(v);
    if (!pre) return null;
    [p.prerelease, v] = pre;
  }
  if (v.length > 0 && v[0] === "+") {
    const b = parseBuild(v);
    if (!b) return null;
    [p.build, v] = b;
  }
  return v === "" ? p : null;
}

/** semver.IsValid: `v` prefix required; `v1` and `v1.2` shorthands are valid (without -pre/+build). */
export function isValidVersion(v: string): boolean {
  return parse(v) !== null;
}

/** semver.Canonical: v1 → v1.0.0; build metadata (including +incompatible) is dropped; "" if invalid. */
export function canonicalVersion(v: string): string {
  const p = parse(v);
  if (!p) return "";
  if (p.build !== "") return v.slice(0, v.length - p.build.length);
  if (p.short !== "") return v + p.short;
  return v;
}

/** module.CanonicalVersion: like canonicalVersion but keeps the special "+incompatible" build suffix. */
export function canonicalModuleVersion(v: string): string {
  const cv = canonicalVersion(v);
  if (semverBuild(v) === "+incompatible") return cv + "+incompatible";
  return cv;
}

/** semver.Major: "v2" for "v2.1.0"; "" if invalid. */
export function semverMajor(v: string): string {
  const p = parse(v);
  return p ? v.slice(0, 1 + p.major.length) : "";
}

/** semver.MajorMinor: "v2.1" for "v2.1.0" and "v2.0" for "v2"; "" if invalid. */
export function semverMajorMinor(v: string): string {
  const p = parse(v);
  if (!p) return "";
  const i = 1 + p.major.length;
  if (i + 1 + p.minor.length <= v.length && v.slice(i + 1, i + 1 + p.minor.length) === p.minor && v[i] === ".") {
    return v.slice(0, i + 1 + p.minor.length);
  }
  return v.slice(0, i) + "." + p.minor;
}

/** semver.Prerelease: "-pre" for "v1.2.3-pre+build"; "" if none or invalid. */
export function semverPrerelease(v: string): string {
  return parse(v)?.prerelease ?? "";
}

/** semver.Build: "+build" for "v1.2.3+build"; "" if none or invalid. */
export function semverBuild(v: string): string {
  return parse(v)?.build ?? "";
}

/** True for a valid version with a -pre part (pseudo-versions included, as gover.ModIsPrerelease). */
export function isPrerelease(v: string): boolean {
  return semverPrerelease(v) !== "";
}

function compareInt(x: string, y: string): -1 | 0 | 1 {
  if (x === y) return 0;
  if (x.length !== y.length) return x.length < y.length ? -1 : 1;
  return x < y ? -1 : 1;
}

function nextIdent(x: string): [string, string] {
  let i = 0;
  while (i < x.length && x[i] !== ".") i++;
  return [x.slice(0, i), x.slice(i)];
}

function comparePrerelease(x: string, y: string): -1 | 0 | 1 {
  // Identifiers left to right: numeric < alphanumeric, numbers by value, others by ASCII;
  // a release (empty prerelease) sorts after all of its prereleases.
  if (x === y) return 0;
  if (x === "") return 1;
  if (y === "") return -1;
  while (x !== "" && y !== "") {
    x = x.slice(1);
    y = y.slice(1);
    let dx: string;
    let dy: string;
    [dx, x] = nextIdent(x);
    [dy, y] = nextIdent(y);
    if (dx !== dy) {
      const ix = isNum(dx);
      const iy = isNum(dy);
      if (ix !== iy) return ix ? -1 : 1;
      if (ix && dx.length !== dy.length) return dx.length < dy.length ? -1 : 1;
      return dx < dy ? -1 : 1;
    }
  }
  return x === "" ? -1 : 1;
}

/** semver.Compare: invalid < valid, two invalid versions are equal, build metadata is ignored. */
export function compareVersions(a: string, b: string): -1 | 0 | 1 {
  return compareParsed(parse(a), parse(b));
}

function compareParsed(pa: Parsed | null, pb: Parsed | null): -1 | 0 | 1 {
  if (!pa && !pb) return 0;
  if (!pa) return -1;
  if (!pb) return 1;
  return (
    compareInt(pa.major, pb.major) ||
    compareInt(pa.minor, pb.minor) ||
    compareInt(pa.patch, pb.patch) ||
    comparePrerelease(pa.prerelease, pb.prerelease)
  );
}

/** semver.Sort into a new array: semver order, ties (equal versions, invalid strings) by Go string order. */
export function sortVersions(list: readonly string[]): string[] {
  // Each string parsed once, not at every comparison; and a list already in order (most callers re-sort
  // what parseVersionList returned) costs one pass.
  const keyed = list.map((v) => ({ v, p: parse(v) }));
  const order = (a: (typeof keyed)[number], b: (typeof keyed)[number]) => compareParsed(a.p, b.p) || compareGoStrings(a.v, b.v);
  let sorted = true;
  for (let i = 1; i < keyed.length && sorted; i++) sorted = order(keyed[i - 1]!, keyed[i]!) <= 0;
  if (!sorted) keyed.sort(order);
  return keyed.map((k) => k.v);
}

const PSEUDO_VERSION_RE =
  /^v[0-9]+\.(0\.0-|\d+\.\d+-([^+]*\.)?0\.)\d{14}-[A-Za-z0-9]+(\+[0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*)?$/;

/** module.IsPseudoVersion: vX.0.0-yyyymmddhhmmss-abcdef, vX.Y.(Z+1)-0.yyyymmddhhmmss-abcdef, vX.Y.Z-pre.0.… */
export function isPseudoVersion(v: string): boolean {
  return (v.match(/-/g)?.length ?? 0) >= 2 && isValidVersion(v) && PSEUDO_VERSION_RE.test(v);
}
