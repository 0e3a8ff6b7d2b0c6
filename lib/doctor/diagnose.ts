// One diagnosis per mirror, from what the probe observed: each code is backed by a recorded answer (quoted in the
// facts), never by a guess. Files are read in the order `go mod download` asks for them (.info, .mod, .zip), so
// the diagnosis names the answer a user would hit first; checksums and the mirror's /sumdb proxy come after.
//
// A zip-less probe (input.zip false) is judged on .info and .mod alone: its skipped zip is never a finding, and
// only the go.mod is compared with the checksum record.
//
// Verdicts: served, retracted_served → ok; not_yet_on_mirror, no_such_version, no_such_module, invalid_version →
// not_found (the mirror answered 404/410); path_mismatch → error (served, but `go get` rejects it); mirror_error →
// error; hash_mismatch → mismatch; sumdb_unverified → error when this mirror's own /sumdb proxy fails (go through
// it cannot verify), ok when verification is off or the checksum database could not be read (the bytes were served).

import { classifyServerMessage } from "./server-messages";
import type { Diagnosis, DiagnosisByMirror, DoctorInput, FileKind, MirrorErrorReason, NotFoundEvidence, ProbeStep, ProbedMirror, ServerMessageKind } from "./types";

export { diagnosisText } from "./diagnosis-text";

const ALL_FILES: readonly FileKind[] = ["info", "mod", "zip"];
const WITHOUT_ZIP: readonly FileKind[] = ["info", "mod"];

/** The files the probe asked for, in the go command's order: a zip-less probe's skipped zip is no evidence. */
export const probedFiles = (input: Pick<DoctorInput, "zip">): readonly FileKind[] => (input.zip ? ALL_FILES : WITHOUT_ZIP);

/** 404 bodies that report the mirror's own trouble, not the module's absence (goproxy's errBadUpstream etc.). */
const MIRROR_SIDE: Partial<Record<ServerMessageKind, MirrorErrorReason>> = {
  fetch_timed_out: "fetch_timed_out",
  bad_upstream: "bad_upstream",
  zip_too_large: "zip_too_large",
  malformed_file_path: "malformed_file_path",
  internal_error: "internal_error",
  invalid_path: "rejected_path",
};

const MODULE_MISSING: Partial<Record<ServerMessageKind, "repo_not_found" | "auth_required" | "no_go_import_meta">> = {
  repo_not_found: "repo_not_found",
  auth_required: "auth_required",
  no_go_import_meta: "no_go_import_meta",
};

const TAG_MISSING = new Set<ServerMessageKind | null>(["unknown_revision", "no_matching_versions"]);

type VerifiedRecord = { zipH1: string | null; modH1: string | null; source: string };

/**
 * The checksum record to compare with: the configured database's, else any mirror proxy's that verified with the
 * same key (a signed record proves itself wherever it came from). Null when verification is off or nothing verified.
 */
function verifiedRecord(input: DoctorInput): VerifiedRecord | null {
  if (!input.sumdb.enabled) return null;
  if (input.sumdb.verified) return { zipH1: input.sumdb.zipH1, modH1: input.sumdb.modH1, source: input.sumdb.source ?? "direct" };
  const proxied = input.mirrors.find((m) => m.probe.sumdb.verified);
  return proxied ? { zipH1: proxied.probe.sumdb.zipH1, modH1: proxied.probe.sumdb.modH1, source: proxied.name } : null;
}

/** The first file of `files` the mirror did not serve; a skipped file stands for the failure that made the probe skip it. */
function firstProblem(m: ProbedMirror, files: readonly FileKind[]): { file: FileKind; step: ProbeStep } | null {
  const first = files.find((f) => m.probe[f].outcome !== "ok");
  if (first === undefined) return null;
  if (m.probe[first].outcome !== "skipped") return { file: first, step: m.probe[first] };
  const cause = files.find((f) => m.probe[f].outcome === "not_found" || m.probe[f].outcome === "error");
  return { file: cause ?? first, step: m.probe[cause ?? first] };
}

function notFoundEvidence(file: FileKind, step: ProbeStep): NotFoundEvidence {
  return { step: file, status: step.status ?? 404, message: step.message, kind: classifyServerMessage(step.message) };
}

/** What this mirror's own checksum-database proxy did wrong, if anything (a 404 /supported is no failure: go moves on). */
function brokenSumdbProxy(m: ProbedMirror): { failure: "supported_failed" | "lookup_not_found" | "lookup_unverified"; message: string | null } | null {
  const { supported } = m.probe.sumdb;
  if (supported.outcome === "error") return { failure: "supported_failed", message: supported.message };
  if (supported.outcome !== "ok") return null;
  const lookup = m.probe.sumdb;
  if (lookup.outcome === "not_found") return { failure: "lookup_not_found", message: lookup.message };
  if (lookup.outcome === "error") return { failure: "lookup_unverified", message: lookup.message ?? lookup.failure };
  return null;
}

export function diagnose(input: DoctorInput): DiagnosisByMirror {
  const record = verifiedRecord(input);
  const files = probedFiles(input);
  const servesAll = (m: ProbedMirror) => files.every((f) => m.probe[f].outcome === "ok");
  const reference = input.mirrors.find((m) => m.name === input.reference) ?? null;
  // Who serves it now: the reference when it does, else the first configured mirror that does.
  const servers = input.mirrors.filter(servesAll);
  const servedBy = (reference && servesAll(reference) ? reference : servers[0])?.name ?? null;
  const refProblem = reference ? firstProblem(reference, files) : null;
  const referenceSaysNoTag = refProblem !== null && refProblem.step.outcome === "not_found" && TAG_MISSING.has(classifyServerMessage(refProblem.step.message));
  const someoneSaysNoTag = input.mirrors.some((m) => {
    const p = firstProblem(m, files);
    return p !== null && p.step.outcome === "not_found" && TAG_MISSING.has(classifyServerMessage(p.step.message));
  });
  const dbName = input.sumdb.name ?? "sum.golang.org";
  const versionExists = input.mirrors.some((m) => m.probe.info.outcome === "ok");

  const one = (m: ProbedMirror): Diagnosis => {
    const subject = { mirror: m.name, module: input.module, version: input.version };
    const problem = firstProblem(m, files);
    if (problem !== null) {
      const { file, step } = problem;
      if (step.outcome === "skipped") {
        return { code: "mirror_error", verdict: "error", facts: { ...subject, step: file, status: null, reason: "not_probed", message: step.message } };
      }
      if (step.outcome === "error") {
        return { code: "mirror_error", verdict: "error", facts: { ...subject, step: file, status: step.status, reason: step.reason ?? (step.status !== null ? "http_status" : "network"), message: step.message } };
      }
      const evidence = notFoundEvidence(file, step);
      const mirrorSide = evidence.kind ? MIRROR_SIDE[evidence.kind] : undefined;
      if (mirrorSide) {
        return { code: "mirror_error", verdict: "error", facts: { ...subject, step: file, status: evidence.status, reason: mirrorSide, message: evidence.message } };
      }
      if (evidence.kind === "invalid_version" || evidence.kind === "invalid_version_incompatible") {
        return { code: "invalid_version", verdict: "not_found", facts: { ...subject, ...evidence, servedBy } };
      }
      const passiveNotCached = !input.fetch && evidence.kind === "temporarily_unavailable";
      // Some mirror served the .info, so the tag exists: a missing file elsewhere is not "no such version".
      if (servedBy !== null || versionExists || (evidence.kind === "temporarily_unavailable" && !someoneSaysNoTag)) {
        const firstSeen = input.referenceFirstSeen;
        const since = firstSeen ? Math.max(0, Math.round((input.at.getTime() - firstSeen.getTime()) / 1000)) : null;
        const p90 = m.context.lagP90Seconds;
        return {
          code: "not_yet_on_mirror",
          verdict: "not_found",
          facts: {
            ...subject,
            ...evidence,
            servedBy,
            referenceFirstSeen: firstSeen ? firstSeen.toISOString() : null,
            sinceFirstSeenSeconds: since,
            lagP90Seconds: p90,
            expectedWaitSeconds: p90 === null ? null : Math.max(0, p90 - (since ?? 0)),
            passiveNotCached,
          },
        };
      }
      const missing = evidence.kind ? MODULE_MISSING[evidence.kind] : undefined;
      if (missing) return { code: "no_such_module", verdict: "not_found", facts: { ...subject, ...evidence, reason: missing } };
      return {
        code: "no_such_version",
        verdict: "not_found",
        facts: {
          ...subject,
          ...evidence,
          reference: input.reference,
          evidence: someoneSaysNoTag ? "unknown_revision" : "not_found",
          confirmedByReference: referenceSaysNoTag,
        },
      };
    }

    const modH1 = m.probe.mod.h1;
    const zipH1 = input.zip ? m.probe.zip.h1 : null;
    // The go command checks the go.mod before it downloads the zip (modfetch/cache.go GoMod, then fetch.go downloadZip).
    if (record) {
      for (const file of input.zip ? (["mod", "zip"] as const) : (["mod"] as const)) {
        const downloaded = file === "mod" ? modH1 : zipH1;
        const recorded = file === "mod" ? record.modH1 : record.zipH1;
        if (downloaded !== null && recorded !== null && downloaded !== recorded) {
          return { code: "hash_mismatch", verdict: "mismatch", facts: { ...subject, file, downloaded, recorded, checksumDb: dbName, recordSource: record.source } };
        }
      }
    }
    const declared = m.probe.mod.modulePath;
    if (declared !== null && declared !== input.module) {
      return { code: "path_mismatch", verdict: "error", facts: { ...subject, declared, required: input.module } };
    }
    const ref = reference && reference !== m && servesAll(reference) ? reference : null;
    const unverified = (
      cause: "verification_off" | "no_verified_record" | "mirror_sumdb_broken",
      message: string | null,
      verdict: "ok" | "error",
      proxyFailure: "supported_failed" | "lookup_not_found" | "lookup_unverified" | null = null,
    ): Diagnosis => ({
      code: "sumdb_unverified",
      verdict,
      facts: {
        ...subject,
        cause,
        proxyFailure,
        checksumDb: input.sumdb.name,
        message,
        zipProbed: input.zip,
        zipH1,
        modH1,
        sameBytesAsReference: ref ? (!input.zip || ref.probe.zip.h1 === zipH1) && ref.probe.mod.h1 === modH1 : null,
        reference: input.reference,
        retracted: m.context.retracted,
      },
    });
    if (!input.sumdb.enabled) return unverified("verification_off", input.sumdb.message, "ok");
    const broken = brokenSumdbProxy(m);
    if (broken !== null) return unverified("mirror_sumdb_broken", broken.message, "error", broken.failure);
    const zipUnchecked = input.zip && (record?.zipH1 === null || zipH1 === null);
    if (record === null || record.modH1 === null || modH1 === null || zipUnchecked) {
      const why = record === null ? input.sumdb.message : `the record of ${dbName} has no line for the ${record.modH1 === null ? "go.mod" : "zip"}`;
      return unverified("no_verified_record", why, "ok");
    }
    const hashes = zipH1 === null ? { zipProbed: false as const, zipH1: null, modH1 } : { zipProbed: true as const, zipH1, modH1 };
    const retracted = m.context.retracted;
    if (retracted) return { code: "retracted_served", verdict: "ok", facts: { ...subject, ...hashes, checksumDb: dbName, rationale: retracted.rationale } };
    return { code: "served", verdict: "ok", facts: { ...subject, ...hashes, checksumDb: dbName } };
  };

  const out: DiagnosisByMirror = {};
  for (const m of input.mirrors) out[m.name] = one(m);
  return out;
}
