// Small builders of probe evidence for the doctor's unit tests: a mirror that serves everything unless told
// otherwise, and steps spelled the way lib/probe records them.

import type { DoctorInput, InfoStep, MirrorSumdbStep, ModStep, ProbeStep, ProbedMirror, ReferenceSumdb, ZipStep } from "./types";

export const MODULE = "example.com/Foo/bar";
export const VERSION = "v1.2.3";
export const ZIP_H1 = "h1:5Aeam/58Vy6rZRzSQ9j9JxUTjwGqZIs/1wfLsPCnKgk=";
export const MOD_H1 = "h1:UIVUa3RcQg5/Cot1WfJ7UJIQNGGnLxavWgIa/OYy5Bw=";
export const BAD_ZIP_H1 = "h1:dS1IUyaegx5C+tnyjo5g3VbAFt6abb+jU6OPw9+9j90=";
export const BAD_MOD_H1 = "h1:+/f+EudwjFaxWI/iX43qx1QCJezI0wXQnI8dBOZRneY=";
export const AT = new Date("2026-12-03T12:00:00Z");

export const ok = (): ProbeStep => ({ outcome: "ok", status: 200, latencyMs: 10, message: null, reason: null });
export const notFound = (message: string | null = null, status = 404): ProbeStep => ({ outcome: "not_found", status, latencyMs: 10, message, reason: null });
export const failed = (reason: NonNullable<ProbeStep["reason"]>, message: string, status: number | null = null): ProbeStep => ({
  outcome: "error",
  status,
  latencyMs: 10,
  message,
  reason,
});
export const http = (status: number, line?: string): ProbeStep => failed("http_status", line ? `HTTP ${status}: ${line}` : `HTTP ${status}`, status);
export const skipped = (message: string | null = null): ProbeStep => ({ outcome: "skipped", status: null, latencyMs: null, message, reason: null });

export type MirrorSpec = {
  baseUrl?: string;
  info?: ProbeStep;
  /** A ProbeStep, or the h1 of a go.mod served with 200. */
  mod?: ProbeStep | string;
  modulePath?: string | null;
  zip?: ProbeStep | string;
  supported?: ProbeStep;
  /** The mirror's /sumdb lookup: the verified record's hashes (default: the good ones) or a failed step. */
  lookup?: ProbeStep | { zipH1: string | null; modH1: string | null };
  context?: Partial<ProbedMirror["context"]>;
  health?: Partial<ProbedMirror["health"]>;
};

export function mirror(name: string, spec: MirrorSpec = {}): ProbedMirror {
  const info: InfoStep = { ...(spec.info ?? ok()), time: spec.info && spec.info.outcome !== "ok" ? null : "2024-01-01T00:00:00Z" };
  const modStep = typeof spec.mod === "string" || spec.mod === undefined ? ok() : spec.mod;
  const mod: ModStep = {
    ...modStep,
    h1: modStep.outcome === "ok" ? (typeof spec.mod === "string" ? spec.mod : MOD_H1) : null,
    modulePath: modStep.outcome === "ok" ? (spec.modulePath === undefined ? MODULE : spec.modulePath) : null,
  };
  const zipStep = typeof spec.zip === "string" || spec.zip === undefined ? ok() : spec.zip;
  const zip: ZipStep = { ...zipStep, h1: zipStep.outcome === "ok" ? (typeof spec.zip === "string" ? spec.zip : ZIP_H1) : null, bytes: zipStep.outcome === "ok" ? 1234 : null };
  const supported = spec.supported ?? ok();
  let sumdb: MirrorSumdbStep;
  const none = { verified: false, failure: null, treeSize: null, zipH1: null, modH1: null };
  if (supported.outcome !== "ok") {
    sumdb = { ...skipped("the mirror does not proxy this checksum database"), supported, ...none };
  } else if (spec.lookup && "outcome" in spec.lookup) {
    sumdb = { ...spec.lookup, supported, ...none, failure: spec.lookup.outcome === "error" ? "malformed_record" : null };
  } else {
    const record = spec.lookup ?? { zipH1: ZIP_H1, modH1: MOD_H1 };
    sumdb = { ...ok(), supported, verified: true, failure: null, treeSize: 2, ...record };
  }
  return {
    name,
    baseUrl: spec.baseUrl ?? `https://${name}`,
    probe: { info, mod, zip, sumdb },
    context: { listed: true, latest: VERSION, retracted: null, lagP90Seconds: null, ...spec.context },
    health: { inSyncRate: 0.99, p90LagSeconds: 120, errorRate: 0.01, ...spec.health },
  };
}

export function referenceSumdb(over: Partial<ReferenceSumdb> = {}): ReferenceSumdb {
  return {
    name: "sum.golang.org",
    enabled: true,
    verified: true,
    zipH1: ZIP_H1,
    modH1: MOD_H1,
    treeSize: 2,
    source: "direct",
    direct: ok(),
    message: null,
    failure: null,
    ...over,
  };
}

export const sumdbOff = (): ReferenceSumdb => ({
  name: null,
  enabled: false,
  verified: false,
  zipH1: null,
  modH1: null,
  treeSize: null,
  source: null,
  direct: skipped("verification is off (SUMDB=off)"),
  message: "checksum verification is off (SUMDB=off)",
  failure: null,
});

/** A mirror as a zip-less probe records it: its zip step not asked. */
export function withoutZip(m: ProbedMirror): ProbedMirror {
  const zip = { ...skipped("not asked: only .info and .mod were probed"), h1: null, bytes: null };
  return { ...m, probe: { ...m.probe, zip } };
}

/** The probe's mirrors with verification off: their /sumdb steps were not asked either. */
export function withSumdbOff(m: ProbedMirror): ProbedMirror {
  const off = skipped("verification is off (SUMDB=off)");
  return { ...m, probe: { ...m.probe, sumdb: { ...off, supported: skipped(), verified: false, failure: null, treeSize: null, zipH1: null, modH1: null } } };
}

export function doctorInput(mirrors: ProbedMirror[], over: Partial<DoctorInput> = {}): DoctorInput {
  return {
    module: MODULE,
    version: VERSION,
    fetch: true,
    zip: true,
    at: AT,
    reference: mirrors[0]?.name ?? "ref",
    sumdb: referenceSumdb(),
    referenceFirstSeen: null,
    mirrors,
    ...over,
  };
}
