// HTTP client for one Go module proxy mirror (GOPROXY protocol, see docs/goproxy-facts.md §1).
//
// Every method resolves to an Outcome and never rejects for anything the mirror does: timeouts,
// resets, oversized or malformed bodies all become `{ outcome: "error" }`. The only rejections are
// programming errors by the caller: an invalid module path or version (from escapeModulePath /
// escapeVersion) or an invalid baseUrl (thrown synchronously by createMirrorClient).
//
// Decisions, so callers can rely on them:
// - URLs: escaped path and version, `!` sent as %21 (what the go command puts on the wire).
// - Only 200 is success; 404/410 are not_found, carrying the text/plain body the way the go command
//   prints it (≤ 8 lines, stops at a blank line, "[Truncated: …]" marker); any other status is http_status.
// - list: an HTML body is malformed; otherwise always ok, with `invalidLines` = non-blank lines that
//   yield no version (invalid semver or pseudo-version), since the go command silently ignores them.
// - mod: malformed if not UTF-8, HTML, or parseGoMod finds no module line AND the text has no line
//   starting with a go.mod directive (see looksLikeGoMod). A module-less but go.mod-like file is ok.
// - info: malformed if HTML, parseInfo throws, or the answer names another version than a canonical
//   one that was asked for (the go command rejects that too).
// - Timeout (AbortController) covers connect, headers and the whole body; caps are enforced while
//   streaming; latency is request start to body complete.
// - Redirects are followed hop by hop as the go command does (at most 10, never https to http), never into
//   loopback, link-local or private addresses unless the mirror itself is on one (redirects.ts); a refusal is a
//   network error, and an answer that came through a redirect says where from (`finalUrl`).

import { mkdtemp, open, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseGoMod } from "./gomod";
import { hashGoMod } from "./hash";
import { hashModuleZipFile } from "./zip-file";
import { parseInfo } from "./info";
import type { VersionInfo } from "./info";
import { checkModuleVersion, escapeModulePath, escapeVersion } from "./module-path";
import { canonicalModuleVersion } from "./semver";
import { parseVersionListDetailed } from "./version-list";
import { REDIRECT_STATUSES, isNonPublicOrigin, refuseRedirect, resolveWithDns } from "./redirects";
import type { ResolveHost } from "./redirects";

export type MirrorClientOptions = {
  baseUrl: string;
  timeoutMs: number;
  /** Sends `Disable-Module-Fetch: true` so the mirror answers from its cache only (a probe must not cause the pickup it measures). */
  passive?: boolean;
  fetch?: typeof fetch;
  /** Cap for list/mod/info/latest bodies; default 4 MiB. */
  maxTextBytes?: number;
  /** Cap for zip bodies; default 500 MiB (the go command's own zip limit). */
  maxZipBytes?: number;
  /** Timeout of a zip download (connect to last byte); default timeoutMs. */
  zipTimeoutMs?: number;
  /** Where zips are streamed to while they are checked and hashed; default os.tmpdir(). */
  tmpDir?: string;
  /** Clock for latency; default performance.now. Called exactly twice per request (start, end). */
  now?: () => number;
  /**
   * Awaited before each request, before its timeout and latency clocks start (a per-mirror rate cap's queue:
   * waiting there is not the mirror being slow). If it rejects, the request is not sent.
   */
  beforeRequest?: () => Promise<void>;
  /** Host name → addresses, to refuse redirects into non-public networks; default DNS. */
  resolveHost?: ResolveHost;
};

export type CacheHeaders = { cacheControl: string | null; age: number | null };

/** `finalUrl`: where the answer came from when the mirror redirected (absent when it answered itself). */
export type OkOutcome<T> = { outcome: "ok"; status: number; latencyMs: number; headers: CacheHeaders; data: T; finalUrl?: string };

export type NotFoundOutcome = {
  outcome: "not_found";
  status: 404 | 410;
  latencyMs: number;
  headers: CacheHeaders;
  /** The text/plain body as the go command prints it after "server response:" (lines joined by "\n"), else null. */
  message: string | null;
  finalUrl?: string;
};

export type ErrorReason = "timeout" | "network" | "http_status" | "too_large" | "malformed";

export type ErrorOutcome = {
  outcome: "error";
  status: number | null;
  latencyMs: number;
  headers: CacheHeaders | null;
  reason: ErrorReason;
  message: string;
  finalUrl?: string;
};

export type Outcome<T> = OkOutcome<T> | NotFoundOutcome | ErrorOutcome;

export type ListData = { versions: string[]; raw: string; invalidLines: number };
export type ModData = { text: string; h1: string; parsed: ReturnType<typeof parseGoMod> };
export type ZipData = { h1: string; bytes: number };

export type MirrorClient = {
  readonly baseUrl: string;
  readonly passive: boolean;
  list(module: string): Promise<Outcome<ListData>>;
  latest(module: string): Promise<Outcome<VersionInfo>>;
  info(module: string, version: string): Promise<Outcome<VersionInfo>>;
  mod(module: string, version: string): Promise<Outcome<ModData>>;
  zip(module: string, version: string): Promise<Outcome<ZipData>>;
  /**
   * Any other path under the base URL (already escaped, no leading slash), answered as raw bytes under the text
   * cap: the checksum-database endpoints (`sumdb/<name>/supported`, `lookup/M@V`, `tile/8/0/000`).
   */
  raw(relPath: string): Promise<Outcome<Uint8Array>>;
};

const MiB = 1024 * 1024;
export const DEFAULT_MAX_TEXT_BYTES = 4 * MiB;
export const DEFAULT_MAX_ZIP_BYTES = 500 * MiB;
// Error bodies are only read for their first lines; no need to download a 500 MiB 404 page.
const ERROR_BODY_CAP = 64 * 1024;
// Same limits as cmd/go/internal/web (maxErrorDetailLines, maxErrorDetailBytes).
const MAX_ERROR_DETAIL_LINES = 8;
const MAX_ERROR_DETAIL_BYTES = MAX_ERROR_DETAIL_LINES * 81;

type Fetched =
  // With `toFile`, `body` is empty: the bytes are in the file, `size` of them.
  | { outcome: "body"; status: number; latencyMs: number; headers: CacheHeaders; contentType: string | null; body: Uint8Array; size: number; finalUrl?: string }
  | NotFoundOutcome
  | ErrorOutcome;

export function createMirrorClient(opts: MirrorClientOptions): MirrorClient {
  // Validate eagerly: a bad base URL is a configuration error, not a mirror failure.
  const parsedBase = new URL(opts.baseUrl);
  if (parsedBase.protocol !== "http:" && parsedBase.protocol !== "https:") {
    throw new Error(`mirror base URL must be http(s): ${opts.baseUrl}`);
  }
  if (parsedBase.search !== "" || parsedBase.hash !== "") {
    throw new Error(`mirror base URL must not have a query or fragment: ${opts.baseUrl}`);
  }
  if (!(opts.timeoutMs > 0)) throw new Error(`timeoutMs must be positive, got ${opts.timeoutMs}`);
  // Joined as strings, like the go command's web.Join, so a path prefix such as /cached-only is kept.
  const base = parsedBase.href.replace(/\/+$/, "");
  const fetchImpl = opts.fetch ?? globalThis.fetch;
  const now = opts.now ?? (() => performance.now());
  const maxText = opts.maxTextBytes ?? DEFAULT_MAX_TEXT_BYTES;
  const maxZip = opts.maxZipBytes ?? DEFAULT_MAX_ZIP_BYTES;
  const passive = opts.passive === true;
  const requestTimeoutMs = opts.timeoutMs;
  const zipTimeoutMs = opts.zipTimeoutMs ?? requestTimeoutMs;
  if (!(zipTimeoutMs > 0)) throw new Error(`zipTimeoutMs must be positive, got ${zipTimeoutMs}`);
  const resolveHost = opts.resolveHost ?? resolveWithDns;
  // Asked once, on the first redirect: a mirror on a non-public address (the simulator) may redirect within it.
  let originNonPublic: Promise<boolean> | null = null;
  const tmpDir = opts.tmpDir ?? tmpdir();

  async function get(relPath: string, cap: number, request: { toFile?: string; timeoutMs?: number } = {}): Promise<Fetched> {
    const timeoutMs = request.timeoutMs ?? requestTimeoutMs;
    const url = `${base}/${relPath}`;
    if (opts.beforeRequest) {
      try {
        await opts.beforeRequest();
      } catch (err) {
        return { outcome: "error", status: null, latencyMs: 0, headers: null, reason: "network", message: `not sent: ${err instanceof Error ? err.message : String(err)}` };
      }
    }
    const controller = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort(new Error(`timed out after ${timeoutMs} ms`));
    }, timeoutMs);
    const requestHeaders: Record<string, string> = {};
    if (passive) requestHeaders["Disable-Module-Fetch"] = "true";
    const start = now();
    const elapsed = () => Math.max(0, now() - start);
    let status: number | null = null;
    let cache: CacheHeaders | null = null;
    let received = 0;
    let expected: number | null = null;
    let finalUrl: string | undefined;
    const fail = (reason: ErrorReason, message: string): ErrorOutcome => ({
      outcome: "error",
      status,
      latencyMs: elapsed(),
      headers: cache,
      reason,
      message,
      ...(finalUrl === undefined ? {} : { finalUrl }),
    });
    const where = () => (finalUrl === undefined ? {} : { finalUrl });
    const failFromThrown = (err: unknown, phase: "headers" | "body"): ErrorOutcome => {
      if (timedOut) {
        const where = phase === "headers" ? "waiting for response headers" : `reading the body (${received} bytes received)`;
        return fail("timeout", `timed out after ${timeoutMs} ms ${where}`);
      }
      const { reason, text } = describeNetworkError(err);
      if (phase === "headers") return fail(reason, text);
      const of = expected !== null ? ` of ${expected}` : "";
      return fail(reason, `body truncated after ${received}${of} bytes: ${text}`);
    };

    try {
      let res: Response;
      const origin = new URL(url);
      let current = origin;
      // Redirects one hop at a time, so each is judged before it is followed (see redirects.ts).
      for (let hops = 0; ; hops++) {
        try {
          res = await fetchImpl(current.href, { method: "GET", headers: requestHeaders, signal: controller.signal, redirect: "manual" });
        } catch (err) {
          return failFromThrown(err, "headers");
        }
        const location = REDIRECT_STATUSES.has(res.status) ? res.headers.get("location") : null;
        if (location === null) break;
        await res.body?.cancel().catch(() => undefined);
        let next: URL;
        try {
          next = new URL(location, current);
        } catch {
          status = res.status;
          return fail("http_status", `HTTP ${res.status}: redirected to an invalid URL ${JSON.stringify(location.slice(0, 200))}`);
        }
        originNonPublic ??= isNonPublicOrigin(origin, resolveHost);
        const refusal = await refuseRedirect(origin, current, next, hops, { allowNonPublic: await originNonPublic, resolveHost });
        if (refusal !== null) {
          status = res.status;
          return fail("network", refusal);
        }
        current = next;
        finalUrl = next.href;
      }
      status = res.status;
      cache = readCacheHeaders(res.headers);
      const contentType = res.headers.get("content-type");
      const encoded = isContentEncoded(res.headers);
      expected = encoded ? null : parseContentLength(res.headers.get("content-length"));

      if (status !== 200) {
        // The status is the verdict here; a body that breaks or stalls only shortens the message.
        const read = await readCapped(res, ERROR_BODY_CAP, true, null, (n) => (received = n));
        const bytes = read.kind === "ok" ? read.bytes : read.kind === "error" ? read.partial : new Uint8Array(0);
        if (status === 404 || status === 410) {
          return {
            outcome: "not_found",
            status,
            latencyMs: elapsed(),
            headers: cache,
            message: mediaType(contentType) === "text/plain" ? formatErrorDetail(bytes) : null,
            ...where(),
          };
        }
        const line = firstLine(bytes, contentType);
        return fail("http_status", line === null ? `HTTP ${status}` : `HTTP ${status}: ${line}`);
      }

      // Refuse before downloading when the server announces an oversized body. With a
      // content-encoding the length is the compressed size, which the decoded body can only exceed.
      const announced = parseContentLength(res.headers.get("content-length"));
      if (announced !== null && announced > cap) {
        controller.abort(new Error("response too large"));
        return fail("too_large", `response larger than ${formatBytes(cap)} (Content-Length: ${announced})`);
      }
      if (request.toFile !== undefined) {
        const written = await streamToFile(res, cap, request.toFile, (n) => (received = n));
        if (written.kind === "too_large") {
          controller.abort(new Error("response too large"));
          return fail("too_large", `response larger than ${formatBytes(cap)}`);
        }
        if (written.kind === "error") return failFromThrown(written.error, "body");
        if (expected !== null && written.bytes < expected) return fail("network", `body truncated after ${written.bytes} of ${expected} bytes`);
        return { outcome: "body", status, latencyMs: elapsed(), headers: cache, contentType, body: new Uint8Array(0), size: written.bytes, ...where() };
      }
      const read = await readCapped(res, cap, false, expected, (n) => (received = n));
      if (read.kind === "too_large") {
        controller.abort(new Error("response too large"));
        return fail("too_large", `response larger than ${formatBytes(cap)}`);
      }
      if (read.kind === "error") return failFromThrown(read.error, "body");
      // undici already rejects a short body; this guards injected fetch implementations.
      if (expected !== null && read.bytes.byteLength < expected) {
        return fail("network", `body truncated after ${read.bytes.byteLength} of ${expected} bytes`);
      }
      return { outcome: "body", status, latencyMs: elapsed(), headers: cache, contentType, body: read.bytes, size: read.bytes.byteLength, ...where() };
    } catch (err) {
      // Defensive: nothing above should throw, but a mirror must never make this client reject.
      return failFromThrown(err, status === null ? "headers" : "body");
    } finally {
      clearTimeout(timer);
    }
  }

  const modulePrefix = (module: string) => `${wirePath(escapeModulePath(module))}/`;
  const versionFile = (module: string, version: string, ext: string) =>
    `${modulePrefix(module)}@v/${wirePath(escapeVersion(version))}.${ext}`;

  async function getInfo(relPath: string, label: string, module: string, requested: string | null): Promise<Outcome<VersionInfo>> {
    const r = await get(relPath, maxText);
    if (r.outcome !== "body") return r;
    const text = decodeLoose(r.body);
    if (looksLikeHtml(r.contentType, text)) return malformed(r, `expected ${label} JSON but got an HTML page`);
    let info: VersionInfo;
    try {
      info = parseInfo(text);
    } catch (err) {
      // parseInfo's messages start "invalid info JSON: "; say it once, with which answer it was.
      return malformed(r, `malformed ${label} JSON: ${errorMessage(err).replace(/^invalid info JSON: /, "")}`);
    }
    // The go command rejects an .info for another version than the canonical one it asked for (proxy.go Stat).
    if (requested !== null && info.version !== requested && isCheckedCanonical(module, requested)) {
      return malformed(r, `mirror returned info for version ${info.version} instead of requested version ${requested}`);
    }
    return ok(r, { version: info.version, time: info.time });
  }

  return {
    baseUrl: base,
    passive,

    async list(module) {
      const r = await get(`${modulePrefix(module)}@v/list`, maxText);
      if (r.outcome !== "body") return r;
      // Not fatal on bad UTF-8: the go command splits bytes and drops lines that are not valid semver.
      const raw = decodeLoose(r.body);
      if (looksLikeHtml(r.contentType, raw)) return malformed(r, "expected a version list but got an HTML page");
      return ok(r, { ...parseVersionListDetailed(raw), raw });
    },

    latest(module) {
      return getInfo(`${modulePrefix(module)}@latest`, "@latest", module, null);
    },

    info(module, version) {
      return getInfo(versionFile(module, version, "info"), ".info", module, version);
    },

    async mod(module, version) {
      const r = await get(versionFile(module, version, "mod"), maxText);
      if (r.outcome !== "body") return r;
      let text: string;
      try {
        text = new TextDecoder("utf-8", { fatal: true }).decode(r.body);
      } catch {
        return malformed(r, "go.mod is not valid UTF-8");
      }
      if (looksLikeHtml(r.contentType, text)) return malformed(r, "expected a go.mod but got an HTML page");
      let parsed: ReturnType<typeof parseGoMod>;
      try {
        parsed = parseGoMod(text);
      } catch (err) {
        // parseGoMod is meant to be lenient; if it still throws, the mirror's bytes are to blame.
        return malformed(r, `unparseable go.mod: ${errorMessage(err)}`);
      }
      if (parsed.module === null && !looksLikeGoMod(text)) {
        return malformed(r, `expected a go.mod but got: ${preview(text)}`);
      }
      // Hash the bytes as served: that is what go.sum records.
      return ok(r, { text, h1: hashGoMod(r.body), parsed });
    },

    async raw(relPath) {
      const r = await get(relPath.replace(/^\/+/, ""), maxText);
      if (r.outcome !== "body") return r;
      return ok(r, r.body);
    },

    async zip(module, version) {
      // Streamed to a private temporary file and hashed from there: a zip is never held whole in memory.
      const dir = await mkdtemp(join(tmpDir, "mirrorlag-zip-"));
      const file = join(dir, "module.zip");
      try {
        const r = await get(versionFile(module, version, "zip"), maxZip, { toFile: file, timeoutMs: zipTimeoutMs });
        if (r.outcome !== "body") return r;
        try {
          const hashed = await hashModuleZipFile(file, module, version);
          return ok(r, { h1: hashed.h1, bytes: r.size });
        } catch (err) {
          const head = await readHead(file, 1024);
          const html = looksLikeHtml(r.contentType, decodeLoose(head));
          return malformed(r, html ? "expected a zip but got an HTML page" : `not a valid module zip: ${errorMessage(err)}`);
        }
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    },
  };
}

async function readHead(file: string, bytes: number): Promise<Uint8Array> {
  const handle = await open(file, "r");
  try {
    const buf = Buffer.alloc(bytes);
    const { bytesRead } = await handle.read(buf, 0, bytes, 0);
    return buf.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}

type FileWrite = { kind: "ok"; bytes: number } | { kind: "too_large" } | { kind: "error"; error: unknown };

// Writes the body to `path` as it arrives, stopping at `cap`; each chunk is written before the next is read,
// so a fast mirror cannot pile a zip up in memory while the disk catches up.
async function streamToFile(res: Response, cap: number, path: string, progress: (n: number) => void): Promise<FileWrite> {
  const handle = await open(path, "wx", 0o600);
  let total = 0;
  try {
    if (res.body === null) return { kind: "ok", bytes: 0 };
    const reader = res.body.getReader();
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        if (value.byteLength === 0) continue;
        total += value.byteLength;
        progress(total);
        if (total > cap) {
          void reader.cancel().catch(() => undefined);
          return { kind: "too_large" };
        }
        await handle.write(value);
      }
    } catch (error) {
      return { kind: "error", error };
    }
    return { kind: "ok", bytes: total };
  } finally {
    await handle.close();
  }
}

function ok<T>(r: Extract<Fetched, { outcome: "body" }>, data: T): OkOutcome<T> {
  return { outcome: "ok", status: r.status, latencyMs: r.latencyMs, headers: r.headers, data, ...(r.finalUrl === undefined ? {} : { finalUrl: r.finalUrl }) };
}

function malformed(r: Extract<Fetched, { outcome: "body" }>, message: string): ErrorOutcome {
  return { outcome: "error", status: r.status, latencyMs: r.latencyMs, headers: r.headers, reason: "malformed", message, ...(r.finalUrl === undefined ? {} : { finalUrl: r.finalUrl }) };
}

type ReadResult =
  | { kind: "ok"; bytes: Uint8Array }
  | { kind: "too_large" }
  | { kind: "error"; error: unknown; partial: Uint8Array };

// Streams the body, stopping as soon as it would exceed `cap` so nothing beyond the cap is buffered.
// With `truncate` the first `cap` bytes are kept (error bodies); otherwise exceeding is "too_large".
// `sizeHint` (a trusted Content-Length within the cap) lets a large zip land in one buffer
// instead of chunks plus a concatenated copy, halving peak memory.
async function readCapped(
  res: Response,
  cap: number,
  truncate: boolean,
  sizeHint: number | null,
  progress: (n: number) => void,
): Promise<ReadResult> {
  const body = res.body;
  if (body === null) return { kind: "ok", bytes: new Uint8Array(0) };
  const reader = body.getReader();
  let chunks: Uint8Array[] = [];
  let prealloc = sizeHint !== null && sizeHint > 0 && sizeHint <= cap ? new Uint8Array(sizeHint) : null;
  let total = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      if (value.byteLength === 0) continue;
      if (total + value.byteLength > cap) {
        if (truncate) {
          if (prealloc !== null) chunks = [prealloc.subarray(0, total)];
          chunks.push(value.subarray(0, cap - total));
          total = cap;
        } else {
          total += value.byteLength;
        }
        progress(total);
        void reader.cancel().catch(() => undefined);
        if (truncate) return { kind: "ok", bytes: concat(chunks, total) };
        return { kind: "too_large" };
      }
      if (prealloc !== null && total + value.byteLength > prealloc.byteLength) {
        // More than announced: fall back to chunks (undici would normally have failed already).
        chunks = [prealloc.subarray(0, total)];
        prealloc = null;
      }
      if (prealloc !== null) prealloc.set(value, total);
      else chunks.push(value);
      total += value.byteLength;
      progress(total);
    }
  } catch (error) {
    const partial = prealloc !== null ? prealloc.subarray(0, total) : concat(chunks, total);
    return { kind: "error", error, partial };
  }
  if (prealloc !== null) return { kind: "ok", bytes: prealloc.subarray(0, total) };
  return { kind: "ok", bytes: concat(chunks, total) };
}

function concat(chunks: Uint8Array[], total: number): Uint8Array {
  if (chunks.length === 1 && chunks[0] !== undefined) return chunks[0];
  const out = new Uint8Array(total);
  let offset = 0;
  for (const c of chunks) {
    out.set(c, offset);
    offset += c.byteLength;
  }
  return out;
}

// Like Go's url.PathEscape applied per segment: `!` goes out as %21, as the go command sends it.
export function wirePath(escaped: string): string {
  return escaped.replace(/[^A-Za-z0-9\-._~/$&+=:@]/g, (ch) =>
    Array.from(new TextEncoder().encode(ch), (b) => `%${b.toString(16).toUpperCase().padStart(2, "0")}`).join(""),
  );
}

function readCacheHeaders(h: Headers): CacheHeaders {
  const ageText = h.get("age");
  // Age is delta-seconds (RFC 9111 §5.1); take the first value if a CDN chain repeated it.
  const first = ageText?.split(",")[0]?.trim() ?? "";
  const age = /^\d+$/.test(first) ? Number.parseInt(first, 10) : null;
  return { cacheControl: h.get("cache-control"), age: age !== null && Number.isSafeInteger(age) ? age : null };
}

function parseContentLength(v: string | null): number | null {
  if (v === null || !/^\s*\d+\s*$/.test(v)) return null;
  const n = Number.parseInt(v, 10);
  return Number.isSafeInteger(n) ? n : null;
}

function isContentEncoded(h: Headers): boolean {
  const enc = h.get("content-encoding");
  return enc !== null && enc.trim() !== "" && enc.trim().toLowerCase() !== "identity";
}

function mediaType(contentType: string | null): string | null {
  if (contentType === null) return null;
  return (contentType.split(";")[0] ?? "").trim().toLowerCase();
}

function decodeLoose(bytes: Uint8Array): string {
  return new TextDecoder("utf-8").decode(bytes);
}

export function looksLikeHtml(contentType: string | null, text: string): boolean {
  const mt = mediaType(contentType);
  if (mt === "text/html" || mt === "application/xhtml+xml") return true;
  // \s also covers a BOM; CDN error pages often come with a wrong or missing Content-Type.
  return /^\s*<(?:!doctype|html)[\s>]/i.test(text.slice(0, 1024));
}

const GO_MOD_VERBS = new Set(["module", "go", "toolchain", "godebug", "require", "replace", "exclude", "retract", "tool", "ignore"]);

// "Looks like a go.mod" = at least one line starts with a go.mod directive and there are no
// control characters. Used only when parseGoMod found no module line (proxies always serve one).
export function looksLikeGoMod(text: string): boolean {
  if (/[\u0000-\u0008\u000e-\u001f\u007f]/.test(text)) return false;
  const meaningful = text
    .split("\n")
    .map((l) => l.replace(/\/\/.*$/, "").trim())
    .filter((l) => l !== "");
  // An empty or comment-only file is a (useless) go.mod, not garbage.
  if (meaningful.length === 0) return true;
  return meaningful.some((l) => GO_MOD_VERBS.has(l.split(/[\s(]/)[0] ?? ""));
}

// proxy.go Stat: `rev == module.CanonicalVersion(rev) && module.Check(path, rev) == nil`; a query such
// as a branch name or "v1.2" may legitimately resolve to another version.
function isCheckedCanonical(module: string, v: string): boolean {
  if (canonicalModuleVersion(v) !== v) return false;
  try {
    checkModuleVersion(module, v);
    return true;
  } catch {
    return false;
  }
}

// Port of cmd/go/internal/web formatErrorDetail, lines joined with "\n" (the go command adds a tab).
export function formatErrorDetail(bytes: Uint8Array): string | null {
  let s: string;
  try {
    // stream: an incomplete UTF-8 sequence at the end of a capped read is not an error.
    s = new TextDecoder("utf-8", { fatal: true }).decode(bytes, { stream: true });
  } catch {
    return null;
  }
  // The go command only buffers the first maxErrorDetailLines+1 lines, so only those are vetted.
  const lines = s.split("\n").slice(0, MAX_ERROR_DETAIL_LINES + 1);
  const head = lines.join("\n");
  if (/[\p{Cc}\p{Cf}\p{Co}\p{Cn}]/u.test(head.replace(/[\t\n\v\f\r\u0085]/g, ""))) return null;
  const out: string[] = [];
  let len = 0;
  const enc = new TextEncoder();
  for (const [i, rawLine] of lines.entries()) {
    const line = rawLine.trimEnd();
    if (line.trim() === "") break;
    if (i >= MAX_ERROR_DETAIL_LINES) {
      out.push("[Truncated: too many lines.]");
      break;
    }
    const sep = i > 0 ? 2 : 0;
    const lineBytes = enc.encode(line).byteLength;
    if (len + sep + lineBytes > MAX_ERROR_DETAIL_BYTES) {
      out.push("[Truncated: too long.]");
      break;
    }
    len += sep + lineBytes;
    out.push(line);
  }
  return out.length === 0 ? null : out.join("\n");
}

function firstLine(bytes: Uint8Array, contentType: string | null): string | null {
  const text = decodeLoose(bytes);
  if (looksLikeHtml(contentType, text)) {
    // An HTML error page's first line is "<!DOCTYPE html>"; its title says more.
    const title = /<title[^>]*>([^<]*)<\/title>/i.exec(text)?.[1]?.trim();
    if (title) return clip(title);
  }
  const line = text.split("\n").find((l) => l.trim() !== "");
  return line === undefined ? null : clip(line.trim());
}

function clip(s: string): string {
  const clean = s.replace(/[\p{Cc}\p{Cf}]/gu, "");
  return clean.length > 200 ? `${clean.slice(0, 200)}…` : clean;
}

function preview(text: string): string {
  return JSON.stringify(clip(text.trim().split("\n")[0] ?? "").slice(0, 60));
}

function formatBytes(n: number): string {
  if (n >= MiB && n % MiB === 0) return `${n / MiB} MiB`;
  if (n >= 1024 && n % 1024 === 0) return `${n / 1024} KiB`;
  return `${n} bytes`;
}

function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

const CODE_TEXT: Record<string, string> = {
  ECONNREFUSED: "connection refused",
  ECONNRESET: "connection reset",
  ECONNABORTED: "connection aborted",
  EPIPE: "broken pipe",
  ENOTFOUND: "DNS lookup failed",
  EAI_AGAIN: "DNS lookup failed temporarily",
  EHOSTUNREACH: "host unreachable",
  ENETUNREACH: "network unreachable",
  EADDRNOTAVAIL: "address not available",
  UND_ERR_SOCKET: "connection closed by the server",
  UND_ERR_CLOSED: "connection closed",
  UND_ERR_CONNECT_TIMEOUT: "connect timed out",
  ETIMEDOUT: "connect timed out",
  UND_ERR_HEADERS_TIMEOUT: "timed out waiting for response headers",
  UND_ERR_BODY_TIMEOUT: "timed out reading the body",
  UND_ERR_RES_CONTENT_LENGTH_MISMATCH: "Content-Length mismatch",
  UND_ERR_REQ_CONTENT_LENGTH_MISMATCH: "Content-Length mismatch",
  ERR_TLS_CERT_ALTNAME_INVALID: "TLS certificate does not match the host",
  CERT_HAS_EXPIRED: "TLS certificate expired",
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: "TLS certificate not trusted",
  DEPTH_ZERO_SELF_SIGNED_CERT: "TLS certificate is self-signed",
  SELF_SIGNED_CERT_IN_CHAIN: "TLS certificate chain is self-signed",
};
const TIMEOUT_CODES = new Set(["UND_ERR_CONNECT_TIMEOUT", "ETIMEDOUT", "UND_ERR_HEADERS_TIMEOUT", "UND_ERR_BODY_TIMEOUT"]);

// fetch() wraps the real cause ("fetch failed" → cause → maybe an AggregateError of per-address
// errors); the useful part for a user is the errno-style code, so dig for the first one.
function describeNetworkError(err: unknown): { reason: ErrorReason; text: string } {
  const found = findCode(err, 0);
  if (found !== null) {
    const base = CODE_TEXT[found.code] ?? (found.code.startsWith("HPE_") ? "invalid HTTP response" : found.message);
    return { reason: TIMEOUT_CODES.has(found.code) ? "timeout" : "network", text: `${base} (${found.code})` };
  }
  const innermost = innermostMessage(err, 0);
  return { reason: "network", text: innermost === "" ? "network error" : innermost };
}

function findCode(err: unknown, depth: number): { code: string; message: string } | null {
  if (depth > 6 || typeof err !== "object" || err === null) return null;
  const e = err as { code?: unknown; message?: unknown; cause?: unknown; errors?: unknown };
  if (typeof e.code === "string" && e.code !== "") {
    return { code: e.code, message: typeof e.message === "string" ? e.message : e.code };
  }
  const fromCause = findCode(e.cause, depth + 1);
  if (fromCause !== null) return fromCause;
  if (Array.isArray(e.errors)) {
    for (const sub of e.errors) {
      const f = findCode(sub, depth + 1);
      if (f !== null) return f;
    }
  }
  return null;
}

function innermostMessage(err: unknown, depth: number): string {
  if (typeof err !== "object" || err === null) return String(err ?? "");
  const e = err as { message?: unknown; cause?: unknown };
  if (depth < 6 && e.cause !== undefined && e.cause !== null) {
    const inner = innermostMessage(e.cause, depth + 1);
    if (inner !== "") return inner;
  }
  return typeof e.message === "string" ? e.message : "";
}
