// The home search box: a module@version, a go command, or whatever the go command printed (one line or several),
// turned into the module, the version and the mirror the failing request went to. Paths and versions are checked
// with lib/goproxy, and a bad one is refused in the go command's own words.

import { canonicalModuleVersion, checkModulePath, checkModuleVersion, escapeModulePath, isValidVersion, splitPathVersion, unescapeModulePath, unescapeVersion } from "@/lib/goproxy/browser";
import type { DoctorQuery, DoctorQueryError } from "./types";

const PATH_CHARS = "A-Za-z0-9._~!%+\\-";
// module@version as a word of its own: at the start, or after a space, a quote or a bracket (not inside a URL).
const AT_TOKEN = new RegExp(`(?:^|[\\s"'\`(\\[])([${PATH_CHARS}]+(?:/[${PATH_CHARS}]+)*)@([A-Za-z0-9.+\\-!%]+(?:/go\\.mod)?)`, "g");
const DOWNLOADING = /\bdownloading\s+(\S+)\s+(v\S+)/;
const NO_MATCHING = /\bmodule\s+(\S+?):\s+no matching versions for query "([^"]+)"/;
const URL = /https?:\/\/[^\s"'<>`]+/g;

type Found = { module: string; version: string };
type FromUrl = Found & { mirrorBaseUrl: string | null };

/** Percent-decoding of what the go command escapes on the wire (%21 for "!"); malformed escapes stay as they are. */
function decode(s: string): string {
  return s.replace(/%([0-9A-Fa-f]{2})/g, (all, hex: string) => {
    const c = Number.parseInt(hex, 16);
    return c >= 0x20 && c < 0x7f ? String.fromCharCode(c) : all;
  });
}

const trimPunctuation = (s: string) => s.replace(/[.,;:)\]'"]+$/, "");

/** A path or version as written in a message or as escaped in a URL ("!burnt!sushi"), unescaped; null if neither. */
function readPath(raw: string): string | null {
  const s = decode(raw);
  if (!s.includes("!")) return s;
  try {
    return unescapeModulePath(s);
  } catch {
    return null;
  }
}

function readVersion(raw: string): string | null {
  const s = trimPunctuation(decode(raw)).replace(/\/go\.mod$/, "");
  if (!s.includes("!")) return s;
  try {
    return unescapeVersion(s);
  } catch {
    return null;
  }
}

/** A proxy file URL (`$base/$module/@v/$version.info`), @latest, @v/list, or a checksum-database lookup URL. */
function readUrl(url: string, known: string | null): FromUrl | null {
  const clean = trimPunctuation(url);
  const lookup = splitLookup(clean);
  if (lookup) {
    const [prefix, path, ver] = lookup;
    const modulePath = readPath(path);
    const version = readVersion(ver);
    if (modulePath === null || version === null) return null;
    // A mirror's proxy of the database lives at $base/sumdb/<name>; the database's own URL names no mirror.
    const sumdb = prefix.lastIndexOf("/sumdb/");
    return { module: modulePath, version, mirrorBaseUrl: sumdb >= 0 ? prefix.slice(0, sumdb) : null };
  }
  const file = /^(https?:\/\/[^/]+)((?:\/[^/]+)*?)\/@(?:v\/(.+?)\.(?:info|mod|zip)|latest|v\/list)$/.exec(clean);
  if (!file) return null;
  const [, origin = "", path = "", ver] = file;
  const version = ver === undefined ? "latest" : readVersion(ver);
  if (version === null) return null;
  const segments = path.split("/").slice(1);
  // With the module known the split is exact; else the module starts at the first segment that begins a valid
  // module path (its first element has a dot), which a mirror's own path prefix such as /goproxy does not.
  if (known !== null) {
    let escaped: string;
    try {
      escaped = escapeModulePath(known);
    } catch {
      return null;
    }
    const decoded = decode(path);
    if (decoded.endsWith(`/${escaped}`)) return { module: known, version, mirrorBaseUrl: origin + path.slice(0, path.length - encodedLength(path, escaped)) };
  }
  for (let i = 0; i < segments.length; i++) {
    try {
      const modulePath = unescapeModulePath(decode(segments.slice(i).join("/")));
      return { module: modulePath, version, mirrorBaseUrl: origin + (i === 0 ? "" : `/${segments.slice(0, i).join("/")}`) };
    } catch {
      // not a module path from here: part of the mirror's base URL
    }
  }
  return null;
}

/**
 * `<prefix>/lookup/<path>@<version>` split as /^(.*?)\/lookup\/(.+)@([^/@]+)$/ would, without its backtracking:
 * that regex took seconds on a 100 KB paste of repeated "/lookup/", and the search box parses on every keystroke.
 */
function splitLookup(url: string): [string, string, string] | null {
  const start = url.indexOf("/lookup/");
  const at = url.lastIndexOf("@");
  if (start < 0 || at <= start + "/lookup/".length) return null;
  const version = url.slice(at + 1);
  if (version === "" || version.includes("/")) return null;
  return [url.slice(0, start), url.slice(start + "/lookup/".length, at), version];
}

/** How many characters at the end of `path` spell "/" + escaped once decoded (%21 takes three, "!" one). */
function encodedLength(path: string, escaped: string): number {
  for (let n = escaped.length + 1; n <= path.length; n++) {
    if (decode(path.slice(path.length - n)) === `/${escaped}`) return n;
  }
  return path.length;
}

function fail(code: DoctorQueryError["code"], error: string): DoctorQueryError {
  return { error, code };
}

export function parseDoctorQuery(text: string): DoctorQuery | DoctorQueryError {
  const input = text.trim();
  if (input === "") return fail("empty", "Paste module@version, a go command, or the error the go command printed.");

  let found: Found | null = null;
  let foundEnd = 0;
  for (const m of input.matchAll(AT_TOKEN)) {
    const modulePath = readPath(m[1] ?? "");
    const version = readVersion(m[2] ?? "");
    if (modulePath === null || version === null || !modulePath.includes(".")) continue;
    // "A@v requires\n\tB@v: reading …" (mvs BuildListError): the error is about the last module of the chain.
    const start = m.index + m[0].length - (m[1] ?? "").length - (m[2] ?? "").length - 1;
    if (found === null || /^\s+requires\s+$/.test(input.slice(foundEnd, start))) {
      found = { module: modulePath, version };
      foundEnd = m.index + m[0].length;
    } else break;
  }
  const downloading = DOWNLOADING.exec(input);
  if (!found && downloading) found = { module: downloading[1] ?? "", version: readVersion(downloading[2] ?? "") ?? "" };
  const noMatching = NO_MATCHING.exec(input);
  if (!found && noMatching) found = { module: noMatching[1] ?? "", version: noMatching[2] ?? "" };
  // A require line or `go list -m` output: "module version".
  const pair = /^(\S+)\s+(v\S+)$/.exec(input);
  if (!found && pair && !/^go$/.test(pair[1] ?? "")) found = { module: pair[1] ?? "", version: pair[2] ?? "" };

  let mirrorBaseUrl: string | null = null;
  for (const url of input.match(URL) ?? []) {
    const fromUrl = readUrl(url, found?.module ?? null);
    if (fromUrl === null || (found !== null && fromUrl.module !== found.module)) continue;
    found ??= { module: fromUrl.module, version: fromUrl.version };
    mirrorBaseUrl = fromUrl.mirrorBaseUrl;
    break;
  }

  if (found === null) {
    const bare = /^[^\s@]+$/.test(input) && input.includes(".");
    return bare
      ? fail("not_a_version", `${input}: no version: add @vX.Y.Z or @latest`)
      : fail("no_module", "No module@version found: paste module@version, a go command, or the error the go command printed.");
  }
  const { module: modulePath, version } = found;
  try {
    checkModulePath(modulePath);
  } catch (err) {
    return fail("malformed_module_path", err instanceof Error ? err.message : String(err));
  }
  if (version === "latest") return { module: modulePath, version, mirrorBaseUrl };
  // x/mod module.Check's words for a version that is no semantic version, goproxy's for a non-canonical one.
  if (!isValidVersion(version)) return fail("not_a_version", `${modulePath}@${version}: invalid version: not a semantic version`);
  if (canonicalModuleVersion(version) !== version) return fail("invalid_version", `${modulePath}@${version}: invalid version: not a canonical version`);
  // A path without /vN may still take v2+ (as +incompatible, or the mirror explains why not): only a /vN or
  // gopkg.in .vN path fixes the major version here.
  if (splitPathVersion(modulePath).pathMajor !== "") {
    try {
      checkModuleVersion(modulePath, version);
    } catch (err) {
      return fail("invalid_version", err instanceof Error ? err.message : String(err));
    }
  }
  return { module: modulePath, version, mirrorBaseUrl };
}
