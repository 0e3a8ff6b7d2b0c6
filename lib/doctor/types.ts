// The version doctor's domain shapes: what a probe of one module version observed on each mirror (evidence, as
// stored and as the API shows it), the context it was read in, and what the doctor derives from them. Pure data.

import type { MirrorContext, MirrorHealthStats, MirrorProbe, ProbeErrorReason, ReferenceSumdb } from "@/lib/store";

// The evidence shapes live in the store port (lib/store/probe-record.ts); re-exported here for the doctor's users.
export type {
  InfoStep,
  MirrorContext,
  MirrorHealthStats,
  MirrorProbe,
  MirrorSumdbStep,
  ModStep,
  ProbeStep,
  ReferenceSumdb,
  StepOutcome,
  ZipStep,
} from "@/lib/store";

export type ProbedMirror = {
  name: string;
  /** GOPROXY base URL as configured (what a user would export). */
  baseUrl: string;
  probe: MirrorProbe;
  context: MirrorContext;
  health: MirrorHealthStats;
};

export type DoctorInput = {
  module: string;
  version: string;
  /** false: probed with Disable-Module-Fetch: true (a mirror may not fetch on demand for this probe). */
  fetch: boolean;
  /** false: only .info and .mod were asked (zip steps skipped): the doctor judges those and the checksum database. */
  zip: boolean;
  at: Date;
  /** The reference mirror's name (one of `mirrors`). */
  reference: string;
  sumdb: ReferenceSumdb;
  /** When mirrorlag first saw the reference list or serve this version (null: unknown). */
  referenceFirstSeen: Date | null;
  mirrors: ProbedMirror[];
};

export type DiagnosisCode =
  | "served"
  | "retracted_served"
  | "not_yet_on_mirror"
  | "no_such_version"
  | "no_such_module"
  | "path_mismatch"
  | "invalid_version"
  | "mirror_error"
  | "hash_mismatch"
  | "sumdb_unverified";

export type Verdict = "ok" | "not_found" | "error" | "mismatch";

export type ChainResult = "ok" | "fail" | "needs_direct";

export type ChainPrediction = {
  /** Exactly what a user would export, e.g. `https://goproxy.cn,https://proxy.golang.org|direct`... */
  goproxy: string;
  result: ChainResult;
  /**
   * Mirror that would serve the module zip (null if none); for a zip-less probe, the mirror that would serve the
   * .mod (the last file probed), as the zip cannot be predicted.
   */
  servedBy: string | null;
  /** The go command's failure text (null on ok). */
  error: string | null;
};

// ---------------------------------------------------------------------------------------------------------------
// What the doctor derives (lib/doctor/*.ts). Added with the derivations; the shapes above are unchanged.

/** The three files `go mod download M@V` fetches, in the order it fetches them. */
export type FileKind = "info" | "mod" | "zip";

/** What a mirror's not-found or error text says, from the table in server-messages.ts. */
export type ServerMessageKind =
  | "unknown_revision"
  | "no_matching_versions"
  | "auth_required"
  | "repo_not_found"
  | "no_go_import_meta"
  | "invalid_version_incompatible"
  | "invalid_version"
  | "invalid_path"
  | "fetch_timed_out"
  | "bad_upstream"
  | "temporarily_unavailable"
  | "zip_too_large"
  | "malformed_file_path"
  | "internal_error"
  | "gateway_error";

/** The not-found answer a diagnosis rests on: the first file the mirror did not serve, in the go command's order. */
export type NotFoundEvidence = {
  step: FileKind;
  /** 404 or 410: both mean "not here" to the go command. */
  status: number;
  /** The mirror's text/plain body as the go command shows it after "server response:" (null: none). */
  message: string | null;
  kind: ServerMessageKind | null;
};

type DiagnosisSubject = { mirror: string; module: string; version: string };

/** Why a mirror failed: the probe's error reason, or what its 404 body says went wrong on its side. */
export type MirrorErrorReason =
  | ProbeErrorReason
  | "fetch_timed_out"
  | "bad_upstream"
  | "zip_too_large"
  | "malformed_file_path"
  | "internal_error"
  | "rejected_path"
  | "not_probed";

/** What a served diagnosis rests on: the zip's hash only when the probe asked for it (zipProbed). */
type ServedHashes = { zipProbed: true; zipH1: string; modH1: string } | { zipProbed: false; zipH1: null; modH1: string };

export type Diagnosis =
  | { code: "served"; verdict: "ok"; facts: DiagnosisSubject & ServedHashes & { checksumDb: string } }
  | {
      code: "retracted_served";
      verdict: "ok";
      facts: DiagnosisSubject & ServedHashes & { checksumDb: string; rationale: string };
    }
  | {
      code: "not_yet_on_mirror";
      verdict: "not_found";
      facts: DiagnosisSubject &
        NotFoundEvidence & {
          /** The mirror that serves it now (the reference when it does), or null when none does. */
          servedBy: string | null;
          /** When mirrorlag first saw the reference have it (RFC 3339), if known. */
          referenceFirstSeen: string | null;
          /** Seconds from referenceFirstSeen to the probe. */
          sinceFirstSeenSeconds: number | null;
          lagP90Seconds: number | null;
          /** This mirror's p90 lag minus the time already passed (0: already past it); null when not measured. */
          expectedWaitSeconds: number | null;
          /** The probe was passive and the mirror said it had not cached the version. */
          passiveNotCached: boolean;
        };
    }
  | {
      code: "no_such_version";
      verdict: "not_found";
      facts: DiagnosisSubject &
        NotFoundEvidence & {
          reference: string;
          /** unknown_revision: a mirror said so; not_found: every mirror answers not found without saying why. */
          evidence: "unknown_revision" | "not_found";
          /** The reference itself answered not found with an unknown-revision message. */
          confirmedByReference: boolean;
        };
    }
  | {
      code: "no_such_module";
      verdict: "not_found";
      facts: DiagnosisSubject & NotFoundEvidence & { reason: "repo_not_found" | "auth_required" | "no_go_import_meta" };
    }
  | { code: "path_mismatch"; verdict: "error"; facts: DiagnosisSubject & { declared: string; required: string } }
  | { code: "invalid_version"; verdict: "not_found"; facts: DiagnosisSubject & NotFoundEvidence & { servedBy: string | null } }
  | {
      code: "mirror_error";
      verdict: "error";
      facts: DiagnosisSubject & { step: FileKind; status: number | null; reason: MirrorErrorReason; message: string | null };
    }
  | {
      code: "hash_mismatch";
      verdict: "mismatch";
      facts: DiagnosisSubject & {
        file: "zip" | "mod";
        downloaded: string;
        recorded: string;
        checksumDb: string;
        /** Where the verified record was read: "direct" or the mirror whose checksum-database proxy served it. */
        recordSource: string;
      };
    }
  | {
      code: "sumdb_unverified";
      verdict: "ok" | "error";
      facts: DiagnosisSubject & {
        /**
         * verification_off: SUMDB off for this probe; no_verified_record: the checksum database could not be read or
         * verified; mirror_sumdb_broken: this mirror's own /sumdb proxy fails, so go through it fails verifying.
         */
        cause: "verification_off" | "no_verified_record" | "mirror_sumdb_broken";
        /** mirror_sumdb_broken only: which request of the mirror's /sumdb proxy failed. */
        proxyFailure: "supported_failed" | "lookup_not_found" | "lookup_unverified" | null;
        checksumDb: string | null;
        /** Why, as recorded: input.sumdb.message, or the answer of the mirror's /sumdb proxy. */
        message: string | null;
        /** false: a zip-less probe (zipH1 null, and the comparison below is of the go.mod alone). */
        zipProbed: boolean;
        zipH1: string | null;
        modH1: string | null;
        /** Unverified comparison with the reference mirror's bytes (null: this is the reference, or not comparable). */
        sameBytesAsReference: boolean | null;
        reference: string;
        retracted: { rationale: string } | null;
      };
    };

export type DiagnosisByMirror = Record<string, Diagnosis>;

/** A ChainPrediction with the path it took, for the page and the advice. */
export type ChainDetail = ChainPrediction & {
  /** Who answers each file: a mirror name, "direct" (the origin, not verified here), or null (not reached / failed). */
  files: Record<FileKind, string | null>;
  /** Where the checksum database is read: a mirror name (its /sumdb proxy), "direct" (its own URL), null (off or not reached). */
  sumdbVia: string | null;
};

export type MirrorHealthRank = { mirror: string; health: MirrorHealthStats; oftenBlockedInMainlandChina: boolean };

export type GoproxyAdvice = {
  goproxy: string;
  reason: { en: string; "zh-CN": string };
  basis: {
    /** The prediction for the recommended value (it fails when nothing works; null if it is not among the chains). */
    chain: ChainPrediction | null;
    /** What blocks every chain when none works (from the reference mirror's diagnosis), else null. */
    blocker: Diagnosis | null;
    /** Mirrors in the order the rule preferred them. */
    ranking: MirrorHealthRank[];
    /** Environment the user also needs, e.g. { GOPRIVATE: "github.com/acme" } for a private module. */
    env: Record<string, string>;
  };
};

export type DoctorQuery = { module: string; version: string | "latest"; mirrorBaseUrl: string | null };

export type DoctorQueryError = {
  /** In the go command's words when the go command would say it (a malformed module path or version). */
  error: string;
  code: "empty" | "no_module" | "malformed_module_path" | "invalid_version" | "not_a_version";
};
