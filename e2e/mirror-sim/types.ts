// Scenario and behaviour types of the mirror simulator. Everything a test stages is plain data.

/** `supported`: `/sumdb/<name>/supported`; `sumdb`: the checksum database's lookup, tile and latest endpoints. */
export type RequestKind = "list" | "info" | "mod" | "zip" | "latest" | "supported" | "sumdb" | "other";

export type SimVersion = {
  version: string;
  /** Commit time: what `.info` reports as Time. */
  time: Date | string;
  /** When the tag appeared at the origin (visibility is measured from here); defaults to `time`. */
  publishedAt?: Date | string;
  /** The version's go.mod. Absent: `.mod` serves the synthetic `module <path>\n` and the zip has no go.mod. */
  gomod?: string;
  /** Extra files of the module zip, by path inside the module. */
  files?: Record<string, string>;
  /**
   * The origin has this tag but the go command refuses it as a version of the module, so no mirror lists or
   * serves it and the checksum database has no record: every endpoint answers 404 `M@V: invalid version: …`.
   * `true` derives go's text from the major-version rules (a v2+ tag on a path without /vN whose tree has a
   * go.mod); a string is the text after "invalid version: ".
   */
  invalid?: true | string;
};

/**
 * How the origin answers a proxy: `missing` (no such repository) and `private` (it needs credentials) make
 * every mirror and the checksum database answer 404 with the go command's git or import-path error.
 */
export type OriginState = "ok" | "missing" | "private";

export type SimModule = { path: string; versions: SimVersion[]; origin?: OriginState };

export type MirrorStyle = "proxy.golang.org" | "goproxy";

export type ListOrder = "unsorted" | "sorted-no-newline" | "sorted";

/**
 * The mirror's proxy of the simulated checksum database at `/sumdb/<name>/`: `proxy` serves it faithfully;
 * `absent` answers 404 to `/supported` (the go command tries the next GOPROXY entry, then the database
 * itself); `garbled` answers lookups and `/latest` with junk; `forged` alters the tree note's signature (same
 * key name and hash); `bad-proof` keeps the signed tree but serves tiles whose hashes do not prove it.
 */
export type SumdbProxyMode = "proxy" | "absent" | "garbled" | "forged" | "bad-proof";

export type CacheControlSet = {
  list: string;
  latest: string;
  /** .info/.mod/.zip of a version: immutable once served. */
  immutable: string;
  notFoundList: string;
  notFoundVersion: string;
  /** Bad escaped path / unknown endpoint. */
  badPath: string;
  serverError: string;
};

export type MirrorBehaviour = {
  style: MirrorStyle;
  /** Default delay between publication and visibility. */
  lagSeconds: number;
  /** Per module path. */
  moduleLagSeconds: Record<string, number>;
  /** Per `module@version`. */
  versionLagSeconds: Record<string, number>;
  /** Wins over the tables when it returns a number (seconds). */
  lag?: (module: string, version: string, publishedAt: Date) => number | undefined;
  listOrder: ListOrder;
  /** Leave versions retracted by the authoritative go.mod (of the visible set) out of `@v/list`. */
  hideRetracted: boolean;
  /** Status for every "not here" answer: 404 today, 410 for proxy.golang.org in 2019. */
  notFoundStatus: 404 | 410;
  /** Status for a path with a raw uppercase letter or a bad `!` escape. */
  badEscapeStatus: 400 | 404;
  /** Pull-through: a request for a published but not yet visible version fetches it (it stays visible). */
  fetchOnDemand: boolean;
  /** `Disable-Module-Fetch: true` (or the `/cached-only` prefix) turns fetchOnDemand off for that request. */
  honourDisableModuleFetch: boolean;
  /** > 0: list and @latest answers come from a CDN copy refreshed after this many seconds; `Age` is sent. */
  cdnMaxAgeSeconds: number;
  /** Added to every answer (wall time, not sim time). */
  latencyMs: number;
  /** Add an `Origin` object to `.info` like proxy.golang.org does. */
  infoOrigin: boolean;
  /** `module@version` pairs the mirror serves (.info/.mod/.zip) but leaves out of `@v/list` and `@latest`. */
  unlisted: string[];
  sumdb: SumdbProxyMode;
  cacheControl: CacheControlSet;
};

export type FaultEffect =
  /** Any status; 404/410 get a `not found: …` text/plain body unless `body` is given. */
  | { type: "status"; status: number; body?: string; contentType?: string }
  /** Never answer; the socket stays open until the client gives up or the sim closes. */
  | { type: "hang" }
  | { type: "latency"; ms: number }
  /** Send headers with the full Content-Length, then `keepBytes` (default: half) and close the socket. */
  | { type: "truncate"; keepBytes?: number }
  /** Pad a 200 answer to `bytes` (default 10 MiB): list with junk version lines, others with whitespace. */
  | { type: "oversized"; bytes?: number }
  | { type: "html200"; body?: string }
  | { type: "malformedInfo"; mode?: "syntax" | "badTime" | "wrongVersion" }
  | { type: "invalidListLines"; lines?: string[] }
  /** .mod and .zip bytes differ from the origin's (so h1 hashes differ). */
  | { type: "differentBytes"; marker?: string }
  | { type: "connectionReset" }
  /** .mod that does not parse. */
  | { type: "badGoMod" }
  /** A checksum-database answer through the mirror tampered with as in SumdbProxyMode (kind `sumdb` only). */
  | { type: "sumdb"; mode: "garbled" | "forged" | "bad-proof" };

export type Fault = {
  id?: string;
  /** Decoded module path; absent = every module. */
  module?: string;
  /** Only requests naming this version (so never list, @latest, checksum-database tiles or /latest). */
  version?: string;
  kinds?: RequestKind[];
  /** Active on the sim clock in [from, until). */
  from?: Date | string;
  until?: Date | string;
  /** Only the first N matching requests. */
  times?: number;
  effect: FaultEffect;
};

export type MirrorConfig = Partial<MirrorBehaviour> & {
  name: string;
  /** Fixed port; default: options.ports[name], options.portBase + index, else 0 (random). */
  port?: number;
  faults?: Fault[];
};

export type Scenario = {
  modules: SimModule[];
  mirrors: MirrorConfig[];
  /** Name of the mirror the product should treat as reference (for example proxy.golang.org). */
  reference?: string;
  /** Where the scenario's sim clock starts by default. */
  start?: Date | string;
  /**
   * A checksum database over the origin's modules, on its own server and proxied by every mirror. The key
   * comes from `seed` (default fixed), so the verifier key is the same on every run for the same name.
   */
  sumdb?: {
    name?: string;
    seed?: string;
    /** Added to every answer of the database's own server (wall time), like a mirror's latencyMs. */
    latencyMs?: number;
  };
};

export type RequestLogEntry = {
  seq: number;
  mirror: string;
  method: string;
  /** Raw path as received, without query. */
  path: string;
  /** Decoded; also set for a checksum-database lookup (`/lookup/M@V`, direct or through a mirror). */
  module?: string;
  version?: string;
  kind: RequestKind;
  /** Status sent; 0 when nothing was sent (hang, connection reset). */
  status: number;
  outcome: "answered" | "hang" | "reset" | "truncated";
  /** Sim clock time of arrival. */
  at: Date;
  headers: Record<string, string>;
  disableModuleFetch: boolean;
  /** Set when a version was fetched on demand by this request. */
  pulled?: boolean;
  /** Type of the fault that shaped the answer, if any. */
  fault?: FaultEffect["type"];
};
