// A stored probe as the API and the version page show it: the evidence as recorded, and what the doctor derives
// from it (diagnosis per mirror, GOPROXY chains, advice), derived on every read from the record alone.

import type { StoredProbe } from "@/lib/store";
import type { ChainPrediction, DiagnosisCode, DoctorInput, InfoStep, MirrorSumdbStep, ModStep, ReferenceSumdb, Verdict, ZipStep } from "./types";
import { diagnose, diagnosisText } from "./diagnose";
import { predictChains } from "./chains";
import { adviseGoproxy } from "./advice";

export type DoctorLocale = "en" | "zh-CN";

export type ProbeMirrorDto = {
  baseUrl: string;
  isReference: boolean;
  info: InfoStep;
  mod: ModStep;
  zip: ZipStep;
  sumdb: MirrorSumdbStep;
  /** History the probe was read in: listed in @v/list, what go get @latest resolves to, retraction. */
  listed: boolean | null;
  latest: string | null;
  retracted: { rationale: string } | null;
  lagP90Seconds: number | null;
  verdict: Verdict;
  diagnosis: { code: DiagnosisCode; text: string };
};

export type ProbeDto = {
  id: number;
  module: string;
  version: string;
  /** What was asked: the version, or "latest" (then `version` is what it resolved to on the reference). */
  requested: string;
  at: string;
  fetch: boolean;
  /** false: only .info and .mod were probed (every zip step skipped, nothing said of the zip). */
  zip: boolean;
  /** false: a go.mod resolution's lean probe, which left the mirrors' checksum-database proxies alone. */
  mirrorSumdb: boolean;
  reference: string;
  checkId: number | null;
  referenceFirstSeen: string | null;
  /** The page that renders this probe forever. */
  permalink: string;
  sumdb: ReferenceSumdb;
  /** Configured order. */
  mirrorOrder: string[];
  mirrors: Record<string, ProbeMirrorDto>;
  goproxy: { chains: ChainPrediction[]; advice: { goproxy: string; reason: string } };
};

/** The doctor's input from a stored probe: everything it needs was captured when the probe ran. */
export function doctorInputOf(probe: StoredProbe): DoctorInput {
  return {
    module: probe.module,
    version: probe.version,
    fetch: probe.fetch,
    zip: probe.zip,
    at: probe.at,
    reference: probe.reference,
    sumdb: probe.sumdb,
    referenceFirstSeen: probe.referenceFirstSeen,
    mirrors: probe.mirrors.map((m) => ({ name: m.name, baseUrl: m.baseUrl, probe: m.probe, context: m.context, health: m.health })),
  };
}

/** `/m/<module>@<version>?probe=<id>`, the module path kept readable as the module page's own links are. */
export function probePermalink(module: string, version: string, id: number): string {
  return `/m/${module.split("/").map(encodeURIComponent).join("/")}@${encodeURIComponent(version)}?probe=${id}`;
}

export function toProbeDto(probe: StoredProbe, locale: DoctorLocale = "en"): ProbeDto {
  const input = doctorInputOf(probe);
  const diagnoses = diagnose(input);
  const chains = predictChains(input);
  const advice = adviseGoproxy(input, chains);
  const mirrors: Record<string, ProbeMirrorDto> = {};
  for (const m of probe.mirrors) {
    const d = diagnoses[m.name];
    if (!d) throw new Error(`no diagnosis for ${m.name}`);
    mirrors[m.name] = {
      baseUrl: m.baseUrl,
      isReference: m.name === probe.reference,
      ...m.probe,
      listed: m.context.listed,
      latest: m.context.latest,
      retracted: m.context.retracted,
      lagP90Seconds: m.context.lagP90Seconds,
      verdict: d.verdict,
      diagnosis: { code: d.code, text: diagnosisText(d, locale) },
    };
  }
  return {
    id: probe.id,
    module: probe.module,
    version: probe.version,
    requested: probe.requested,
    at: probe.at.toISOString(),
    fetch: probe.fetch,
    zip: probe.zip,
    mirrorSumdb: probe.mirrorSumdb,
    reference: probe.reference,
    checkId: probe.checkId,
    referenceFirstSeen: probe.referenceFirstSeen?.toISOString() ?? null,
    permalink: probePermalink(probe.module, probe.version, probe.id),
    sumdb: probe.sumdb,
    mirrorOrder: probe.mirrors.map((m) => m.name),
    mirrors,
    goproxy: { chains, advice: { goproxy: advice.goproxy, reason: advice.reason[locale] } },
  };
}
