// The simulated mirrors: one node:http server per mirror, all reading one module store and one clock.
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { createServer } from "node:http";
import type { IncomingMessage, Server, ServerResponse } from "node:http";
import { createServer as createHttpsServer } from "node:https";
import type { AddressInfo, Socket } from "node:net";
import type { Duplex } from "node:stream";
import { fileURLToPath } from "node:url";
import { createSimClock } from "./clock";
import type { SimClock } from "./clock";
import {
  authoritativeOf,
  compareSemver,
  escapeGoPath,
  isPrerelease,
  isRetractedBy,
  isSemver,
  parseRetractIntervals,
  sortSemver,
  unescapeGoPath,
} from "./go-rules";
import { majorVersionError, moduleError, repositoryError, unknownRevision } from "./origin-errors";
import { GARBLED_SUMDB_TEXT, corruptTile, createSimChecksumDb, forgeSignedNote, parseSumdbEndpoint } from "./sumdb";
import type { SimChecksumDb, SumdbCandidate, SumdbEndpoint } from "./sumdb";
import type {
  CacheControlSet,
  Fault,
  FaultEffect,
  MirrorBehaviour,
  MirrorStyle,
  OriginState,
  RequestKind,
  RequestLogEntry,
  Scenario,
  SimModule,
  SimVersion,
  SumdbProxyMode,
} from "./types";
import { createZip } from "./zip";

export type StartOptions = {
  /** Defaults to a sim clock at scenario.start (or now, frozen). */
  clock?: SimClock;
  host?: string;
  /** Fixed ports by mirror name. */
  ports?: Record<string, number>;
  /** Mirror i listens on portBase + i (when it has no fixed port). */
  portBase?: number;
};

export type MirrorInfo = { name: string; baseUrl: string; port: number };

/** The scenario's checksum database on its own server (see Scenario.sumdb). */
export type SumdbInfo = {
  name: string;
  verifierKey: string;
  /** Base URL: `${url}/lookup/M@V`, `${url}/latest`, `${url}/tile/…`. */
  url: string;
  /** GOSUMDB for the go command that reads this database directly, bypassing every proxy's /sumdb/. */
  gosumdb: string;
  /**
   * Environment for the go command so that its direct connection to `https://<name>` reaches this database:
   * the server is also an HTTP CONNECT proxy for `<name>:443`, with a test certificate. Absent when the name is
   * not one the certificate in testdata/ covers (`*.mirror-sim.test`).
   */
  directEnv?: { HTTPS_PROXY: string; SSL_CERT_FILE: string };
};

export type NewVersion = Omit<SimVersion, "time"> & { time?: Date | string };

export type MirrorSim = {
  mirrors: MirrorInfo[];
  /** `name=url,name=url` for the MIRRORS env var. */
  mirrorsEnv: string;
  reference?: string;
  sumdb?: SumdbInfo;
  clock: SimClock;
  /** Requests of one mirror (or of the checksum database, by its name), or all in arrival order. */
  log: (mirror?: string) => RequestLogEntry[];
  clearLog: (mirror?: string) => void;
  setBehaviour: (mirror: string, partial: Partial<MirrorBehaviour>) => void;
  behaviour: (mirror: string) => MirrorBehaviour;
  /** Returns the fault's id. */
  addFault: (mirror: string, fault: Fault) => string;
  /** Without id: every fault of that mirror (or of every mirror when mirror is absent). */
  clearFaults: (mirror?: string, id?: string) => void;
  addModule: (module: SimModule) => void;
  /** Publishes a version now (publishedAt and time default to the clock's now). */
  addVersion: (modulePath: string, version: NewVersion) => void;
  /** Versions the mirror would list at `at` (default now), in semver order, before hideRetracted (so without `unlisted`). */
  visibleVersions: (mirror: string, modulePath: string, at?: Date) => string[];
  /** Bytes the origin has for a version (what an honest mirror serves). */
  goModFor: (modulePath: string, version: string) => string;
  zipFor: (modulePath: string, version: string) => Buffer;
  close: () => Promise<void>;
};

type StoredVersion = {
  version: string;
  time: Date;
  publishedAt: Date;
  gomod: string | undefined;
  files: Record<string, string>;
  /** Why the go command refuses this tag (the text after "invalid version: "). */
  invalid: string | undefined;
  zip?: Buffer;
};

type StoredModule = { path: string; versions: Map<string, StoredVersion>; origin: OriginState };

type ActiveFault = Fault & { id: string; used: number };

type MirrorState = {
  name: string;
  behaviour: MirrorBehaviour;
  faults: ActiveFault[];
  /** `module@version` → sim time the mirror fetched it on demand. */
  pulled: Map<string, number>;
  /** CDN copy of list/@latest answers: key → sim time it was filled. */
  cdn: Map<string, number>;
  log: RequestLogEntry[];
  server: Server;
  sockets: Set<Socket>;
  baseUrl: string;
  port: number;
};

type Answer = {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
};

const TEXT = "text/plain; charset=utf-8";

// What the goproxy library sends for proxied checksum-database answers (its ServeHTTP).
const SUMDB_CACHE_CONTROL = { supported: "public, max-age=86400", latest: "public, max-age=3600", immutable: "public, max-age=86400" };

// A self-signed test certificate for `*.mirror-sim.test`, so the go command's direct connection to the
// checksum database can be served (through the CONNECT proxy) without a real certificate authority.
const TLS_CERT_FILE = fileURLToPath(new URL("./testdata/sumdb-tls-cert.pem", import.meta.url));
const TLS_KEY_FILE = fileURLToPath(new URL("./testdata/sumdb-tls-key.pem", import.meta.url));
const TLS_NAME_RE = /^[a-z0-9-]+\.mirror-sim\.test$/;

function headersOf(req: IncomingMessage): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(req.headers)) {
    if (v !== undefined) headers[k] = Array.isArray(v) ? v.join(", ") : v;
  }
  return headers;
}

/** A simulator bug must be visible, not a hang: answer 500 with the message. */
function internalError(res: ServerResponse, err: unknown): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  res.statusCode = 500;
  res.setHeader("content-type", TEXT);
  res.end(`mirror-sim internal error: ${err instanceof Error ? err.message : String(err)}`);
}

function listen(server: Server, port: number, host: string): Promise<number> {
  return new Promise<number>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      server.off("error", reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

export function defaultBehaviour(style: MirrorStyle = "proxy.golang.org"): MirrorBehaviour {
  const goproxy = style === "goproxy";
  const cacheControl: CacheControlSet = goproxy
    ? {
        // Values from github.com/goproxy/goproxy's ServeHTTP.
        list: "public, max-age=60",
        latest: "public, max-age=60",
        immutable: "public, max-age=604800",
        notFoundList: "public, max-age=60",
        notFoundVersion: "public, max-age=600",
        badPath: "public, max-age=86400",
        serverError: "must-revalidate, no-cache, no-store",
      }
    : {
        // proxy.golang.org: short list caching; the long max-age of immutable files is an approximation.
        list: "public, max-age=60",
        latest: "public, max-age=60",
        immutable: "public, max-age=10800",
        notFoundList: "public, max-age=60",
        notFoundVersion: "public, max-age=600",
        badPath: "public, max-age=3600",
        serverError: "no-cache",
      };
  return {
    style,
    lagSeconds: 0,
    moduleLagSeconds: {},
    versionLagSeconds: {},
    listOrder: goproxy ? "sorted-no-newline" : "unsorted",
    hideRetracted: false,
    notFoundStatus: 404,
    badEscapeStatus: 404,
    fetchOnDemand: false,
    honourDisableModuleFetch: !goproxy,
    cdnMaxAgeSeconds: 0,
    latencyMs: 0,
    infoOrigin: !goproxy,
    unlisted: [],
    sumdb: "proxy",
    cacheControl,
  };
}

function toDate(d: Date | string): Date {
  const date = typeof d === "string" ? new Date(d) : new Date(d.getTime());
  if (Number.isNaN(date.getTime())) throw new Error(`invalid date: ${String(d)}`);
  return date;
}

/** Go marshals time.Time as RFC 3339 without a fraction when it is zero. */
export function goTime(d: Date): string {
  return d.toISOString().replace(".000Z", "Z");
}

function storeVersion(path: string, v: SimVersion): StoredVersion {
  if (!isSemver(v.version)) throw new Error(`${path}: invalid version ${v.version}`);
  const time = toDate(v.time);
  let invalid: string | undefined;
  if (v.invalid === true) {
    invalid = majorVersionError(path, v.version, v.gomod !== undefined);
    if (invalid === undefined) throw new Error(`${path}@${v.version}: invalid: true, but go's major-version rules accept this version`);
  } else if (typeof v.invalid === "string") invalid = v.invalid;
  return {
    version: v.version,
    time,
    publishedAt: v.publishedAt === undefined ? time : toDate(v.publishedAt),
    gomod: v.gomod,
    files: v.files ?? {},
    invalid,
  };
}

function storeModule(m: SimModule): StoredModule {
  const versions = new Map<string, StoredVersion>();
  for (const v of m.versions) versions.set(v.version, storeVersion(m.path, v));
  return { path: m.path, versions, origin: m.origin ?? "ok" };
}

function syntheticGoMod(path: string): string {
  return `module ${path}\n`;
}

function buildZip(path: string, v: StoredVersion, extra: Record<string, string> = {}): Buffer {
  const prefix = `${path}@${v.version}/`;
  const files: Record<string, string> = { ...v.files, ...extra };
  if (v.gomod !== undefined) files["go.mod"] = v.gomod;
  // A module zip with no files is legal but odd; give every version a small deterministic file.
  if (Object.keys(v.files).length === 0) {
    files["README.md"] = `# ${path} ${v.version}\n\nSimulated by mirrorlag's mirror-sim.\n`;
  }
  const names = Object.keys(files).sort();
  return createZip(
    names.map((n) => ({ name: prefix + n, data: files[n] ?? "" })),
    v.time,
  );
}

function hashKey(...parts: string[]): string {
  return createHash("sha256").update(parts.join("\n")).digest("hex");
}

/** A `/sumdb/<name>/…` request: which database, and the endpoint (absent for `/supported`). */
type SumdbRequest = { name: string; endpoint?: SumdbEndpoint };

type ParsedPath =
  | { ok: true; kind: RequestKind; module?: string; version?: string; cachedOnly: boolean; sumdb?: SumdbRequest }
  | { ok: false; kind: RequestKind; reason: string; cachedOnly: boolean; badEscape: boolean };

/** `/sumdb/<name>/supported|latest|lookup/…|tile/…` (the path already URL-decoded, without its leading `/`). */
function parseSumdbPath(p: string, cachedOnly: boolean): ParsedPath {
  const m = /^sumdb\/(.+?)\/(supported|latest|lookup\/.+|tile\/.+)$/.exec(p);
  const name = m?.[1];
  const rest = m?.[2];
  if (name === undefined || rest === undefined) return { ok: false, kind: "other", reason: "unknown endpoint", cachedOnly, badEscape: false };
  if (rest === "supported") return { ok: true, kind: "supported", cachedOnly, sumdb: { name } };
  const endpoint = parseSumdbEndpoint(rest);
  if (!endpoint) return { ok: false, kind: "sumdb", reason: `invalid checksum database path "${rest}"`, cachedOnly, badEscape: false };
  const named = endpoint.type === "lookup" ? { module: endpoint.module, version: endpoint.version } : {};
  return { ok: true, kind: "sumdb", cachedOnly, sumdb: { name, endpoint }, ...named };
}

function parsePath(rawPath: string): ParsedPath {
  let p: string;
  try {
    p = decodeURIComponent(rawPath);
  } catch {
    return { ok: false, kind: "other", reason: "invalid URL escape", cachedOnly: false, badEscape: false };
  }
  p = p.replace(/^\/+/, "");
  let cachedOnly = false;
  if (p.startsWith("cached-only/")) {
    cachedOnly = true;
    p = p.slice("cached-only/".length);
  }
  if (p.startsWith("sumdb/")) return parseSumdbPath(p, cachedOnly);
  let kind: RequestKind;
  let escModule: string;
  let escVersion: string | undefined;
  if (p.endsWith("/@v/list")) {
    kind = "list";
    escModule = p.slice(0, -"/@v/list".length);
  } else if (p.endsWith("/@latest")) {
    kind = "latest";
    escModule = p.slice(0, -"/@latest".length);
  } else {
    const i = p.lastIndexOf("/@v/");
    const m = i < 0 ? null : /^(.+)\.(info|mod|zip)$/.exec(p.slice(i + 4));
    if (i < 0 || !m) return { ok: false, kind: "other", reason: "unknown endpoint", cachedOnly, badEscape: false };
    kind = m[2] as "info" | "mod" | "zip";
    escModule = p.slice(0, i);
    escVersion = m[1];
  }
  const modulePath = unescapeGoPath(escModule);
  if (modulePath === undefined || modulePath === "") {
    return { ok: false, kind, reason: `invalid escaped module path "${escModule}"`, cachedOnly, badEscape: true };
  }
  if (escVersion === undefined) return { ok: true, kind, module: modulePath, cachedOnly };
  const version = unescapeGoPath(escVersion);
  if (version === undefined) {
    return { ok: false, kind, reason: `invalid escaped version "${escVersion}"`, cachedOnly, badEscape: true };
  }
  return { ok: true, kind, module: modulePath, version, cachedOnly };
}

function answer(status: number, contentType: string, body: string | Buffer, cacheControl?: string): Answer {
  const headers: Record<string, string> = { "content-type": contentType };
  if (cacheControl) headers["cache-control"] = cacheControl;
  return { status, headers, body: typeof body === "string" ? Buffer.from(body, "utf8") : body };
}

function faultApplies(f: ActiveFault, kind: RequestKind, module: string | undefined, version: string | undefined, now: number): boolean {
  if (f.times !== undefined && f.used >= f.times) return false;
  if (f.module !== undefined && f.module !== module) return false;
  if (f.version !== undefined && f.version !== version) return false;
  if (f.kinds !== undefined && !f.kinds.includes(kind)) return false;
  if (f.from !== undefined && now < toDate(f.from).getTime()) return false;
  if (f.until !== undefined && now >= toDate(f.until).getTime()) return false;
  return true;
}

/** Content faults only make sense for some endpoints; elsewhere they are ignored. */
function effectFits(e: FaultEffect, kind: RequestKind): boolean {
  switch (e.type) {
    case "malformedInfo":
      return kind === "info" || kind === "latest";
    case "invalidListLines":
      return kind === "list";
    case "differentBytes":
      return kind === "mod" || kind === "zip";
    case "badGoMod":
      return kind === "mod";
    case "sumdb":
      return kind === "sumdb";
    default:
      return true;
  }
}

const DEFAULT_JUNK_LINES = [
  "not-a-version",
  "v1.0.0-20200101000000-abcdefabcdef",
  "v01.2.3",
  "",
  "<html><body>oops</body></html>",
  "v1.2.3.4",
];

export async function startMirrorSim(scenario: Scenario, options: StartOptions = {}): Promise<MirrorSim> {
  const clock = options.clock ?? createSimClock(scenario.start ?? new Date());
  const host = options.host ?? "127.0.0.1";
  const modules = new Map<string, StoredModule>();
  for (const m of scenario.modules) modules.set(m.path, storeModule(m));
  const db = scenario.sumdb ? createSimChecksumDb(scenario.sumdb) : undefined;
  const sumdbLog: RequestLogEntry[] = [];
  const states = new Map<string, MirrorState>();
  let seq = 0;
  let faultSeq = 0;

  const mirrorState = (name: string): MirrorState => {
    const s = states.get(name);
    if (!s) throw new Error(`unknown mirror ${name}`);
    return s;
  };

  const delayMs = (b: MirrorBehaviour, module: string, v: StoredVersion): number => {
    const fromFn = b.lag?.(module, v.version, v.publishedAt);
    const seconds =
      fromFn ?? b.versionLagSeconds[`${module}@${v.version}`] ?? b.moduleLagSeconds[module] ?? b.lagSeconds;
    return seconds * 1000;
  };

  const isVisible = (s: MirrorState, module: string, v: StoredVersion, at: number): boolean => {
    const published = v.publishedAt.getTime();
    if (at < published) return false;
    if (at >= published + delayMs(s.behaviour, module, v)) return true;
    const pulledAt = s.pulled.get(`${module}@${v.version}`);
    return pulledAt !== undefined && pulledAt <= at;
  };

  const visible = (s: MirrorState, module: string, at: number): StoredVersion[] => {
    const m = modules.get(module);
    if (!m || m.origin !== "ok") return [];
    return [...m.versions.values()].filter((v) => v.invalid === undefined && isVisible(s, module, v, at));
  };

  /** What the mirror lists: its visible versions except the ones it serves without listing. */
  const listable = (s: MirrorState, module: string, at: number): StoredVersion[] => {
    const hidden = s.behaviour.unlisted;
    const vis = visible(s, module, at);
    return hidden.length === 0 ? vis : vis.filter((v) => !hidden.includes(`${module}@${v.version}`));
  };

  /** M@V at the origin at `now`: the stored version, or the go command's error a proxy relays. */
  const atOrigin = (style: MirrorStyle, module: string, version: string, now: number): { v: StoredVersion } | { error: string } => {
    const m = modules.get(module);
    if (!m) return { error: `module ${module}: no matching versions for query "${version}"` };
    if (m.origin !== "ok") return { error: repositoryError(module, version, m.origin, style) };
    const v = m.versions.get(version);
    if (!v || now < v.publishedAt.getTime()) {
      // The tag asked for with a +incompatible it may not have: go judges the suffix against the tree's go.mod.
      const base = version.endsWith("+incompatible") ? m.versions.get(version.slice(0, -"+incompatible".length)) : undefined;
      const refused = base && now >= base.publishedAt.getTime() ? majorVersionError(module, version, base.gomod !== undefined) : undefined;
      return { error: refused !== undefined ? moduleError(module, version, refused) : unknownRevision(module, version) };
    }
    if (v.invalid !== undefined) return { error: moduleError(module, version, v.invalid) };
    return { v };
  };

  const goModOf = (module: string, v: StoredVersion): string => v.gomod ?? syntheticGoMod(module);

  const retractionsOf = (module: string, versions: readonly StoredVersion[]) => {
    const auth = authoritativeOf(versions.map((v) => v.version));
    const authV = versions.find((v) => v.version === auth);
    return authV ? parseRetractIntervals(goModOf(module, authV)) : [];
  };

  const infoJson = (s: MirrorState, module: string, v: StoredVersion): string => {
    const info: Record<string, unknown> = { Version: v.version, Time: goTime(v.time) };
    if (s.behaviour.infoOrigin) {
      info.Origin = {
        VCS: "git",
        URL: `https://${module}`,
        Ref: `refs/tags/${v.version.replace(/\+incompatible$/, "")}`,
        Hash: hashKey("commit", module, v.version).slice(0, 40),
      };
    }
    return JSON.stringify(info);
  };

  const notFound = (s: MirrorState, kind: RequestKind, message: string): Answer =>
    answer(
      s.behaviour.notFoundStatus,
      TEXT,
      `not found: ${message}`,
      kind === "list" || kind === "latest" ? s.behaviour.cacheControl.notFoundList : s.behaviour.cacheControl.notFoundVersion,
    );

  /** Where a CDN sits in front (goproxy.cn), list/@latest reflect the state when the copy was filled. */
  const cdnAsOf = (s: MirrorState, key: string, now: number): { asOf: number; age?: number } => {
    const ttl = s.behaviour.cdnMaxAgeSeconds * 1000;
    if (ttl <= 0) return { asOf: now };
    const filled = s.cdn.get(key);
    if (filled === undefined || now - filled >= ttl || now < filled) {
      s.cdn.set(key, now);
      return { asOf: now, age: 0 };
    }
    return { asOf: filled, age: Math.floor((now - filled) / 1000) };
  };

  type Normal = { answer: Answer; pulled?: boolean; listVersions?: string[] };

  const normalAnswer = (s: MirrorState, kind: RequestKind, module: string, version: string | undefined, now: number, fetchAllowed: boolean): Normal => {
    const b = s.behaviour;
    const m = modules.get(module);
    if (kind === "list" || kind === "latest") {
      const { asOf, age } = cdnAsOf(s, `${kind}:${module}`, now);
      const vis = listable(s, module, asOf);
      let res: Normal;
      if (m && m.origin !== "ok") {
        res = { answer: notFound(s, kind, repositoryError(module, undefined, m.origin, b.style)) };
      } else if (!m || vis.length === 0) {
        res = { answer: notFound(s, kind, `module ${module}: no matching versions for query "latest"`) };
      } else if (kind === "list") {
        const retractions = b.hideRetracted ? retractionsOf(module, vis) : [];
        let listed = vis.map((v) => v.version).filter((v) => !isRetractedBy(v, retractions));
        let body: string;
        if (b.listOrder === "unsorted") {
          // proxy.golang.org: order is arbitrary but stable; a deterministic shuffle keeps runs reproducible.
          // One hash per version, not two per comparison: the same order, ~20x less CPU for a 2,000-version list.
          const keys = new Map(listed.map((v) => [v, hashKey(s.name, module, v)]));
          listed = [...listed].sort((x, y) => ((keys.get(x) ?? "") < (keys.get(y) ?? "") ? -1 : 1));
          body = listed.map((v) => v + "\n").join("");
        } else {
          listed = sortSemver(listed);
          body = listed.join("\n") + (b.listOrder === "sorted" && listed.length > 0 ? "\n" : "");
        }
        res = { answer: answer(200, TEXT, body, b.cacheControl.list), listVersions: listed };
      } else {
        const retractions = retractionsOf(module, vis);
        const sorted = [...vis].sort((x, y) => compareSemver(x.version, y.version));
        const ok = sorted.filter((v) => !isRetractedBy(v.version, retractions));
        // Like `go list -m M@latest` at the origin: highest non-retracted release, else pre-release, else anything.
        const pick =
          ok.filter((v) => !isPrerelease(v.version)).at(-1) ?? ok.at(-1) ?? sorted.filter((v) => !isPrerelease(v.version)).at(-1) ?? sorted.at(-1);
        res = pick
          ? { answer: answer(200, "application/json", infoJson(s, module, pick), b.cacheControl.latest) }
          : { answer: notFound(s, kind, `module ${module}: no matching versions for query "latest"`) };
      }
      if (age !== undefined) res.answer.headers.age = String(age);
      return res;
    }

    // .info / .mod / .zip
    const ver = version ?? "";
    const origin = atOrigin(b.style, module, ver, now);
    if ("error" in origin) return { answer: notFound(s, kind, origin.error) };
    const { v } = origin;
    let pulled = false;
    if (!isVisible(s, module, v, now)) {
      if (!b.fetchOnDemand) return { answer: notFound(s, kind, unknownRevision(module, ver)) };
      if (!fetchAllowed) {
        // The goproxy library's answer to Disable-Module-Fetch for what it has not cached.
        const text = b.style === "goproxy" ? "temporarily unavailable" : `${module}@${ver}: not cached and module fetch is disabled (Disable-Module-Fetch: true)`;
        return { answer: notFound(s, kind, text) };
      }
      s.pulled.set(`${module}@${ver}`, now);
      pulled = true;
    }
    const cc = b.cacheControl.immutable;
    if (kind === "info") return { answer: answer(200, "application/json", infoJson(s, module, v), cc), pulled };
    if (kind === "mod") return { answer: answer(200, TEXT, goModOf(module, v), cc), pulled };
    v.zip ??= buildZip(module, v);
    return { answer: answer(200, "application/zip", v.zip, cc), pulled };
  };

  const applyContentFault = (s: MirrorState, e: FaultEffect, kind: RequestKind, module: string, version: string | undefined, a: Answer, normal: Normal): Answer => {
    switch (e.type) {
      case "status": {
        const notFoundish = e.status === 404 || e.status === 410;
        const body =
          e.body ??
          (notFoundish
            ? `not found: ${version ? `${module}@${version}` : `module ${module}`}: temporarily unavailable`
            : e.status >= 500
              ? `${e.status} ${e.status === 502 ? "Bad Gateway" : e.status === 503 ? "Service Unavailable" : e.status === 504 ? "Gateway Timeout" : "Internal Server Error"}`
              : `error ${e.status}`);
        const cc = notFoundish
          ? kind === "list" || kind === "latest"
            ? s.behaviour.cacheControl.notFoundList
            : s.behaviour.cacheControl.notFoundVersion
          : s.behaviour.cacheControl.serverError;
        return answer(e.status, e.contentType ?? TEXT, body, cc);
      }
      case "html200":
        return answer(
          200,
          "text/html; charset=utf-8",
          e.body ?? "<!DOCTYPE html>\n<html><head><title>Sign in to continue</title></head><body><h1>Captive portal</h1></body></html>\n",
        );
      case "malformedInfo": {
        if (a.status !== 200) return a;
        const mode = e.mode ?? "syntax";
        const real = JSON.parse(a.body.toString("utf8")) as { Version: string; Time: string };
        const body =
          mode === "syntax"
            ? `{"Version":"${real.Version}","Time":`
            : mode === "badTime"
              ? JSON.stringify({ Version: real.Version, Time: "yesterday" })
              : JSON.stringify({ Version: "v0.0.0-not-this-one", Time: real.Time });
        return { ...a, body: Buffer.from(body) };
      }
      case "invalidListLines": {
        if (a.status !== 200) return a;
        const junk = e.lines ?? [...DEFAULT_JUNK_LINES, ...(normal.listVersions?.slice(0, 1).map((v) => `${v} 2019-01-01T00:00:00Z`) ?? [])];
        const lines = [...(normal.listVersions ?? []), ...junk];
        return { ...a, body: Buffer.from(lines.join("\n") + "\n") };
      }
      case "differentBytes": {
        if (a.status !== 200 || version === undefined) return a;
        const marker = e.marker ?? `served differently by ${s.name}`;
        if (kind === "mod") return { ...a, body: Buffer.concat([a.body, Buffer.from(`// ${marker}\n`)]) };
        const v = modules.get(module)?.versions.get(version);
        if (!v) return a;
        return { ...a, body: buildZip(module, v, { "MIRROR-SIM-DIFFERENT.txt": marker + "\n" }) };
      }
      case "badGoMod":
        if (a.status !== 200) return a;
        return { ...a, body: Buffer.from(`module ${module}\n\nrequire (\n\tthis line is not a requirement\n`) };
      case "oversized": {
        if (a.status !== 200) return a;
        const target = e.bytes ?? 10 * 1024 * 1024;
        if (a.body.length >= target) return a;
        if (kind === "list") return { ...a, body: padVersionList(a.body, target) };
        return { ...a, body: Buffer.concat([a.body, Buffer.alloc(target - a.body.length, 0x20)]) };
      }
      default:
        return a;
    }
  };

  // The checksum database knows every version the origin has published by now, as the origin has it.
  const sumdbCandidates = (now: number): SumdbCandidate[] => {
    const out: SumdbCandidate[] = [];
    for (const m of modules.values()) {
      if (m.origin !== "ok") continue;
      for (const v of m.versions.values()) {
        if (v.invalid !== undefined || v.publishedAt.getTime() > now) continue;
        out.push({
          module: m.path,
          version: v.version,
          publishedAt: v.publishedAt.getTime(),
          zip: () => (v.zip ??= buildZip(m.path, v)),
          gomod: () => goModOf(m.path, v),
        });
      }
    }
    return out;
  };

  const serveSumdb = (checksumDb: SimChecksumDb, endpoint: SumdbEndpoint, now: number) =>
    checksumDb.serve(
      endpoint,
      () => sumdbCandidates(now),
      (module, version) => {
        // sum.golang.org fetches through the same machinery as proxy.golang.org, so it says what that says.
        const origin = atOrigin("proxy.golang.org", module, version, now);
        return "error" in origin ? origin.error : unknownRevision(module, version);
      },
    );

  /** A mirror's `/sumdb/<name>/…`: the database through the mirror's proxy, as its behaviour (or a fault) has it. */
  const mirrorSumdbAnswer = async (s: MirrorState, request: SumdbRequest, now: number, override: SumdbProxyMode | undefined): Promise<Answer> => {
    const b = s.behaviour;
    // goproxy answers a plain 404 for a checksum database it does not proxy.
    if (!db || request.name !== db.name || b.sumdb === "absent") return answer(b.notFoundStatus, TEXT, "not found", b.cacheControl.badPath);
    if (!request.endpoint) return answer(200, TEXT, "", SUMDB_CACHE_CONTROL.supported);
    const served = await serveSumdb(db, request.endpoint, now);
    if (served.status !== 200) return answer(b.notFoundStatus, served.contentType, served.body, b.cacheControl.notFoundList);
    const mode = override ?? b.sumdb;
    const isTile = request.endpoint.type === "tile";
    let body = served.body;
    if (mode === "garbled" && !isTile) body = Buffer.from(GARBLED_SUMDB_TEXT);
    else if (mode === "forged" && !isTile) body = Buffer.from(forgeSignedNote(body.toString("utf8")));
    else if (mode === "bad-proof" && isTile) body = corruptTile(body);
    return answer(200, served.contentType, body, request.endpoint.type === "latest" ? SUMDB_CACHE_CONTROL.latest : SUMDB_CACHE_CONTROL.immutable);
  };

  const handle = async (s: MirrorState, req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const now = clock.now().getTime();
    const rawPath = (req.url ?? "/").split("?")[0] ?? "/";
    const parsed = parsePath(rawPath);
    const headers = headersOf(req);
    const disableHeader = (headers["disable-module-fetch"] ?? "").toLowerCase() === "true";
    const entry: RequestLogEntry = {
      seq: ++seq,
      mirror: s.name,
      method: req.method ?? "GET",
      path: rawPath,
      kind: parsed.kind,
      status: 0,
      outcome: "answered",
      at: new Date(now),
      headers,
      disableModuleFetch: disableHeader || parsed.cachedOnly,
    };
    if (parsed.ok) {
      entry.module = parsed.module;
      if (parsed.version !== undefined) entry.version = parsed.version;
    }
    s.log.push(entry);
    const b = s.behaviour;

    // Faults: every matching latency adds up; the first other matching fault shapes the answer.
    let latency = b.latencyMs;
    let terminal: ActiveFault | undefined;
    const reqModule = parsed.ok ? parsed.module : undefined;
    const reqVersion = parsed.ok ? parsed.version : undefined;
    for (const f of s.faults) {
      if (!faultApplies(f, parsed.kind, reqModule, reqVersion, now)) continue;
      if (f.effect.type === "latency") {
        f.used++;
        latency += f.effect.ms;
      } else if (!terminal && effectFits(f.effect, parsed.kind)) {
        f.used++;
        terminal = f;
      }
    }

    const effect = terminal?.effect;
    let a: Answer;
    let normal: Normal | undefined;
    if (!parsed.ok) {
      a = parsed.badEscape
        ? answer(b.badEscapeStatus, TEXT, b.badEscapeStatus === 400 ? `bad request: ${parsed.reason}` : `not found: ${parsed.reason}`, b.cacheControl.badPath)
        : answer(b.notFoundStatus, TEXT, "not found", b.cacheControl.badPath);
    } else if (parsed.sumdb) {
      a = await mirrorSumdbAnswer(s, parsed.sumdb, now, effect?.type === "sumdb" ? effect.mode : undefined);
      normal = { answer: a };
    } else {
      const fetchAllowed = !(b.honourDisableModuleFetch && (disableHeader || parsed.cachedOnly));
      normal = normalAnswer(s, parsed.kind, parsed.module ?? "", parsed.version, now, fetchAllowed);
      if (normal.pulled) entry.pulled = true;
      a = normal.answer;
    }

    if (effect) entry.fault = effect.type;
    if (effect && parsed.ok && normal && effect.type !== "hang" && effect.type !== "connectionReset" && effect.type !== "truncate") {
      a = applyContentFault(s, effect, parsed.kind, parsed.module ?? "", parsed.version, a, normal);
    } else if (effect && !parsed.ok && (effect.type === "status" || effect.type === "html200")) {
      a = applyContentFault(s, effect, parsed.kind, "", undefined, a, { answer: a });
    }

    const send = (): void => {
      if (res.destroyed || req.socket.destroyed) return;
      if (effect?.type === "hang") {
        entry.outcome = "hang";
        return; // the socket is closed by the client or by close()
      }
      if (effect?.type === "connectionReset") {
        entry.outcome = "reset";
        req.socket.resetAndDestroy();
        return;
      }
      entry.status = a.status;
      res.statusCode = a.status;
      for (const [k, v] of Object.entries(a.headers)) res.setHeader(k, v);
      res.setHeader("content-length", String(a.body.length));
      res.setHeader("x-mirror-sim", s.name);
      if (effect?.type === "truncate") {
        entry.outcome = "truncated";
        const keep = Math.min(effect.keepBytes ?? Math.floor(a.body.length / 2), Math.max(a.body.length - 1, 0));
        res.flushHeaders();
        res.write(a.body.subarray(0, keep), () => req.socket.destroy());
        return;
      }
      res.end(req.method === "HEAD" ? undefined : a.body);
    };
    if (latency > 0) setTimeout(send, latency);
    else send();
  };

  const configs = scenario.mirrors;
  const names = new Set<string>();
  for (const [index, cfg] of configs.entries()) {
    if (names.has(cfg.name)) throw new Error(`duplicate mirror name ${cfg.name}`);
    names.add(cfg.name);
    const { name, port: fixedPort, faults, ...partial } = cfg;
    const base = defaultBehaviour(partial.style ?? "proxy.golang.org");
    const behaviour: MirrorBehaviour = {
      ...base,
      ...partial,
      cacheControl: { ...base.cacheControl, ...partial.cacheControl },
    };
    const server = createServer();
    const state: MirrorState = {
      name,
      behaviour,
      faults: [],
      pulled: new Map(),
      cdn: new Map(),
      log: [],
      server,
      sockets: new Set(),
      baseUrl: "",
      port: 0,
    };
    for (const f of faults ?? []) state.faults.push({ ...f, id: f.id ?? `fault-${++faultSeq}`, used: 0 });
    server.on("connection", (sock: Socket) => {
      state.sockets.add(sock);
      sock.on("close", () => state.sockets.delete(sock));
    });
    server.on("request", (req: IncomingMessage, res: ServerResponse) => {
      handle(state, req, res).catch((err: unknown) => internalError(res, err));
    });
    const port = fixedPort ?? options.ports?.[name] ?? (options.portBase !== undefined ? options.portBase + index : 0);
    state.port = await listen(server, port, host);
    state.baseUrl = `http://${host}:${state.port}`;
    states.set(name, state);
  }

  /** The checksum database's own server: plain HTTP, and TLS for `<name>:443` tunnelled through CONNECT. */
  const handleSumdb = async (checksumDb: SimChecksumDb, req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const now = clock.now().getTime();
    const rawPath = (req.url ?? "/").split("?")[0] ?? "/";
    let endpoint: SumdbEndpoint | undefined;
    try {
      endpoint = parseSumdbEndpoint(decodeURIComponent(rawPath).replace(/^\/+/, ""));
    } catch {
      endpoint = undefined;
    }
    const entry: RequestLogEntry = {
      seq: ++seq,
      mirror: checksumDb.name,
      method: req.method ?? "GET",
      path: rawPath,
      kind: endpoint ? "sumdb" : "other",
      status: 0,
      outcome: "answered",
      at: new Date(now),
      headers: headersOf(req),
      disableModuleFetch: false,
    };
    if (endpoint?.type === "lookup") {
      entry.module = endpoint.module;
      entry.version = endpoint.version;
    }
    sumdbLog.push(entry);
    const a = endpoint ? await serveSumdb(checksumDb, endpoint, now) : { status: 404, contentType: TEXT, body: Buffer.from("not found") };
    // Wall time, like a mirror's latencyMs: a database across the world answers no faster than a mirror.
    const latencyMs = scenario.sumdb?.latencyMs ?? 0;
    if (latencyMs > 0) await new Promise((resolve) => setTimeout(resolve, latencyMs));
    if (res.destroyed) return;
    entry.status = a.status;
    res.statusCode = a.status;
    res.setHeader("content-type", a.contentType);
    res.setHeader("content-length", String(a.body.length));
    res.end(req.method === "HEAD" ? undefined : a.body);
  };

  let sumdbInfo: SumdbInfo | undefined;
  let sumdbServer: Server | undefined;
  const tunnels = new Set<Duplex>();
  if (db) {
    const onRequest = (req: IncomingMessage, res: ServerResponse): void => {
      handleSumdb(db, req, res).catch((err: unknown) => internalError(res, err));
    };
    const server = createServer(onRequest);
    sumdbServer = server;
    const tls = TLS_NAME_RE.test(db.name) ? createHttpsServer({ key: readFileSync(TLS_KEY_FILE), cert: readFileSync(TLS_CERT_FILE) }, onRequest) : undefined;
    server.on("connection", (sock: Socket) => {
      tunnels.add(sock);
      sock.on("close", () => tunnels.delete(sock));
    });
    server.on("connect", (req: IncomingMessage, sock: Duplex, head: Buffer) => {
      if (!tls || req.url !== `${db.name}:443`) {
        sock.end("HTTP/1.1 403 Forbidden\r\n\r\n");
        return;
      }
      sock.write("HTTP/1.1 200 Connection Established\r\n\r\n");
      if (head.length > 0) sock.unshift(head);
      tls.emit("connection", sock);
    });
    const port = await listen(server, options.ports?.[db.name] ?? 0, host);
    const url = `http://${host}:${port}`;
    sumdbInfo = { name: db.name, verifierKey: db.verifierKey, url, gosumdb: `${db.verifierKey} ${url}` };
    if (tls) sumdbInfo.directEnv = { HTTPS_PROXY: url, SSL_CERT_FILE: TLS_CERT_FILE };
  }

  const mirrors = [...states.values()].map((s) => ({ name: s.name, baseUrl: s.baseUrl, port: s.port }));
  const originVersion = (modulePath: string, version: string): StoredVersion => {
    const v = modules.get(modulePath)?.versions.get(version);
    if (!v) throw new Error(`unknown ${modulePath}@${version}`);
    return v;
  };

  const isSumdbName = (name: string): boolean => db !== undefined && name === db.name && !states.has(name);

  const sim: MirrorSim = {
    mirrors,
    mirrorsEnv: mirrors.map((m) => `${m.name}=${m.baseUrl}`).join(","),
    clock,
    log: (mirror) => {
      if (mirror === undefined) return [...[...states.values()].flatMap((s) => s.log), ...sumdbLog].sort((x, y) => x.seq - y.seq);
      return isSumdbName(mirror) ? [...sumdbLog] : [...mirrorState(mirror).log];
    },
    clearLog: (mirror) => {
      if (mirror === undefined || isSumdbName(mirror)) sumdbLog.length = 0;
      if (mirror !== undefined && isSumdbName(mirror)) return;
      for (const s of mirror === undefined ? states.values() : [mirrorState(mirror)]) s.log.length = 0;
    },
    setBehaviour: (mirror, partial) => {
      const s = mirrorState(mirror);
      s.behaviour = { ...s.behaviour, ...partial, cacheControl: { ...s.behaviour.cacheControl, ...partial.cacheControl } };
      s.cdn.clear();
    },
    behaviour: (mirror) => ({ ...mirrorState(mirror).behaviour }),
    addFault: (mirror, fault) => {
      const id = fault.id ?? `fault-${++faultSeq}`;
      mirrorState(mirror).faults.push({ ...fault, id, used: 0 });
      return id;
    },
    clearFaults: (mirror, id) => {
      for (const s of mirror === undefined ? states.values() : [mirrorState(mirror)]) {
        s.faults = id === undefined ? [] : s.faults.filter((f) => f.id !== id);
      }
    },
    addModule: (module) => {
      if (modules.has(module.path)) throw new Error(`module ${module.path} already exists`);
      modules.set(module.path, storeModule(module));
    },
    addVersion: (modulePath, version) => {
      const m = modules.get(modulePath);
      if (!m) throw new Error(`unknown module ${modulePath}`);
      if (m.versions.has(version.version)) throw new Error(`${modulePath}@${version.version} already exists`);
      const now = clock.now();
      m.versions.set(
        version.version,
        storeVersion(modulePath, { ...version, time: version.time ?? now, publishedAt: version.publishedAt ?? now }),
      );
    },
    visibleVersions: (mirror, modulePath, at) =>
      sortSemver(listable(mirrorState(mirror), modulePath, (at ?? clock.now()).getTime()).map((v) => v.version)),
    goModFor: (modulePath, version) => goModOf(modulePath, originVersion(modulePath, version)),
    zipFor: (modulePath, version) => {
      const v = originVersion(modulePath, version);
      v.zip ??= buildZip(modulePath, v);
      return v.zip;
    },
    close: async () => {
      const servers = [...states.values()].map((s) => ({ server: s.server, sockets: s.sockets as Set<Duplex> }));
      if (sumdbServer) servers.push({ server: sumdbServer, sockets: tunnels });
      await Promise.all(
        servers.map(
          ({ server, sockets }) =>
            new Promise<void>((resolve) => {
              for (const sock of sockets) sock.destroy();
              server.close(() => resolve());
              server.closeAllConnections();
            }),
        ),
      );
    },
  };
  if (scenario.reference !== undefined) sim.reference = scenario.reference;
  if (sumdbInfo) sim.sumdb = sumdbInfo;
  return sim;
}

/** URL of an endpoint on a mirror, escaping module path and version the way the go command does. */
export function proxyUrl(baseUrl: string, modulePath: string, endpoint: "list" | "latest" | { version: string; ext: "info" | "mod" | "zip" }): string {
  const m = escapeGoPath(modulePath);
  if (endpoint === "list") return `${baseUrl}/${m}/@v/list`;
  if (endpoint === "latest") return `${baseUrl}/${m}/@latest`;
  return `${baseUrl}/${m}/@v/${escapeGoPath(endpoint.version)}.${endpoint.ext}`;
}

/**
 * The list followed by made-up versions v0.0.0, v0.0.1, … until it is at least `target` bytes. Written byte by
 * byte because the sim shares the event loop with the client under test: building 10 MB from a million strings
 * blocked it for 0.8 s, long enough for the client's own request timeouts to fire on the healthy mirrors.
 */
function padVersionList(list: Buffer, target: number): Buffer {
  const head = list.toString("utf8").replace(/\n?$/, "\n");
  const out = Buffer.allocUnsafe(Math.max(target, Buffer.byteLength(head)) + 32);
  let size = out.write(head, 0, "utf8");
  for (let i = 0; size < target; i++) {
    out[size++] = 0x76; // v
    out[size++] = 0x30; // 0
    out[size++] = 0x2e; // .
    out[size++] = 0x30; // 0
    out[size++] = 0x2e; // .
    const digits = String(i);
    for (let k = 0; k < digits.length; k++) out[size++] = digits.charCodeAt(k);
    out[size++] = 0x0a; // newline
  }
  return out.subarray(0, size);
}
