// Builds simulated modules from data/go-module-histories.json (real version strings, times and go.mod texts).
import { readFileSync } from "node:fs";
import { compareSemver, sortSemver } from "../go-rules";
import type { SimModule, SimVersion } from "../types";

export type ModuleHistory = {
  module: string;
  repo: string;
  versions: { version: string; time: string }[];
  gomodAtLatest: string;
  gomodAtLatestSynthesized: boolean;
  latestVersion: string;
  retractions: { low: string; high: string; rationale: string }[];
  deprecated: string | null;
  history: { version: string; gomod: string }[];
  notes: string;
};

const DATA_URL = new URL("../data/go-module-histories.json", import.meta.url);

let cached: ModuleHistory[] | undefined;

export function loadHistories(): ModuleHistory[] {
  cached ??= JSON.parse(readFileSync(DATA_URL, "utf8")) as ModuleHistory[];
  return cached;
}

export function findHistory(modulePath: string): ModuleHistory {
  const h = loadHistories().find((m) => m.module === modulePath);
  if (!h) throw new Error(`no history for ${modulePath} in data/go-module-histories.json`);
  return h;
}

export type HistoryOptions = {
  /** Keep only the newest N versions (semver order). */
  keepLatest?: number;
  /**
   * Publication (and commit) times of the newest `schedule.length` versions, oldest version first.
   * Lets a scenario stage "published during the last days, and a few more in the coming hours".
   */
  schedule?: (Date | string)[];
  /**
   * Constant shift of every other version's real times so that the newest of them lands here.
   * Default with a schedule: 7 days before its first entry; without a schedule: times stay real.
   */
  shiftTo?: Date | string;
  /** Commit time this long before publication for scheduled versions (the tag comes after the commit). */
  commitLeadSeconds?: number;
  /**
   * First version whose go.mod carries the `// Deprecated:` comment of the newest go.mod, for modules
   * whose history has no older go.mod texts (golang/protobuf: v1.5.2). Default: only the newest.
   */
  deprecatedSince?: string;
};

function stripDeprecation(gomod: string): string {
  const lines = gomod.split("\n");
  const moduleLine = lines.findIndex((l) => /^module\s/.test(l));
  if (moduleLine < 0) return gomod;
  let start = moduleLine;
  while (start > 0 && /^\s*\/\//.test(lines[start - 1] ?? "")) start--;
  const comment = lines.slice(start, moduleLine);
  if (!comment.some((l) => /\/\/\s*Deprecated:/.test(l))) return gomod;
  return [...lines.slice(0, start), ...lines.slice(moduleLine)].join("\n");
}

/**
 * The go.mod of a version: the newest go.mod for the latest version, else the recorded go.mod of the
 * nearest older tag in `history`. Versions older than every recorded go.mod get none (synthetic .mod),
 * except for modules without recorded history, which reuse the newest go.mod without its deprecation.
 */
function gomodFor(h: ModuleHistory, version: string, deprecatedSince: string | undefined): string | undefined {
  if (compareSemver(version, h.latestVersion) >= 0) return h.gomodAtLatestSynthesized ? undefined : h.gomodAtLatest;
  const older = h.history.filter((e) => compareSemver(e.version, version) <= 0).sort((a, b) => compareSemver(a.version, b.version));
  const nearest = older.at(-1);
  if (nearest) return nearest.gomod;
  if (h.history.length > 0 || h.gomodAtLatestSynthesized) return undefined;
  if (deprecatedSince !== undefined && compareSemver(version, deprecatedSince) >= 0) return h.gomodAtLatest;
  return stripDeprecation(h.gomodAtLatest);
}

export function moduleFromHistory(modulePath: string, options: HistoryOptions = {}): SimModule {
  const h = findHistory(modulePath);
  const timeOf = new Map(h.versions.map((v) => [v.version, new Date(v.time)]));
  let order = sortSemver(h.versions.map((v) => v.version));
  if (options.keepLatest !== undefined) order = order.slice(Math.max(0, order.length - options.keepLatest));
  const schedule = (options.schedule ?? []).map((d) => new Date(d));
  if (schedule.length > order.length) throw new Error(`${modulePath}: schedule longer than the version list`);
  const scheduled = order.slice(order.length - schedule.length);
  const rest = order.slice(0, order.length - schedule.length);

  let shift = 0;
  const target = options.shiftTo ?? (schedule[0] ? new Date(schedule[0].getTime() - 7 * 86_400_000) : undefined);
  if (target !== undefined && rest.length > 0) {
    const newest = Math.max(...rest.map((v) => timeOf.get(v)?.getTime() ?? 0));
    shift = new Date(target).getTime() - newest;
  }
  const lead = (options.commitLeadSeconds ?? 0) * 1000;

  const versions: SimVersion[] = [];
  for (const v of rest) {
    const t = new Date((timeOf.get(v)?.getTime() ?? 0) + shift);
    versions.push(withGoMod({ version: v, time: t }, gomodFor(h, v, options.deprecatedSince)));
  }
  for (const [i, v] of scheduled.entries()) {
    const published = schedule[i] ?? new Date(0);
    // Git commit times have whole seconds; .info shows them so.
    const time = new Date(Math.floor((published.getTime() - lead) / 1000) * 1000);
    versions.push(withGoMod({ version: v, time, publishedAt: published }, gomodFor(h, v, options.deprecatedSince)));
  }
  return { path: modulePath, versions };
}

function withGoMod(v: SimVersion, gomod: string | undefined): SimVersion {
  return gomod === undefined ? v : { ...v, gomod };
}
