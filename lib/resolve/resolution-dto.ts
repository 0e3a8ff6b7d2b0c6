// A resolution as the API shows it: per requirement × mirror the doctor's verdict and diagnosis and the go.sum
// agreement, per mirror a total, the one GOPROXY through which every requirement resolves, and what none can serve.
// Derived on every read from the stored resolution and the probes it points at.

import { goSumFor, parseGoSum } from "@/lib/goproxy";
import { goprivatePattern } from "@/lib/doctor";
import type { DiagnosisCode, DoctorLocale, ProbeDto, Verdict } from "@/lib/doctor";
import type { Replacement, StoredResolution } from "@/lib/store";
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
  unresolvable: { module: string; version: string; code: DiagnosisCode | null; goprivate: string | null }[];
};

function agreement(line: readonly string[], served: string | null, probed: boolean): GoSumAgreement {
  if (!probed) return "not_probed";
  if (served === null) return "not_served";
  if (line.length === 0) return "absent";
  return line.includes(served) ? "match" : "mismatch";
}

const text = (locale: DoctorLocale, en: string, zh: string) => (locale === "en" ? en : zh);

/** The GOPROXY value every probed requirement resolves through, preferring what the single probes advised most. */
function wholeAdvice(probes: ProbeDto[], locale: DoctorLocale): { goproxy: string | null; reason: string; allOk: Set<string> } {
  if (probes.length === 0) return { goproxy: null, reason: text(locale, "Nothing to fetch: no requirement needs a mirror.", "无需获取：没有依赖需要镜像。"), allOk: new Set() };
  const values = probes[0]?.goproxy.chains.map((c) => c.goproxy) ?? [];
  const allOk = new Set(values.filter((v) => probes.every((p) => p.goproxy.chains.some((c) => c.goproxy === v && c.result === "ok"))));
  const votes = new Map<string, number>();
  for (const p of probes) votes.set(p.goproxy.advice.goproxy, (votes.get(p.goproxy.advice.goproxy) ?? 0) + 1);
  const advised = [...votes.entries()].sort((a, b) => b[1] - a[1]).map(([v]) => v).find((v) => allOk.has(v));
  const plain = values.filter((v) => allOk.has(v) && !v.includes("|") && !v.endsWith(",direct"));
  const pick = advised ?? plain[0] ?? [...allOk][0] ?? null;
  if (pick === null) {
    return {
      goproxy: null,
      reason: text(locale, "No single GOPROXY value of the configured mirrors serves every requirement now: see the unresolvable ones.", "目前没有一个由已配置镜像组成的 GOPROXY 值能提供全部依赖：见下方无法解析的依赖。"),
      allOk,
    };
  }
  return {
    goproxy: pick,
    reason: text(locale, `Every probed requirement resolves through GOPROXY=${pick} now (${probes.length} of them).`, `目前全部 ${probes.length} 个已探测的依赖都能通过 GOPROXY=${pick} 解析。`),
    allOk,
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
  let done = 0;
  const requirements = resolution.items.map((item): RequirementDto => {
    const target = fetchTarget(item);
    const probe = item.probeId === null ? undefined : probes.get(item.probeId);
    const state: RequirementDto["state"] = item.excluded ? "excluded" : target === null ? "local" : probe ? "probed" : "pending";
    if (state !== "pending") done++;
    const base = { module: item.module, version: item.version, indirect: item.indirect, replacedBy: item.replacedBy, excluded: item.excluded, state, probeId: probe?.id ?? null };
    if (!probe || !target) return { ...base, permalink: null, gosumVsChecksumDb: null, mirrors: {} };
    probeDtos.push(probe);
    // go.sum names the module as required; a replacement's lines are under the replacement's path and version.
    const lines = sums ? goSumFor(sums, target.module, target.version) : { zip: [], gomod: [] };
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
      if (m.verdict === "ok") total.resolves++;
      else if (m.diagnosis.code === "not_yet_on_mirror") total.missing++;
      else total.fails++;
    }
    const record = probe.sumdb.verified ? probe.sumdb : null;
    const recorded = [...lines.gomod.map((h) => h === record?.modH1), ...lines.zip.map((h) => h === record?.zipH1)];
    const gosumVsChecksumDb = record === null || recorded.length === 0 ? null : recorded.every(Boolean) ? "match" : "mismatch";
    return { ...base, permalink: probe.permalink, gosumVsChecksumDb, mirrors };
  });
  const advice = wholeAdvice(probeDtos, locale);
  const unresolvable = requirements
    .filter((r) => r.state === "probed")
    .flatMap((r) => {
      const probe = probeDtos.find((p) => p.id === r.probeId);
      if (!probe || probe.goproxy.chains.some((c) => c.result === "ok")) return [];
      const reference = probe.mirrors[probe.reference];
      const code = reference?.diagnosis.code ?? null;
      return [{ module: r.module, version: r.version, code, goprivate: code === "no_such_module" ? goprivatePattern(probe.module) : null }];
    });
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
    advice: { goproxy: advice.goproxy, reason: advice.reason },
    unresolvable,
  };
}
