// The version doctor's domain shapes: what a probe of one module version observed on each mirror (evidence, as
// stored and as the API shows it), the context it was read in, and what the doctor derives from them. Pure data.

import type { MirrorContext, MirrorHealthStats, MirrorProbe, ReferenceSumdb } from "@/lib/store";

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
  /** Mirror that would serve the module zip (null if none). */
  servedBy: string | null;
  /** The go command's failure text (null on ok). */
  error: string | null;
};
