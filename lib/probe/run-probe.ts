// A probe of one module version: on every mirror at once, the requests `go mod download M@V` makes (.info, .mod,
// .zip unless the request says zip: false) and the mirror's checksum-database proxy (/supported, /lookup, tiles; unless
// mirrorSumdb: false), plus the configured checksum database itself; every answer verified with the configured key.
// A failing mirror is evidence, never a throw.

import { SumdbError, createMirrorClient, createTileReader, escapeModulePath, escapeVersion, parseVerifierKey, verifyLookup, wirePath } from "@/lib/goproxy";
import type { MirrorClient, ModData, Outcome, Verifier, VersionInfo, ZipData } from "@/lib/goproxy";
import type { InfoStep, MirrorProbe, MirrorSumdbStep, ModStep, ProbeStep, ReferenceSumdb, ZipStep } from "@/lib/doctor";

export type ProbeMirror = { name: string; baseUrl: string };
export type ProbeSumdb = { name: string; verifierKey: string; url: string };

export type ProbeDeps = {
  mirrors: ProbeMirror[];
  /** null: verification off (SUMDB=off). */
  sumdb: ProbeSumdb | null;
  requestTimeoutMs: number;
  zipTimeoutMs: number;
  /** Where zips are streamed while they are hashed; default os.tmpdir(). */
  tmpDir?: string;
  /** Per-mirror fetch (tests); "sumdb" for the checksum database's own URL. */
  fetchFor?: (target: string) => typeof fetch;
  /** Waits for the target's request slot (a mirror's name, or "sumdb") before each request; none: no cap. */
  slotFor?: (target: string) => (() => Promise<void>) | undefined;
};

export type ProbeRequest = {
  module: string;
  version: string;
  fetch: boolean;
  /** false: ask only .info and .mod (a go.mod-wide check of many requirements); default true. */
  zip?: boolean;
  /**
   * false: leave the mirrors' checksum-database proxies alone and verify against the database only (a go.mod-wide
   * resolution: two requests per requirement per mirror); default true.
   */
  mirrorSumdb?: boolean;
};

/** The mirror checksum-database step of a probe that did not ask for it. */
export const MIRROR_SUMDB_NOT_ASKED_MESSAGE = "not asked: a go.mod-wide resolution verifies against the checksum database itself";

/** The zip step of a probe that did not ask for it: no request, no bytes, no hash. */
export const ZIP_NOT_ASKED: ZipStep = { outcome: "skipped", status: null, latencyMs: null, message: "not asked: only .info and .mod were probed", reason: null, h1: null, bytes: null };

export type ProbeEvidence = { mirrors: Record<string, MirrorProbe>; sumdb: ReferenceSumdb };

/** Outcome → the API's step shape; `extra` picks the data fields of an ok answer. */
function step<T, E extends object>(o: Outcome<T>, ok: (data: T) => E, empty: E): ProbeStep & E {
  const latencyMs = Math.round(o.latencyMs);
  const via = o.finalUrl === undefined ? {} : { finalUrl: o.finalUrl };
  if (o.outcome === "ok") return { outcome: "ok", status: o.status, latencyMs, message: null, reason: null, ...via, ...ok(o.data) };
  if (o.outcome === "not_found") return { outcome: "not_found", status: o.status, latencyMs, message: o.message, reason: null, ...via, ...empty };
  return { outcome: "error", status: o.status, latencyMs, message: o.message, reason: o.reason, ...via, ...empty };
}

/** RFC 3339 as Go marshals a time.Time: no fraction when it is zero. */
const goTime = (d: Date) => d.toISOString().replace(".000Z", "Z");

const skipped = (message: string | null = null): ProbeStep => ({ outcome: "skipped", status: null, latencyMs: null, message, reason: null });

/** A real tree note is a few hundred bytes; a refused one is the mirror's text, stored with the probe: keep it small. */
const MAX_NOTE_ECHO_CHARS = 1024;

/** The signed tree note of a lookup answer: what follows the record's blank line (x/mod tlog.ParseRecord). */
function treeNoteOf(body: Uint8Array): string {
  const text = new TextDecoder().decode(body);
  const end = text.indexOf("\n\n");
  if (end < 0) return "";
  const note = text.slice(end + 2);
  return note.length > MAX_NOTE_ECHO_CHARS ? `${note.slice(0, MAX_NOTE_ECHO_CHARS)}[Truncated: too long.]\n` : note;
}

type LookupResult = { step: ProbeStep; verified: boolean; failure: MirrorSumdbStep["failure"]; treeSize: number | null; zipH1: string | null; modH1: string | null };

/** `/lookup/M@V` and the tiles proving it, read through `client` under `prefix` (the database or a mirror's proxy). */
async function lookupAndVerify(client: MirrorClient, prefix: string, module: string, version: string, verifier: Verifier): Promise<LookupResult> {
  const none = { verified: false, failure: null, treeSize: null, zipH1: null, modH1: null };
  const lookupPath = `${prefix}lookup/${wirePath(escapeModulePath(module))}@${wirePath(escapeVersion(version))}`;
  const answer = await client.raw(lookupPath);
  const base = step(answer, () => ({}), {});
  if (answer.outcome !== "ok") return { step: base, ...none };
  let tileLatency = 0;
  const tiles = createTileReader(async (path) => {
    const tile = await client.raw(`${prefix}${path}`);
    tileLatency = Math.max(tileLatency, tile.latencyMs);
    if (tile.outcome === "ok") return tile.data;
    if (tile.outcome === "not_found") return null;
    throw new SumdbError("tile_unavailable", `reading ${path}: ${tile.message}`);
  });
  try {
    const verifiedLookup = await verifyLookup({ module, version, body: answer.data, verifier, tiles });
    return {
      step: { ...base, latencyMs: Math.round(answer.latencyMs + tileLatency) },
      verified: true,
      failure: null,
      treeSize: verifiedLookup.tree.n,
      zipH1: verifiedLookup.zipH1,
      modH1: verifiedLookup.modH1,
    };
  } catch (err) {
    const failure = err instanceof SumdbError ? err.code : null;
    let message = err instanceof Error ? err.message : String(err);
    // The go command shows the tree note it refused after the error (x/mod sumdb/client.go mergeLatestMem): keep it too.
    if (failure === "invalid_signature" || failure === "unverified_note" || failure === "malformed_note") message += `\nnote:\n${treeNoteOf(answer.data)}`;
    return { step: { ...base, outcome: "error", latencyMs: Math.round(answer.latencyMs + tileLatency), message, reason: "malformed" }, ...none, failure };
  }
}

async function probeMirrorSumdb(client: MirrorClient, sumdb: ProbeSumdb | null, verifier: Verifier | null, request: ProbeRequest): Promise<MirrorSumdbStep> {
  const { module, version } = request;
  if (!sumdb || !verifier) {
    return { ...skipped("verification is off (SUMDB=off)"), supported: skipped(), verified: false, failure: null, treeSize: null, zipH1: null, modH1: null };
  }
  if (request.mirrorSumdb === false) {
    return { ...skipped(MIRROR_SUMDB_NOT_ASKED_MESSAGE), supported: skipped(), verified: false, failure: null, treeSize: null, zipH1: null, modH1: null };
  }
  const prefix = `sumdb/${sumdb.name}/`;
  const supported = step(await client.raw(`${prefix}supported`), () => ({}), {});
  if (supported.outcome !== "ok") {
    const why = supported.outcome === "not_found" ? "the mirror does not proxy this checksum database" : "the mirror's checksum-database proxy failed";
    return { ...skipped(why), supported, verified: false, failure: null, treeSize: null, zipH1: null, modH1: null };
  }
  const result = await lookupAndVerify(client, prefix, module, version, verifier);
  return { ...result.step, supported, verified: result.verified, failure: result.failure, treeSize: result.treeSize, zipH1: result.zipH1, modH1: result.modH1 };
}

async function probeMirror(deps: ProbeDeps, mirror: ProbeMirror, request: ProbeRequest, verifier: Verifier | null): Promise<MirrorProbe> {
  const client = createMirrorClient({
    baseUrl: mirror.baseUrl,
    timeoutMs: deps.requestTimeoutMs,
    zipTimeoutMs: deps.zipTimeoutMs,
    passive: !request.fetch,
    fetch: deps.fetchFor?.(mirror.name),
    tmpDir: deps.tmpDir,
    beforeRequest: deps.slotFor?.(mirror.name),
  });
  const { module, version } = request;
  // All at once: none of the go command's three files depends on another's answer, and the sumdb chain
  // (supported → lookup → tiles) is the one sequential path.
  const [info, mod, zip, sumdb] = await Promise.all([
    client.info(module, version).then((o): InfoStep => step<VersionInfo, Pick<InfoStep, "time">>(o, (d) => ({ time: d.time ? goTime(d.time) : null }), { time: null })),
    client.mod(module, version).then((o): ModStep => step<ModData, Pick<ModStep, "h1" | "modulePath">>(o, (d) => ({ h1: d.h1, modulePath: d.parsed.module }), { h1: null, modulePath: null })),
    request.zip === false
      ? Promise.resolve(ZIP_NOT_ASKED)
      : client.zip(module, version).then((o): ZipStep => step<ZipData, Pick<ZipStep, "h1" | "bytes">>(o, (d) => ({ h1: d.h1, bytes: d.bytes }), { h1: null, bytes: null })),
    probeMirrorSumdb(client, deps.sumdb, verifier, request),
  ]);
  return { info, mod, zip, sumdb };
}

async function probeReferenceSumdb(deps: ProbeDeps, verifier: Verifier | null, request: ProbeRequest): Promise<ReferenceSumdb> {
  const off: ReferenceSumdb = {
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
  };
  if (!deps.sumdb || !verifier) return off;
  const client = createMirrorClient({ baseUrl: deps.sumdb.url, timeoutMs: deps.requestTimeoutMs, fetch: deps.fetchFor?.("sumdb"), beforeRequest: deps.slotFor?.("sumdb") });
  const result = await lookupAndVerify(client, "", request.module, request.version, verifier);
  const message = result.verified
    ? null
    : result.step.outcome === "not_found"
      ? `${deps.sumdb.name} has no record of ${request.module}@${request.version}${result.step.message ? `: ${result.step.message}` : ""}`
      : `${deps.sumdb.name}: ${result.step.message ?? "no answer"}`;
  return {
    name: deps.sumdb.name,
    enabled: true,
    verified: result.verified,
    zipH1: result.zipH1,
    modH1: result.modH1,
    treeSize: result.treeSize,
    source: result.verified ? "direct" : null,
    direct: result.step,
    message,
    failure: result.failure,
  };
}

/**
 * Probes `module@version` on every configured mirror and against the checksum database. The reference record is
 * the database's own answer when it verifies, else the first mirror proxy's answer that verifies with the same key
 * (a signed record proves itself, wherever it came from: what a user who cannot reach the database relies on).
 */
export async function runProbe(deps: ProbeDeps, request: ProbeRequest): Promise<ProbeEvidence> {
  const verifier = deps.sumdb ? parseVerifierKey(deps.sumdb.verifierKey) : null;
  const [reference, ...probes] = await Promise.all([
    probeReferenceSumdb(deps, verifier, request),
    ...deps.mirrors.map((m) => probeMirror(deps, m, request, verifier)),
  ]);
  const mirrors: Record<string, MirrorProbe> = {};
  deps.mirrors.forEach((m, i) => {
    const probe = probes[i];
    if (probe) mirrors[m.name] = probe;
  });
  let sumdb: ReferenceSumdb = reference;
  if (reference.enabled && !reference.verified) {
    const viaMirror = deps.mirrors.find((m) => mirrors[m.name]?.sumdb.verified);
    const proxied = viaMirror ? mirrors[viaMirror.name]?.sumdb : undefined;
    if (viaMirror && proxied) {
      sumdb = { ...reference, verified: true, zipH1: proxied.zipH1, modH1: proxied.modH1, treeSize: proxied.treeSize, source: viaMirror.name };
    }
  }
  // Two records that both verify under one key yet differ would mean a forked log: never let one stand for "agrees".
  if (sumdb.verified) {
    for (const m of deps.mirrors) {
      const s = mirrors[m.name]?.sumdb;
      if (s?.verified && (s.zipH1 !== sumdb.zipH1 || s.modH1 !== sumdb.modH1)) {
        mirrors[m.name] = {
          ...(mirrors[m.name] as MirrorProbe),
          sumdb: { ...s, outcome: "error", verified: false, failure: "record_mismatch", reason: "malformed", message: `the record served through this mirror differs from ${sumdb.source === "direct" ? sumdb.name : `the one served through ${sumdb.source}`}` },
        };
      }
    }
  }
  return { mirrors, sumdb };
}
