// A resolution as the API shows it: per requirement × mirror the doctor's verdict and diagnosis and the go.sum
// agreement, per mirror a total, the one GOPROXY through which every requirement resolves, and what none can serve.
// Derived on every read from the stored resolution and the probes it points at.

import { goSumFor, parseGoSum, parseMainGoMod } from "@/lib/goproxy";
import { goprivatePattern } from "@/lib/doctor";
import type { ChainResult, DiagnosisCode, DoctorLocale, FileKind, ProbeDto, ProbeMirrorDto, ProbeStep, ReferenceSumdb, Verdict } from "@/lib/doctor";
import type { Replacement, ResolutionItem, StoredResolution } from "@/lib/store";
import { fetchTarget } from "./resolver";

/** A go.sum line against what the mirror served: the same hash, another one, no line for it, or nothing to compare. */
export type GoSumAgreement = "match" | "mismatch" | "absent" | "not_served" | "not_probed";

export type RequirementMirrorDto = {
  verdict: Verdict;
  diagnosis: { code: DiagnosisCode; text: string };
  gosum: { gomod: GoSumAgreement; zip: GoSumAgreement };
};

export type RequirementDto = {
  module: string;
  version: string;
  indirect: boolean;
  replacedBy: Replacement | null;
  excluded: boolean;
  /** Local directories and excluded versions are not fetched; everything else has a probe once done. */
  state: "pending" | "probed" | "local" | "excluded";
  probeId: number | null;
  permalink: string | null;
  /** The go.sum's own lines against the verified checksum record (null: nothing to compare). */
  gosumVsChecksumDb: "match" | "mismatch" | null;
  mirrors: Record<string, RequirementMirrorDto>;
};

export type ResolutionDto = {
  id: number;
  status: "running" | "done" | "interrupted";
  createdAt: string;
  finishedAt: string | null;
  zips: boolean;
  done: number;
  total: number;
  permalink: string;
  requirements: RequirementDto[];
  mirrors: Record<string, { resolves: number; fails: number; missing: number }>;
  advice: { goproxy: string | null; reason: string };
  /**
   * What `go mod download` does with the whole go.mod (and go.sum) through each GOPROXY value the probes compare.
   * Always set by toResolutionDto; optional only so that DTOs written by hand elsewhere stay valid.
   */
  chains?: WholeChain[];
  /** code null: no mirror's answer stops it but the go.mod (a required version it excludes) or the go.sum (a line no mirror matches). */
  unresolvable: { module: string; version: string; code: DiagnosisCode | null; goprivate: string | null }[];
};

export type WholeChain = { goproxy: string; result: ChainResult };

function agreement(line: readonly string[], served: string | null, probed: boolean): GoSumAgreement {
  if (!probed) return "not_probed";
  if (served === null) return "not_served";
  if (line.length === 0) return "absent";
  return line.includes(served) ? "match" : "mismatch";
}

const text = (locale: DoctorLocale, en: string, zh: string) => (locale === "en" ? en : zh);

type Sums = { gomod: readonly string[]; zip: readonly string[] };

export type GoproxyEntry = { kind: "mirror"; baseUrl: string; pipe: boolean } | { kind: "direct" };

/** A GOPROXY value as the go command splits it (modfetch proxyList, proxy.go:61): `|` after an entry = fall back on any error. */
export function parseGoproxy(value: string): GoproxyEntry[] {
  const out: GoproxyEntry[] = [];
  for (const m of value.matchAll(/([^,|]+)([,|]?)/g)) {
    const url = (m[1] ?? "").trim();
    if (url === "direct") out.push({ kind: "direct" });
    else if (url !== "") out.push({ kind: "mirror", baseUrl: url, pipe: m[2] === "|" });
  }
  return out;
}

const PROBED: readonly FileKind[] = ["info", "mod", "zip"];

/** A step the probe did not make stands for the mirror's first failed one, as the doctor's chain walk reads it. */
function stepOf(probe: ProbeDto, m: ProbeMirrorDto, file: FileKind): ProbeStep & { h1?: string | null } {
  const own = m[file];
  if (own.outcome !== "skipped") return own;
  return PROBED.filter((f) => probe.zip || f !== "zip").map((f) => m[f]).find((s) => s.outcome === "not_found" || s.outcome === "error") ?? own;
}

/** The checksum database as the probe read it (directly, as a resolution's lean probe does): does it take this file? */
function recordAccepts(sumdb: ReferenceSumdb, file: "mod" | "zip", h1: string | null): boolean {
  if (!sumdb.enabled) return true;
  if (!sumdb.verified) return false;
  const recorded = file === "mod" ? sumdb.modH1 : sumdb.zipH1;
  return recorded === null || h1 === recorded;
}

/**
 * One file through the entries, modfetch.TryProxies (proxy.go:138-184): 404/410 moves on, another error only after
 * `|`. `check` judges a 200: "error" is retried like a failed fetch, "fatal" ends the command (a go.sum mismatch).
 */
function through(probe: ProbeDto, entries: readonly GoproxyEntry[], file: FileKind, check: (h1: string | null, broken: boolean) => "ok" | "error" | "fatal", fromOrigin: () => boolean): "mirror" | "direct" | "fail" {
  for (const e of entries) {
    if (e.kind === "direct") return fromOrigin() ? "direct" : "fail";
    const m = Object.values(probe.mirrors).find((x) => x.baseUrl === e.baseUrl);
    if (!m) return "fail";
    const s = stepOf(probe, m, file);
    // A .mod or .zip body that does not parse still arrived with 200 (proxy.go:398-412, 430-439); an .info does not.
    const served = s.outcome === "ok" || (s.outcome === "error" && s.reason === "malformed" && file !== "info");
    if (served) {
      const verdict = check(s.h1 ?? null, s.outcome !== "ok");
      if (verdict === "ok") return "mirror";
      if (verdict === "fatal" || !e.pipe) return "fail";
    } else if (s.outcome !== "not_found" && !e.pipe) {
      return "fail";
    }
  }
  return "fail";
}

/**
 * `go mod download` of one requirement through one GOPROXY value, with the go.sum's lines for it. A go.sum line is
 * checked before the checksum database, which is then not asked (checkModSum, fetch.go:619-629), and a line that
 * differs ends the command at once (haveModSumLocked's base.Fatalf, fetch.go:664-665): no `,` or `|` entry after the
 * mirror that served other bytes is tried. The zip is checked after its fetch (fetch.go:328), never retried. Without
 * go.sum lines this is the probe's own chain prediction.
 */
export function requirementThrough(probe: ProbeDto, goproxy: string, sums: Sums, entries: readonly GoproxyEntry[] = parseGoproxy(goproxy)): ChainResult {
  const predicted = probe.goproxy.chains.find((c) => c.goproxy === goproxy)?.result ?? "fail";
  if (sums.gomod.length === 0 && (!probe.zip || sums.zip.length === 0)) return predicted;
  const sumdb = probe.sumdb;
  const bySum = (line: string | undefined, file: "mod" | "zip", retry: boolean) => (h1: string | null, broken: boolean) => {
    if (broken && file === "zip") return "fatal" as const;
    if (line !== undefined) return h1 === line ? ("ok" as const) : ("fatal" as const);
    return recordAccepts(sumdb, file, h1) ? ("ok" as const) : retry ? ("error" as const) : ("fatal" as const);
  };
  // The origin serves what the checksum database recorded: a go.sum line that differs from the record fails there too.
  const origin = (line: string | undefined, file: "mod" | "zip") => () => {
    const recorded = sumdb.verified ? (file === "mod" ? sumdb.modH1 : sumdb.zipH1) : null;
    return line === undefined || recorded === null || line === recorded;
  };
  const steps = [
    through(probe, entries, "info", () => "ok", () => true),
    // The go.mod check runs inside TryProxies (cache.go:303-305): a database mismatch moves on after `|`.
    through(probe, entries, "mod", bySum(sums.gomod[0], "mod", true), origin(sums.gomod[0], "mod")),
    ...(probe.zip ? [through(probe, entries, "zip", bySum(sums.zip[0], "zip", false), origin(sums.zip[0], "zip"))] : []),
  ];
  if (steps.includes("fail")) return "fail";
  return steps.includes("direct") ? "needs_direct" : "ok";
}

/** `go 1.17` or later: the go directive's numbers against 1.17 (no directive counts as older, download.go:136). */
function goAtLeast117(go: string | null): boolean {
  if (go === null) return false;
  const [major = 0, minor = 0] = go.split(".").map((n) => Number.parseInt(n, 10) || 0);
  return major > 1 || (major === 1 && minor >= 17);
}

/**
 * Requirements `go mod download` cannot get past whatever GOPROXY says: a required version the go.mod excludes. The
 * go command drops that requirement (modload init.go:1090) yet still downloads its path (download.go:153), which is
 * then "not a known dependency" (list.go:262-265), from go 1.17 on (download.go:136). Unless another module's go.mod
 * requires that path: a lean probe does not read those, so this says it fails (go1.19.8 did, no list request asked).
 */
export function excludedBlockers(gomod: string, items: readonly Pick<ResolutionItem, "module" | "version" | "excluded">[]): { module: string; version: string }[] {
  const excluded = items.filter((i) => i.excluded);
  if (excluded.length === 0 || !goAtLeast117(parseMainGoMod(gomod).go)) return [];
  return excluded.map((i) => ({ module: i.module, version: i.version }));
}

type Probed = { probe: ProbeDto; sums: Sums };

/** Each requirement (row) through each GOPROXY value (column) the probes compare: the values, and the results. */
function throughEach(probed: readonly Probed[]): { values: string[]; results: ChainResult[][] } {
  const values = probed[0]?.probe.goproxy.chains.map((c) => c.goproxy) ?? [];
  const entries = values.map((v) => parseGoproxy(v));
  return { values, results: probed.map((p) => values.map((v, i) => requirementThrough(p.probe, v, p.sums, entries[i]))) };
}

function combine(values: readonly string[], results: readonly ChainResult[][], blocked: boolean): WholeChain[] {
  return values.map((goproxy, i) => {
    const column = results.map((row) => row[i]);
    const result: ChainResult = blocked || column.includes("fail") ? "fail" : column.includes("needs_direct") ? "needs_direct" : "ok";
    return { goproxy, result };
  });
}

/** The whole go.mod through each GOPROXY value: fails when a requirement does or the go.mod itself stops it. */
export function wholeChains(probed: readonly Probed[], blocked: boolean): WholeChain[] {
  const { values, results } = throughEach(probed);
  return combine(values, results, blocked);
}

/** The GOPROXY value every probed requirement resolves through, preferring what the single probes advised most. */
function wholeAdvice(probes: ProbeDto[], chains: readonly WholeChain[], blockers: readonly { module: string; version: string }[], locale: DoctorLocale): { goproxy: string | null; reason: string } {
  const first = blockers[0];
  if (first) {
    const mv = `${first.module} ${first.version}`;
    return {
      goproxy: null,
      reason: text(
        locale,
        `go mod download fails whatever GOPROXY says: the go.mod excludes ${mv}, which it also requires, so the go command drops that requirement and then stops at "module ${first.module}: not a known dependency" (unless another requirement's go.mod needs ${first.module}). Require a version that is not excluded.`,
        `无论 GOPROXY 如何设置，go mod download 都会失败：go.mod 排除了它同时依赖的 ${mv}，go 命令会丢弃这条依赖，随后报错 "module ${first.module}: not a known dependency"（除非另一个依赖的 go.mod 需要 ${first.module}）。请依赖一个未被排除的版本。`,
      ),
    };
  }
  if (probes.length === 0) return { goproxy: null, reason: text(locale, "Nothing to fetch: no requirement needs a mirror.", "无需获取：没有依赖需要镜像。") };
  const allOk = new Set(chains.filter((c) => c.result === "ok").map((c) => c.goproxy));
  const votes = new Map<string, number>();
  for (const p of probes) votes.set(p.goproxy.advice.goproxy, (votes.get(p.goproxy.advice.goproxy) ?? 0) + 1);
  const advised = [...votes.entries()].sort((a, b) => b[1] - a[1]).map(([v]) => v).find((v) => allOk.has(v));
  const plain = chains.map((c) => c.goproxy).filter((v) => allOk.has(v) && !v.includes("|") && !v.endsWith(",direct"));
  const pick = advised ?? plain[0] ?? [...allOk][0] ?? null;
  if (pick === null) {
    return {
      goproxy: null,
      reason: text(locale, "No single GOPROXY value of the configured mirrors serves every requirement now: see the unresolvable ones.", "目前没有一个由已配置镜像组成的 GOPROXY 值能提供全部依赖：见下方无法解析的依赖。"),
    };
  }
  return {
    goproxy: pick,
    reason: text(locale, `Every probed requirement resolves through GOPROXY=${pick} now (${probes.length} of them).`, `目前全部 ${probes.length} 个已探测的依赖都能通过 GOPROXY=${pick} 解析。`),
  };
}

/**
 * `probes`: the requirements' probes by id, derived in `locale` (toProbeDto). The caller keeps them: a stored probe
 * never changes, and a running resolution is polled.
 */
export function toResolutionDto(resolution: StoredResolution, probes: ReadonlyMap<number, ProbeDto>, mirrorOrder: string[], locale: DoctorLocale = "en"): ResolutionDto {
  const sums = resolution.gosum === null ? null : parseGoSum(resolution.gosum);
  const totals: ResolutionDto["mirrors"] = Object.fromEntries(mirrorOrder.map((m) => [m, { resolves: 0, fails: 0, missing: 0 }]));
  const probeDtos: ProbeDto[] = [];
  const probed: Probed[] = [];
  /** Index in `probed` by index in `requirements`. */
  const probedAt = new Map<number, number>();
  let done = 0;
  const requirements = resolution.items.map((item, index): RequirementDto => {
    const target = fetchTarget(item);
    const probe = item.probeId === null ? undefined : probes.get(item.probeId);
    const state: RequirementDto["state"] = item.excluded ? "excluded" : target === null ? "local" : probe ? "probed" : "pending";
    if (state !== "pending") done++;
    const base = { module: item.module, version: item.version, indirect: item.indirect, replacedBy: item.replacedBy, excluded: item.excluded, state, probeId: probe?.id ?? null };
    if (!probe || !target) return { ...base, permalink: null, gosumVsChecksumDb: null, mirrors: {} };
    probeDtos.push(probe);
    // go.sum names the module as required; a replacement's lines are under the replacement's path and version.
    const lines = sums ? goSumFor(sums, target.module, target.version) : { zip: [], gomod: [] };
    probedAt.set(index, probed.push({ probe, sums: lines }) - 1);
    const mirrors: Record<string, RequirementMirrorDto> = {};
    for (const name of probe.mirrorOrder) {
      const m = probe.mirrors[name];
      if (!m) continue;
      mirrors[name] = {
        verdict: m.verdict,
        diagnosis: m.diagnosis,
        gosum: sums
          ? { gomod: agreement(lines.gomod, m.mod.h1, true), zip: agreement(lines.zip, m.zip.h1, m.zip.outcome !== "skipped") }
          : { gomod: "not_probed", zip: "not_probed" },
      };
      const total = totals[name];
      if (!total) continue;
      // A go.sum line the mirror's bytes contradict stops go mod download there, however well the mirror answered.
      const contradicted = mirrors[name]?.gosum.gomod === "mismatch" || mirrors[name]?.gosum.zip === "mismatch";
      if (m.verdict === "ok" && !contradicted) total.resolves++;
      else if (m.diagnosis.code === "not_yet_on_mirror") total.missing++;
      else total.fails++;
    }
    const record = probe.sumdb.verified ? probe.sumdb : null;
    const recorded = [...lines.gomod.map((h) => h === record?.modH1), ...lines.zip.map((h) => h === record?.zipH1)];
    const gosumVsChecksumDb = record === null || recorded.length === 0 ? null : recorded.every(Boolean) ? "match" : "mismatch";
    return { ...base, permalink: probe.permalink, gosumVsChecksumDb, mirrors };
  });
  const blockers = excludedBlockers(resolution.gomod, resolution.items);
  const { values, results } = throughEach(probed);
  const chains = combine(values, results, blockers.length > 0);
  const advice = wholeAdvice(probeDtos, chains, blockers, locale);
  const blocked = new Set(blockers.map((b) => `${b.module}@${b.version}`));
  const unresolvable: ResolutionDto["unresolvable"] = [];
  for (const [index, r] of requirements.entries()) {
    if (blocked.has(`${r.module}@${r.version}`) && r.state === "excluded") {
      unresolvable.push({ module: r.module, version: r.version, code: null, goprivate: null });
      continue;
    }
    const at = probedAt.get(index);
    const p = at === undefined ? undefined : probed[at];
    if (!p || at === undefined || results[at]?.includes("ok")) continue;
    // Served through some value, but the go.sum contradicts each: no mirror's diagnosis says why (gosumVsChecksumDb does).
    const byGoSum = p.probe.goproxy.chains.some((c) => c.result === "ok");
    const code = byGoSum ? null : (p.probe.mirrors[p.probe.reference]?.diagnosis.code ?? null);
    unresolvable.push({ module: r.module, version: r.version, code, goprivate: code === "no_such_module" ? goprivatePattern(p.probe.module) : null });
  }
  return {
    id: resolution.id,
    status: resolution.status,
    createdAt: resolution.createdAt.toISOString(),
    finishedAt: resolution.finishedAt?.toISOString() ?? null,
    zips: resolution.zips,
    done,
    total: resolution.total,
    permalink: `/resolve?id=${resolution.id}`,
    requirements,
    mirrors: totals,
    advice,
    chains,
    unresolvable,
  };
}
