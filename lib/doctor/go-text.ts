// How the go command (go1.19, cmd/go/internal/web and modfetch) spells URLs, status lines and request errors in its
// messages, so a predicted failure reads exactly like the one a user pastes. Escaping comes from lib/goproxy.

import { escapeModulePath, escapeVersion } from "@/lib/goproxy/browser";

// net/http StatusText for the answers a proxy gives; Go prints resp.Status, which is "<code> <text>".
const STATUS_TEXT: Record<number, string> = {
  400: "Bad Request",
  401: "Unauthorized",
  402: "Payment Required",
  403: "Forbidden",
  404: "Not Found",
  405: "Method Not Allowed",
  406: "Not Acceptable",
  407: "Proxy Authentication Required",
  408: "Request Timeout",
  409: "Conflict",
  410: "Gone",
  411: "Length Required",
  412: "Precondition Failed",
  413: "Request Entity Too Large",
  414: "Request URI Too Long",
  415: "Unsupported Media Type",
  416: "Requested Range Not Satisfiable",
  417: "Expectation Failed",
  418: "I'm a teapot",
  421: "Misdirected Request",
  422: "Unprocessable Entity",
  423: "Locked",
  424: "Failed Dependency",
  425: "Too Early",
  426: "Upgrade Required",
  428: "Precondition Required",
  429: "Too Many Requests",
  431: "Request Header Fields Too Large",
  451: "Unavailable For Legal Reasons",
  500: "Internal Server Error",
  501: "Not Implemented",
  502: "Bad Gateway",
  503: "Service Unavailable",
  504: "Gateway Timeout",
  505: "HTTP Version Not Supported",
  506: "Variant Also Negotiates",
  507: "Insufficient Storage",
  508: "Loop Detected",
  510: "Not Extended",
  511: "Network Authentication Required",
};

export function statusLine(status: number): string {
  const text = STATUS_TEXT[status];
  return text ? `${status} ${text}` : `${status}`;
}

/**
 * A GOPROXY entry as the go command prints it: proxyList adds "https://" to a bare host (modfetch/proxy.go
 * proxyList), url.Redacted hides a password, and web.Join trims one trailing slash before appending a path.
 */
export function proxyBase(entry: string): string {
  let url = entry.trim();
  if (/[.:/]/.test(url) && !url.includes(":/")) url = `https://${url}`;
  url = url.replace(/^([a-z][a-z0-9+.-]*:\/\/)([^/@:]+):[^/@]*@/i, "$1$2:xxxxx@");
  return url.replace(/\/$/, "");
}

/** Whether a base URL has a path: then web.Join leaves RawPath inconsistent and url.String re-escapes `!` as %21. */
function hasPath(base: string): boolean {
  const m = /^[a-z][a-z0-9+.-]*:\/\/[^/]*(\/.*)?$/i.exec(base);
  return (m?.[1] ?? "").replace(/\/+$/, "") !== "";
}

/** `$base/$escapedModule/@v/$escapedVersion.$ext`: proxyRepo sets RawPath with url.PathEscape, so `!` is %21. */
export function proxyFileUrl(baseUrl: string, module: string, version: string, ext: "info" | "mod" | "zip"): string {
  const path = `${escapeModulePath(module)}/@v/${escapeVersion(version)}.${ext}`;
  return `${proxyBase(baseUrl)}/${path.replaceAll("!", "%21")}`;
}

/**
 * A checksum-database URL under `base` (a mirror's `/sumdb/<name>` or the database's own `https://<name>`):
 * modfetch/sumdb.go joins with web.Join, which copies the path into RawPath unescaped, so `!` stays `!` unless
 * the base itself has a path (then RawPath no longer matches Path and url.String escapes it).
 */
function sumdbUrl(base: string, rest: string, baseHasPath: boolean): string {
  return `${base}/${baseHasPath ? rest.replaceAll("!", "%21") : rest}`;
}

export function sumdbLookupPath(module: string, version: string): string {
  return `lookup/${escapeModulePath(module)}@${escapeVersion(version)}`;
}

export function mirrorSumdbUrl(baseUrl: string, dbName: string, rest: string): string {
  const base = proxyBase(baseUrl);
  return sumdbUrl(`${base}/sumdb/${dbName}`, rest, hasPath(base));
}

/** The database's own URL is https://<name> (sumdb.go dbDial); a name with a path makes it re-escaped too. */
export function directSumdbUrl(dbName: string, rest: string): string {
  const base = `https://${dbName}`;
  return sumdbUrl(base, rest, hasPath(base));
}

/**
 * web.HTTPError.Error(): `reading URL: 404 Not Found`, then the text/plain detail after "server response:" on the
 * same line when it is one line, else on its own tab-indented lines (web/api.go).
 */
export function readingError(url: string, status: number, detail: string | null): string {
  const head = `reading ${url}: ${statusLine(status)}`;
  if (detail === null || detail === "") return head;
  const lines = detail.split("\n");
  return lines.length > 1 ? `${head}\n\tserver response:\n\t${lines.join("\n\t")}` : `${head}\n\tserver response: ${detail}`;
}

/** url.Error from an HTTP client failure (no answer): `Get "URL": <cause>`. */
export function getError(url: string, cause: string): string {
  return `Get "${url}": ${cause}`;
}

/** The text after "HTTP 502: " in a probe's error message: the first line of the error body, if any. */
export function errorBodyLine(message: string | null): string | null {
  const m = /^HTTP \d{3}: (.+)$/.exec(message ?? "");
  return m?.[1] ?? null;
}
