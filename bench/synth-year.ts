import { createHash } from "node:crypto";
import type { Db } from "@/db/sqlite";
import { seededRandom } from "@/e2e/support/seeded-random";
import { benchVersion } from "./sim-modules";

export const CHECK_INTERVAL_MS = 10 * 60_000;
/** A year of checks every 10 minutes. */
export const YEAR_CHECKS = 365 * 24 * 6;

export type SynthOptions = {
  module: string;
  /** Configured mirror names; the last one is the reference. */
  mirrors: [string, string, string];
  versions: number;
  checks: number;
  /** Time of the newest check. */
  end: Date;
};

export type SynthResult = {
  checks: number;
  outcomes: number;
  listings: number;
  gomodStates: number;
  gomodHashes: number;
  versions: number;
  seconds: number;
};


type Interval = { version: number; from: number; until: number | null; lastMissing: number | null };

/** Retractions introduced by the go.mod of a version: [version index, low, high, rationale]. */
const RETRACTIONS: [number, number, number, string][] = [
  [1200, 1199, 1199, "Broken build."],
  [1450, 1440, 1445, "Data race in the connection pool."],
  [1700, 1699, 1699, "Published by accident."],
  [1900, 1890, 1890, "Wrong module path in go.mod."],
];
const DEPRECATED_FROM = 1950;

/**
 * Writes what a year of polling one module would have stored, directly (prepared statements, one transaction):
 * half the versions there at the first look, the other half published evenly over the year and picked up by
 * each mirror after its own lag, a few removals and re-listings, rare errors, and a go.mod state per
 * authoritative version with retractions and a deprecation arriving along the way. Shapes follow
 * db/sqlite/check-store.ts, so the app reads it exactly as if its own checks had written it.
 */
export function synthesiseYear(db: Db, options: SynthOptions): SynthResult {
  const started = performance.now();
  const random = seededRandom(7);
  const sqlite = db.$client;
  const n = options.checks;
  const initial = Math.floor(options.versions / 2);
  const [mirrorA, mirrorB, reference] = options.mirrors;
  const atOf = (i: number) => options.end.getTime() - (n - 1 - i) * CHECK_INTERVAL_MS;

  // Listing intervals per mirror, by check index: lag in checks drawn per mirror (reference 0-1, a 0-3, b 1-18).
  const lagRange: Record<string, [number, number]> = { [mirrorA]: [0, 3], [mirrorB]: [1, 18], [reference]: [0, 1] };
  const intervals = new Map<string, Interval[]>();
  const publishIndex = (k: number) => Math.floor(((k - initial + 0.5) * n) / (options.versions - initial));
  for (const mirror of options.mirrors) {
    const list: Interval[] = [];
    const [lo, hi] = lagRange[mirror] ?? [0, 0];
    for (let k = 0; k < options.versions; k++) {
      if (k < initial) {
        list.push({ version: k, from: 0, until: null, lastMissing: null });
        continue;
      }
      const from = publishIndex(k) + lo + Math.floor(random() * (hi - lo + 1));
      if (from >= n) continue; // published too recently for this mirror: still missing
      // Mirror b drops a few versions for an hour now and then, and lists them again.
      if (mirror === mirrorB && k % 200 === 100 && from + 57 < n) {
        list.push({ version: k, from, until: from + 50, lastMissing: from - 1 });
        list.push({ version: k, from: from + 56, until: null, lastMissing: from + 55 });
      } else {
        list.push({ version: k, from, until: null, lastMissing: from - 1 });
      }
    }
    intervals.set(mirror, list);
  }

  // Per mirror and check: listed count and authoritative (highest listed) version index.
  const perMirror = new Map<string, { count: Int32Array; top: Int32Array; changes: Set<number> }>();
  for (const mirror of options.mirrors) {
    const delta = new Int32Array(n + 1);
    const newTop = new Int32Array(n).fill(-1);
    const changes = new Set<number>();
    for (const l of intervals.get(mirror) ?? []) {
      delta[l.from] = (delta[l.from] ?? 0) + 1;
      changes.add(l.from);
      if (l.from > 0) changes.add(l.from - 1);
      if (l.until !== null) {
        delta[l.until] = (delta[l.until] ?? 0) - 1;
        changes.add(l.until);
        changes.add(l.until - 1);
      }
      if (l.until === null) newTop[l.from] = Math.max(newTop[l.from] ?? -1, l.version);
    }
    const count = new Int32Array(n);
    const top = new Int32Array(n);
    let c = 0;
    let t = -1;
    for (let i = 0; i < n; i++) {
      c += delta[i] ?? 0;
      t = Math.max(t, newTop[i] ?? -1);
      count[i] = c;
      top[i] = t;
    }
    perMirror.set(mirror, { count, top, changes });
  }

  const retractionsFor = (k: number) =>
    RETRACTIONS.filter(([by]) => by <= k).map(([, low, high, rationale]) => ({ low: benchVersion(low), high: benchVersion(high), rationale }));
  const deprecatedFor = (k: number) => (k >= DEPRECATED_FROM ? `use ${options.module}/v2 instead` : null);
  const goModText = (k: number) => {
    const deprecated = deprecatedFor(k);
    const retract = retractionsFor(k)
      .map((r) => `\n// ${r.rationale}\nretract ${r.low === r.high ? r.low : `[${r.low}, ${r.high}]`}\n`)
      .join("");
    return `${deprecated ? `// Deprecated: ${deprecated}\n` : ""}module ${options.module}\n\ngo 1.22\n${retract}`;
  };
  const h1Of = (text: string) => `h1:${createHash("sha256").update(text).digest("base64")}`;

  const counts = { checks: 0, outcomes: 0, listings: 0, gomodStates: 0, gomodHashes: 0, versions: 0 };
  sqlite.transaction(() => {
    const moduleId = Number(sqlite.prepare("insert into modules (path, watched) values (?, 1)").run(options.module).lastInsertRowid);
    const mirrorIds = new Map<string, number>();
    for (const mirror of options.mirrors) {
      sqlite.prepare("insert or ignore into mirrors (name) values (?)").run(mirror);
      const row = sqlite.prepare("select id from mirrors where name = ?").get(mirror) as { id: number };
      mirrorIds.set(mirror, row.id);
    }
    const idOf = (mirror: string) => mirrorIds.get(mirror) ?? 0;

    const insertCheck = sqlite.prepare("insert into checks (module_id, at, trigger) values (?, ?, 'poll')");
    const checkIds = new Int32Array(n);
    for (let i = 0; i < n; i++) checkIds[i] = Number(insertCheck.run(moduleId, atOf(i)).lastInsertRowid);
    counts.checks = n;
    const checkId = (i: number) => checkIds[i] ?? 0;

    const insertOutcome = sqlite.prepare(
      `insert into check_outcomes (check_id, mirror_id, outcome, list_outcome, status, latency_ms, message, cache_control, age, latest_version, list_count, requests, passive)
       values (?, ?, ?, ?, ?, ?, ?, 'public, max-age=60', null, ?, ?, ?, 1)`,
    );
    const latencyRange: Record<string, [number, number]> = { [mirrorA]: [150, 400], [mirrorB]: [200, 900], [reference]: [30, 80] };
    for (const mirror of options.mirrors) {
      const { count, top, changes } = perMirror.get(mirror) ?? { count: new Int32Array(n), top: new Int32Array(n), changes: new Set<number>() };
      const [lo, hi] = latencyRange[mirror] ?? [50, 100];
      for (let i = 0; i < n; i++) {
        // About one check in 300 fails for mirror b, never where its listings change (that would move lastMissing).
        const failed = mirror === mirrorB && !changes.has(i) && random() < 1 / 300;
        const fetchedGoMod = i === 0 || (top[i] ?? -1) !== (top[i - 1] ?? -1);
        if (failed) {
          insertOutcome.run(checkId(i), idOf(mirror), "error", "error", null, 10_000, "@v/list: timed out after 10000 ms waiting for response headers", null, null, 2);
        } else {
          const latest = top[i] ?? -1;
          insertOutcome.run(checkId(i), idOf(mirror), "ok", "ok", 200, lo + Math.floor(random() * (hi - lo)), null, latest >= 0 ? benchVersion(latest) : null, count[i] ?? 0, fetchedGoMod ? 3 : 2);
        }
        counts.outcomes++;
      }
    }

    const insertListing = sqlite.prepare("insert into listings (module_id, mirror_id, version, from_check_id, until_check_id, last_missing_check_id) values (?, ?, ?, ?, ?, ?)");
    for (const mirror of options.mirrors) {
      for (const l of intervals.get(mirror) ?? []) {
        insertListing.run(moduleId, idOf(mirror), benchVersion(l.version), checkId(l.from), l.until === null ? null : checkId(l.until), l.lastMissing === null ? null : checkId(l.lastMissing));
        counts.listings++;
      }
    }

    const insertState = sqlite.prepare(
      "insert into gomod_states (module_id, mirror_id, from_check_id, until_check_id, authoritative_version, deprecated, retractions) values (?, ?, ?, ?, ?, ?, ?)",
    );
    const insertHash = sqlite.prepare("insert into gomod_hashes (module_id, mirror_id, version, h1, check_id) values (?, ?, ?, ?, ?)");
    const insertText = sqlite.prepare("insert or ignore into gomod_texts (h1, text) values (?, ?)");
    for (const mirror of options.mirrors) {
      const top = perMirror.get(mirror)?.top ?? new Int32Array(n);
      // A new go.mod state opens whenever the authoritative version changes (as recordGoMod does).
      const starts: number[] = [];
      for (let i = 0; i < n; i++) if (i === 0 || top[i] !== top[i - 1]) starts.push(i);
      starts.forEach((start, j) => {
        const k = top[start] ?? 0;
        const next = starts[j + 1];
        const text = goModText(k);
        const h1 = h1Of(text);
        insertText.run(h1, text);
        insertHash.run(moduleId, idOf(mirror), benchVersion(k), h1, checkId(start));
        insertState.run(moduleId, idOf(mirror), checkId(start), next === undefined ? null : checkId(next), benchVersion(k), deprecatedFor(k), JSON.stringify(retractionsFor(k)));
        counts.gomodStates++;
        counts.gomodHashes++;
      });
    }

    const insertVersion = sqlite.prepare("insert into versions (module_id, version, time, info_mirror_id) values (?, ?, ?, ?)");
    const firstAt = atOf(0);
    for (let k = 0; k < options.versions; k++) {
      const time = k < initial ? firstAt - (initial - k) * 12 * 3600 * 1000 : atOf(Math.min(n - 1, publishIndex(k))) - 5 * 60_000;
      insertVersion.run(moduleId, benchVersion(k), time, idOf(reference));
      counts.versions++;
    }

    const upsertState = sqlite.prepare("insert into mirror_states (module_id, mirror_id, list_hash, last_answered_check_id) values (?, ?, ?, ?)");
    for (const mirror of options.mirrors) upsertState.run(moduleId, idOf(mirror), `synthetic-${mirror}`, checkId(n - 1));
    sqlite.prepare("update modules set last_check_id = ?, last_check_at = ? where id = ?").run(checkId(n - 1), atOf(n - 1), moduleId);
  })();
  return { ...counts, seconds: (performance.now() - started) / 1000 };
}
