// What a probe of one module version observed on each mirror (evidence, as stored and as the API shows it) and
// the context it was read in. lib/probe writes it, lib/doctor derives from it.

/** lib/goproxy's ErrorReason, restated: the port speaks only its own types (the compiler checks they agree). */
export type ProbeErrorReason = "timeout" | "network" | "http_status" | "too_large" | "malformed";

/** lib/goproxy's SumdbFailureCode, restated for the same reason. */
export type SumdbFailure =
  | "malformed_record"
  | "malformed_note"
  | "unverified_note"
  | "invalid_signature"
  | "malformed_tree"
  | "not_in_tree"
  | "tile_unavailable"
  | "inconsistent_tile"
  | "record_mismatch"
  | "no_lines";

export type StepOutcome = "ok" | "not_found" | "error" | "skipped";

/** One request of a probe, shaped like a check's outcome: `{outcome, status, latencyMs, message}`. */
export type ProbeStep = {
  /** `skipped`: not asked (an earlier step already decided, or verification was off). */
  outcome: StepOutcome;
  status: number | null;
  latencyMs: number | null;
  /**
   * not_found: the text/plain body as the go command prints it after "server response:" (null if none);
   * error: what went wrong (timeout, HTTP 502: …, malformed …); ok: null or a note.
   */
  message: string | null;
  /** error only. */
  reason: ProbeErrorReason | null;
  /** Where the answer came from when the mirror redirected (absent: it answered itself, or records before redirects were recorded). */
  finalUrl?: string;
};

export type InfoStep = ProbeStep & {
  /** RFC 3339 commit time from `.info` (ok only). */
  time: string | null;
};

export type ModStep = ProbeStep & {
  h1: string | null;
  /** The path the served go.mod declares on its `module` line (null: none, or not served). */
  modulePath: string | null;
};

export type ZipStep = ProbeStep & {
  h1: string | null;
  bytes: number | null;
};

/**
 * The mirror's checksum-database proxy: `/sumdb/<name>/supported`, then `/lookup/M@V` and its tiles, verified
 * with the configured key. `outcome` is the lookup's: ok only when the record verified.
 */
export type MirrorSumdbStep = ProbeStep & {
  /** The `/supported` request: ok = proxies this checksum database; not_found = does not (go falls through). */
  supported: ProbeStep;
  verified: boolean;
  /** Why the lookup did not verify (error only). */
  failure: SumdbFailure | null;
  treeSize: number | null;
  zipH1: string | null;
  modH1: string | null;
};

/** What one mirror answered to the requests `go mod download M@V` makes. */
export type MirrorProbe = {
  info: InfoStep;
  mod: ModStep;
  zip: ZipStep;
  sumdb: MirrorSumdbStep;
};

/** The checksum record the mirrors are compared with: the configured checksum database, verified. */
export type ReferenceSumdb = {
  /** Name from the configured key, e.g. sum.golang.org; null when SUMDB=off. */
  name: string | null;
  /** false when SUMDB=off (like GOSUMDB=off): nothing is claimed verified. */
  enabled: boolean;
  verified: boolean;
  zipH1: string | null;
  modH1: string | null;
  treeSize: number | null;
  /** Where the verified record came from: "direct" (the database's own URL) or a mirror name (its proxy). */
  source: string | null;
  /** The direct lookup (outcome skipped when SUMDB=off). */
  direct: ProbeStep;
  /** Why nothing verified, or null. */
  message: string | null;
  /** The direct lookup's failure code, if it answered but did not verify. */
  failure: SumdbFailure | null;
};

/** Facts from mirrorlag's own history, captured when the probe ran so a permalink renders the same forever. */
export type MirrorContext = {
  /** Whether the mirror's `@v/list` included the version in the check that accompanied the probe (null: unknown). */
  listed: boolean | null;
  /** What `go get M@latest` resolves to on this mirror in that check (null: nothing). */
  latest: string | null;
  /** The version is retracted by this mirror's authoritative go.mod: its rationale ("" when none is given). */
  retracted: { rationale: string } | null;
  /** This mirror's measured p90 lag behind the reference over the health window (null: not measured). */
  lagP90Seconds: number | null;
};

export type MirrorHealthStats = {
  /** In-sync share over the health window, 0..1 (null: nothing compared). */
  inSyncRate: number | null;
  p90LagSeconds: number | null;
  /** Error answers / all answers over the window, 0..1 (null: no answers). */
  errorRate: number | null;
};


/** One mirror as the probe saw it: its configured base URL then, its answers and the history it was read in. */
export type ProbedMirrorRecord = { name: string; baseUrl: string; probe: MirrorProbe; context: MirrorContext; health: MirrorHealthStats };

/**
 * Everything one probe observed, stored whole: the diagnosis and the GOPROXY chains are derived from it on every
 * read, so a permalink renders the same evidence forever, whatever the configuration says later.
 */
export type ProbeRecord = {
  module: string;
  version: string;
  /** What the user asked for: a version, or "latest" resolved to `version` on the reference mirror. */
  requested: string;
  at: Date;
  fetch: boolean;
  /** false: only .info and .mod were asked (every zip step is skipped, no zip hashed); records older than it: true. */
  zip: boolean;
  /**
   * false: the mirrors' checksum-database proxies were not asked (a resolution's lean probe), so this probe cannot
   * stand in for a doctor's; records older than it: true.
   */
  mirrorSumdb: boolean;
  reference: string;
  /** The check that ran with the probe (listing, @latest and retraction context). */
  checkId: number | null;
  referenceFirstSeen: Date | null;
  sumdb: ReferenceSumdb;
  mirrors: ProbedMirrorRecord[];
};

export type StoredProbe = ProbeRecord & { id: number };

export type ProbeStore = {
  recordProbe(record: ProbeRecord): Promise<StoredProbe>;
  findProbe(id: number): Promise<StoredProbe | null>;
  /**
   * The newest probe of module@version in that mode (fetching or passive), with or without its zip, for reuse within
   * MIN_RECHECK_SECONDS: the caller checks `zip` (a zip-less probe cannot stand in for a full one).
   */
  lastProbe(module: string, version: string, fetch: boolean): Promise<StoredProbe | null>;
  /** Newest first: the probes of one version, for the version page's history. */
  listProbes(module: string, version: string, limit: number): Promise<{ id: number; at: Date; fetch: boolean }[]>;
};
