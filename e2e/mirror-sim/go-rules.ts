// The simulator's own small copy of the Go rules it needs (escaping, semver order, retract lines).
// Deliberately independent of lib/goproxy: tests compare the two, and the real `go` command checks both.

export type ParsedSemver = {
  major: number;
  minor: number;
  patch: number;
  prerelease: string[];
  build: string;
};

const SEMVER_RE =
  /^v(0|[1-9]\d*)(?:\.(0|[1-9]\d*)(?:\.(0|[1-9]\d*)(?:-([0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*))?(?:\+([0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*))?)?)?$/;

export function parseSemver(v: string): ParsedSemver | undefined {
  const m = SEMVER_RE.exec(v);
  if (!m) return undefined;
  const pre = m[4] === undefined ? [] : m[4].split(".");
  // Numeric pre-release identifiers must not have leading zeros.
  if (pre.some((p) => /^\d+$/.test(p) && p.length > 1 && p.startsWith("0"))) return undefined;
  return {
    major: Number(m[1]),
    minor: Number(m[2] ?? 0),
    patch: Number(m[3] ?? 0),
    prerelease: pre,
    build: m[5] ?? "",
  };
}

export function isSemver(v: string): boolean {
  return parseSemver(v) !== undefined;
}

export function isPrerelease(v: string): boolean {
  return (parseSemver(v)?.prerelease.length ?? 0) > 0;
}

function compareIdent(a: string, b: string): number {
  const an = /^\d+$/.test(a);
  const bn = /^\d+$/.test(b);
  if (an && bn) return a.length !== b.length ? a.length - b.length : a < b ? -1 : a > b ? 1 : 0;
  if (an) return -1;
  if (bn) return 1;
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Go's semver.Compare: invalid versions sort first, build metadata ignored. */
export function compareSemver(a: string, b: string): number {
  const pa = parseSemver(a);
  const pb = parseSemver(b);
  if (!pa || !pb) return pa ? 1 : pb ? -1 : 0;
  for (const k of ["major", "minor", "patch"] as const) {
    if (pa[k] !== pb[k]) return pa[k] < pb[k] ? -1 : 1;
  }
  const xa = pa.prerelease;
  const xb = pb.prerelease;
  if (xa.length === 0 || xb.length === 0) return xa.length === xb.length ? 0 : xa.length === 0 ? 1 : -1;
  for (let i = 0; i < Math.min(xa.length, xb.length); i++) {
    const c = compareIdent(xa[i] ?? "", xb[i] ?? "");
    if (c !== 0) return c < 0 ? -1 : 1;
  }
  return xa.length === xb.length ? 0 : xa.length < xb.length ? -1 : 1;
}

export function sortSemver(vs: readonly string[]): string[] {
  return [...vs].sort(compareSemver);
}

/** `!x` → `X`; rejects a raw uppercase letter, `!` not followed by a–z (so also `!!`). */
export function unescapeGoPath(escaped: string): string | undefined {
  let out = "";
  for (let i = 0; i < escaped.length; i++) {
    const c = escaped[i] ?? "";
    if (c >= "A" && c <= "Z") return undefined;
    if (c === "!") {
      const n = escaped[i + 1] ?? "";
      if (!(n >= "a" && n <= "z")) return undefined;
      out += n.toUpperCase();
      i++;
      continue;
    }
    out += c;
  }
  return out;
}

export function escapeGoPath(path: string): string {
  return path.replace(/[A-Z]/g, (c) => "!" + c.toLowerCase());
}

export type RetractInterval = { low: string; high: string };

/**
 * Lenient reading of `retract` directives (single, interval, block), as the go command does for a
 * dependency's go.mod: a malformed line is skipped. Rationales are not needed by the simulator.
 */
export function parseRetractIntervals(gomod: string): RetractInterval[] {
  const out: RetractInterval[] = [];
  let inBlock = false;
  for (const rawLine of gomod.split("\n")) {
    const line = (rawLine.split("//")[0] ?? "").trim();
    if (!line) continue;
    let spec: string | undefined;
    if (inBlock) {
      if (line === ")") {
        inBlock = false;
        continue;
      }
      spec = line;
    } else if (/^retract\s*\($/.test(line)) {
      inBlock = true;
      continue;
    } else if (/^retract\s/.test(line) || line.startsWith("retract[")) {
      spec = line.slice("retract".length).trim();
    }
    if (spec === undefined) continue;
    const interval = /^\[\s*([^\s,\]]+)\s*,\s*([^\s,\]]+)\s*\]$/.exec(spec);
    if (interval && isSemver(interval[1] ?? "") && isSemver(interval[2] ?? "")) {
      out.push({ low: interval[1] ?? "", high: interval[2] ?? "" });
    } else if (isSemver(spec)) {
      out.push({ low: spec, high: spec });
    }
  }
  return out;
}

export function isRetractedBy(version: string, intervals: readonly RetractInterval[]): boolean {
  return intervals.some((r) => compareSemver(r.low, version) <= 0 && compareSemver(version, r.high) <= 0);
}

/** The version whose go.mod decides retractions: highest release, else highest pre-release. */
export function authoritativeOf(listed: readonly string[]): string | undefined {
  const sorted = sortSemver(listed.filter(isSemver));
  const releases = sorted.filter((v) => !isPrerelease(v));
  return releases.at(-1) ?? sorted.at(-1);
}
