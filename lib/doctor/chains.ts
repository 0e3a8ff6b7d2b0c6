// Would `go mod download M@V` succeed right now through a given GOPROXY, via which mirror, or with which error?
// Each rule below restates go1.19's cmd/go (the installed go); file and line references are to that tree
// (/usr/lib/go-1.19/src/cmd/go/internal/...), and every rule was also run against go1.19.8 on loopback mirrors.
//
// The order `go mod download M@V` asks for things (modcmd/download.go runDownload, modload/list.go, build.go):
//   1. .info    modload.Query -> queryProxy -> repo.Stat, inside modfetch.TryProxies (modload/query.go:91)
//   2. .mod     rawGoModSummary / modfetch.GoModFile -> GoMod, inside TryProxies (modfetch/cache.go:391); the
//               go.mod is checked against the checksum database inside that same callback (cachingRepo.GoMod,
//               cache.go:289-317: checkGoMod), so a go.mod mismatch is an error *of that proxy*
//   3. .zip     modfetch.DownloadZip -> downloadZip: only the fetch is inside TryProxies (fetch.go:257); the zip is
//               opened and hashed after it (fetch.go:281-317), so a bad or mismatching zip is never retried
// The first failing step ends the download for that module (download.go downloadModule returns on each error).

import type { ChainDetail, ChainPrediction, DoctorInput, FileKind, ModStep, ProbeStep, ProbedMirror, ZipStep } from "./types";
import { probedFiles } from "./diagnose";
import { directSumdbUrl, errorBodyLine, getError, mirrorSumdbUrl, proxyBase, proxyFileUrl, readingError, sumdbLookupPath } from "./go-text";

type Entry = { kind: "mirror"; mirror: ProbedMirror; fallBackOnError: boolean } | { kind: "direct" };

type Attempt<T> = { ok: true; value: T } | { ok: false; notExist: boolean; text: string };

type Tried<T> = { ok: true; entry: Entry; value: T } | { ok: false; notExist: boolean; text: string };

/**
 * modfetch.TryProxies (proxy.go:138-184): stop at the first success; after an error go on only if it is "not exist"
 * (404/410: web.HTTPError.Is, web/api.go:68) or the entry is followed by `|` (fallBackOnError, proxy.go:73).
 * The error reported is the most helpful one: direct's, else the last error that is not "not exist", else the
 * last "not exist" error (the rank logic at proxy.go:160-178).
 */
function tryProxies<T>(entries: readonly Entry[], attempt: (entry: Entry) => Attempt<T>): Tried<T> {
  let best: { notExist: boolean; text: string } | null = null;
  let rank = 0;
  for (const entry of entries) {
    const r = attempt(entry);
    if (r.ok) return { ok: true, entry, value: r.value };
    if (entry.kind === "direct") {
      best = r;
      rank = 2;
    } else if (rank <= 1 && !r.notExist) {
      best = r;
      rank = 1;
    } else if (rank === 0) {
      best = r;
    }
    const fallBackOnError = entry.kind === "mirror" && entry.fallBackOnError;
    if (!fallBackOnError && !r.notExist) break;
  }
  return best === null ? { ok: false, notExist: true, text: "GOPROXY list is not the empty string, but contains no entries" } : { ok: false, ...best };
}

// modfetch/fetch.go sumdbMismatch, with its final newline: the go command's error text ends with it.
const SUMDB_MISMATCH =
  "\n\nSECURITY ERROR\nThis download does NOT match the one reported by the checksum server.\nThe bits may have been replaced on the origin server, or an attacker may\nhave intercepted the download attempt.\n\nFor more information, see 'go help module-auth'.\n";

type SumRecord = { zipH1: string | null; modH1: string | null };

/** The checksum database as the go command would reach it through this GOPROXY: off, a record, or why not. */
type SumdbAccess = { kind: "off" } | { kind: "record"; via: string; record: SumRecord } | { kind: "error"; via: string | null; text: string };

/**
 * A failed ProbeStep as the go command's error text for `url`; `notExist` is only for 404 and 410. A probe timeout
 * counts as an error answer, though the go command sets no timeout of its own and would keep waiting.
 */
function stepError(step: ProbeStep, url: string): { notExist: boolean; text: string } {
  if (step.outcome === "not_found") return { notExist: true, text: readingError(url, step.status ?? 404, step.message) };
  if (step.outcome === "skipped") return { notExist: false, text: `mirrorlag did not probe ${url}` };
  if (step.reason === "http_status" && step.status !== null) return { notExist: false, text: readingError(url, step.status, errorBodyLine(step.message)) };
  if (step.reason === "timeout" || step.reason === "network") return { notExist: false, text: getError(url, step.message ?? step.reason) };
  return { notExist: false, text: step.message ?? `no answer from ${url}` };
}

/**
 * A step the probe did not make is predicted from the step that made it stop: the same mirror's first failed
 * file request (lib/probe asks all three at once, so this only matters for evidence recorded otherwise).
 */
function effective(input: DoctorInput, m: ProbedMirror, file: FileKind): ProbeStep & Partial<ModStep & ZipStep> {
  const own = m.probe[file];
  if (own.outcome !== "skipped") return own;
  const cause = probedFiles(input).map((f) => m.probe[f]).find((s) => s.outcome === "not_found" || s.outcome === "error");
  return cause ? { ...cause, h1: null, modulePath: null, bytes: null } : own;
}

function predictOne(input: DoctorInput, entries: readonly Entry[], goproxy: string): ChainDetail {
  const { module, version } = input;
  const mv = `${module}@${version}`;
  const dbName = input.sumdb.name ?? "sum.golang.org";
  const files: ChainDetail["files"] = { info: null, mod: null, zip: null };
  let needsDirect = false;
  let sumdbVia: string | null = null;
  const name = (e: Entry) => (e.kind === "mirror" ? e.mirror.name : "direct");
  const fail = (text: string, servedBy: string | null = null): ChainDetail => ({ goproxy, result: "fail", servedBy, error: `go: ${text}`, files, sumdbVia });

  // dbClient.initBase (modfetch/sumdb.go:143-193), run once, on the first go.mod check: try the proxies for
  // <proxy>/sumdb/<name>/supported; 200 = use that proxy only, never falling back (sumdb.go:153-156); 404/410, or any
  // error under `|`, = next; direct/off or the end of the list = the database's own URL (sumdb.go:171, 186-189);
  // any other error = the database is unavailable for this run (sumdb.go:190-191).
  let sumdb: SumdbAccess | null = null;
  const access = (): SumdbAccess => {
    if (sumdb) return sumdb;
    if (!input.sumdb.enabled) return (sumdb = { kind: "off" });
    const base = tryProxies<ProbedMirror>(entries, (e) => {
      if (e.kind === "direct") return { ok: false, notExist: true, text: "module lookup disabled by GOPROXY=off" };
      const supported = e.mirror.probe.sumdb.supported;
      if (supported.outcome === "ok") return { ok: true, value: e.mirror };
      // Not asked although verification was on: read as "does not proxy it", the answer that changes nothing.
      if (supported.outcome === "skipped") return { ok: false, notExist: true, text: `${e.mirror.name}: /sumdb/${dbName}/supported not probed` };
      return { ok: false, ...stepError(supported, mirrorSumdbUrl(e.mirror.baseUrl, dbName, "supported")) };
    });
    const lookupPath = sumdbLookupPath(module, version);
    if (base.ok) {
      const m = base.value;
      const lookup = m.probe.sumdb;
      if (lookup.outcome === "ok") return (sumdb = { kind: "record", via: m.name, record: { zipH1: lookup.zipH1, modH1: lookup.modH1 } });
      if (lookup.outcome === "skipped" && input.sumdb.verified) {
        return (sumdb = { kind: "record", via: m.name, record: { zipH1: input.sumdb.zipH1, modH1: input.sumdb.modH1 } });
      }
      return (sumdb = { kind: "error", via: m.name, text: stepError(lookup, mirrorSumdbUrl(m.baseUrl, dbName, lookupPath)).text });
    }
    if (!base.notExist) return (sumdb = { kind: "error", via: null, text: base.text });
    const direct = input.sumdb.direct;
    if (direct.outcome === "ok" || (direct.outcome === "skipped" && input.sumdb.verified)) {
      return (sumdb = { kind: "record", via: "direct", record: { zipH1: input.sumdb.zipH1, modH1: input.sumdb.modH1 } });
    }
    if (direct.outcome === "skipped") return (sumdb = { kind: "error", via: "direct", text: input.sumdb.message ?? "the checksum database was not probed" });
    return (sumdb = { kind: "error", via: "direct", text: stepError(direct, directSumdbUrl(dbName, lookupPath)).text });
  };

  // checkModSum -> checkSumDB (modfetch/fetch.go:606-724): a lookup error fails the file ("verifying go.mod: <lookup
  // error>", the lookup error prefixed "M@V/go.mod: " by sumdb.Client.Lookup); a record line with another hash is a
  // mismatch; no line for this file is accepted. GOSUMDB=off skips all of it (useSumDB, sumdb.go:35).
  const verify = (file: "mod" | "zip", h1: string | null, fromOrigin = false): Attempt<null> => {
    const a = access();
    if (a.kind === "off") return { ok: true, value: null };
    sumdbVia = a.via;
    const noun = file === "mod" ? "go.mod" : "module";
    if (a.kind === "error") return { ok: false, notExist: false, text: `${mv}: verifying ${noun}: ${mv}${file === "mod" ? "/go.mod" : ""}: ${a.text}` };
    const recorded = file === "mod" ? a.record.modH1 : a.record.zipH1;
    if (fromOrigin || recorded === null || (h1 !== null && h1 === recorded)) return { ok: true, value: null };
    return {
      ok: false,
      notExist: false,
      text: `${mv}: verifying ${noun}: checksum mismatch\n\tdownloaded: ${h1 ?? "h1:?"}\n\t${dbName}: ${recorded}${SUMDB_MISMATCH}`,
    };
  };

  // 1. .info. A 200 that is not the version asked for, or not JSON, is an error of that proxy (proxy.go Stat:361-381).
  const info = tryProxies<null>(entries, (e) => {
    if (e.kind === "direct") return { ok: true, value: null };
    const step = effective(input, e.mirror, "info");
    if (step.outcome === "ok") return { ok: true, value: null };
    const url = proxyFileUrl(e.mirror.baseUrl, module, version, "info");
    if (step.outcome === "error" && step.reason === "malformed") {
      const other = /returned info for version (\S+) instead of requested version/.exec(step.message ?? "");
      // encoding/json's words for an HTML page (it starts with "<"); other defects keep the probe's words.
      const json = /HTML page/.test(step.message ?? "") ? "invalid character '<' looking for beginning of value" : (step.message ?? "malformed");
      const why = other ? `proxy returned info for version ${other[1]} instead of requested version` : `invalid response from proxy "${proxyBase(e.mirror.baseUrl)}": ${json}`;
      return { ok: false, notExist: false, text: `${mv}: ${why}` };
    }
    return { ok: false, ...prefixed(mv, stepError(step, url)) };
  });
  if (!info.ok) return fail(info.text);
  files.info = name(info.entry);
  needsDirect ||= info.entry.kind === "direct";

  // 2. .mod, verified inside the callback: under `|` a go.mod mismatch or a failed lookup moves on to the next proxy
  // (whose go.mod is checked against the same cached lookup). proxyRepo.GoMod keeps any 200 body (proxy.go:398-412),
  // so an unparsable go.mod is still hashed and verified.
  const mod = tryProxies<null>(entries, (e) => {
    // From the origin the go.mod is the one the record was made from; only the lookup itself can fail.
    if (e.kind === "direct") return verify("mod", null, true);
    const step = effective(input, e.mirror, "mod");
    if (step.outcome === "ok" || (step.outcome === "error" && step.reason === "malformed")) return verify("mod", step.h1 ?? null);
    return { ok: false, ...prefixed(mv, stepError(step, proxyFileUrl(e.mirror.baseUrl, module, version, "mod"))) };
  });
  if (!mod.ok) return fail(mod.text);
  files.mod = name(mod.entry);
  needsDirect ||= mod.entry.kind === "direct";
  // A zip-less probe predicts what it asked: .info, .mod and the checksum database; files.zip stays null.
  if (!input.zip) {
    const modServer = mod.entry.kind === "mirror" ? mod.entry.mirror.name : null;
    return { goproxy, result: needsDirect ? "needs_direct" : "ok", servedBy: modServer, error: null, files, sumdbVia };
  }

  // 3. .zip: the fetch falls through like any file; a 200 that is not a zip, or a zip over 500 MiB (proxy.go:430-439:
  // "downloaded zip file too large", inside TryProxies), and the hash check after TryProxies never do.
  const zip = tryProxies<{ h1: string | null; broken: string | null }>(entries, (e) => {
    if (e.kind === "direct") return { ok: true, value: { h1: null, broken: null } };
    const step = effective(input, e.mirror, "zip");
    if (step.outcome === "ok") return { ok: true, value: { h1: step.h1 ?? null, broken: null } };
    if (step.outcome === "error" && step.reason === "malformed") return { ok: true, value: { h1: null, broken: step.message } };
    if (step.outcome === "error" && step.reason === "too_large") return { ok: false, notExist: false, text: `${mv}: downloaded zip file too large` };
    return { ok: false, ...prefixed(mv, stepError(step, proxyFileUrl(e.mirror.baseUrl, module, version, "zip"))) };
  });
  if (!zip.ok) return fail(zip.text);
  files.zip = name(zip.entry);
  const servedBy = zip.entry.kind === "mirror" ? zip.entry.mirror.name : null;
  if (zip.entry.kind === "direct") {
    needsDirect = true;
  } else {
    // archive/zip's own error for a body that is not a zip (fetch.go:290); other defects keep the probe's words.
    if (zip.value.broken !== null) return fail(/HTML|not a valid/i.test(zip.value.broken) ? "zip: not a valid zip file" : zip.value.broken, servedBy);
    const checked = verify("zip", zip.value.h1);
    if (!checked.ok) return fail(checked.text, servedBy);
  }
  // The origin is out of reach from here: a chain that needs it is never reported as a success.
  return { goproxy, result: needsDirect ? "needs_direct" : "ok", servedBy, error: null, files, sumdbVia };
}

function prefixed(mv: string, e: { notExist: boolean; text: string }): { notExist: boolean; text: string } {
  // proxyRepo.versionError wraps every proxy error in a ModuleError: "M@V: <error>" (proxy.go:235-252).
  return { notExist: e.notExist, text: `${mv}: ${e.text}` };
}

/**
 * The GOPROXY values worth comparing: each mirror alone, each ordered pair joined by `,` and by `|`, each of those
 * also followed by `,direct`. The value is what a user exports: the configured base URLs and the separators.
 * "servedBy" is the mirror whose `.zip` answer the go command takes (the module's bytes); null when the command
 * stops before that, or the zip would come from the origin. For a zip-less probe (input.zip false) the prediction
 * stops after the .mod: "servedBy" is the mirror whose `.mod` the go command takes, and files.zip is null.
 */
export function predictChainDetails(input: DoctorInput): ChainDetail[] {
  const out: ChainDetail[] = [];
  const run = (parts: { mirror: ProbedMirror; sep: "," | "|" }[], direct: boolean) => {
    // An entry falls back on any error when the separator after it is `|` (proxy.go:71-74); the last never is.
    const entries: Entry[] = parts.map((p) => ({ kind: "mirror", mirror: p.mirror, fallBackOnError: p.sep === "|" }));
    let goproxy = parts.map((p, i) => (i < parts.length - 1 ? p.mirror.baseUrl + p.sep : p.mirror.baseUrl)).join("");
    if (direct) {
      entries.push({ kind: "direct" });
      goproxy += ",direct";
    }
    out.push(predictOne(input, entries, goproxy));
  };
  for (const a of input.mirrors) {
    run([{ mirror: a, sep: "," }], false);
    run([{ mirror: a, sep: "," }], true);
  }
  for (const a of input.mirrors) {
    for (const b of input.mirrors) {
      if (a === b) continue;
      for (const sep of [",", "|"] as const) {
        run([{ mirror: a, sep }, { mirror: b, sep: "," }], false);
        run([{ mirror: a, sep }, { mirror: b, sep: "," }], true);
      }
    }
  }
  return out;
}

export function predictChains(input: DoctorInput): ChainPrediction[] {
  return predictChainDetails(input);
}
