// Module paths and their proxy-URL escaping, mirroring golang.org/x/mod/module (CheckPath,
// EscapePath, EscapeVersion, SplitPathVersion, CheckPathMajor). Error messages match x/mod's text
// so that what the dashboard shows reads like the go command. Browser-safe: no Node imports.

import { goQuote, goQuoteRune, hasLoneSurrogate } from "./go-strings";
import { isValidVersion, semverBuild, semverMajor } from "./semver";

type PathKind = "module" | "import" | "file";

const BAD_WINDOWS_NAMES = [
  "CON", "PRN", "AUX", "NUL",
  "COM1", "COM2", "COM3", "COM4", "COM5", "COM6", "COM7", "COM8", "COM9",
  "LPT1", "LPT2", "LPT3", "LPT4", "LPT5", "LPT6", "LPT7", "LPT8", "LPT9",
];

function isAsciiAlnum(r: number): boolean {
  return (r >= 0x30 && r <= 0x39) || (r >= 0x41 && r <= 0x5a) || (r >= 0x61 && r <= 0x7a);
}

// modPathOK: letters, digits and - . _ ~ ; import paths additionally allow '+'.
function modPathOK(r: number): boolean {
  return r === 0x2d || r === 0x2e || r === 0x5f || r === 0x7e || isAsciiAlnum(r);
}

function importPathOK(r: number): boolean {
  return modPathOK(r) || r === 0x2b;
}

const FILE_NAME_PUNCT = "!#$%&()+,-.=@[]^_{}~ ";

// fileNameOK: all Unicode letters, but only a safe subset of ASCII punctuation (no shell specials).
function fileNameOK(r: number): boolean {
  if (r < 0x80) return isAsciiAlnum(r) || FILE_NAME_PUNCT.includes(String.fromCharCode(r));
  return /^\p{L}$/u.test(String.fromCodePoint(r));
}

// firstPathOK: the first element is by convention a lower-case domain name.
function firstPathOK(r: number): boolean {
  return r === 0x2d || r === 0x2e || (r >= 0x30 && r <= 0x39) || (r >= 0x61 && r <= 0x7a);
}

/** x/mod checkElem: the reason an element is invalid, or null. */
function checkElem(elem: string, kind: PathKind): string | null {
  if (elem === "") return "empty path element";
  if (/^\.+$/.test(elem)) return `invalid path element ${goQuote(elem)}`;
  if (elem[0] === "." && kind === "module") return "leading dot in path element";
  if (elem[elem.length - 1] === ".") return "trailing dot in path element";
  for (const ch of elem) {
    const r = ch.codePointAt(0) ?? 0;
    const ok = kind === "module" ? modPathOK(r) : kind === "import" ? importPathOK(r) : fileNameOK(r);
    if (!ok) return `invalid char ${goQuoteRune(r)}`;
  }
  // Windows reserves these names (before the first dot, any case).
  const dot = elem.indexOf(".");
  const short = dot >= 0 ? elem.slice(0, dot) : elem;
  for (const bad of BAD_WINDOWS_NAMES) {
    if (bad.toLowerCase() === short.toLowerCase()) {
      return `${goQuote(short)} disallowed as path element component on Windows`;
    }
  }
  if (kind === "file") return null;
  // Windows short names (FOO~1) could alias other directories.
  const tilde = short.lastIndexOf("~");
  if (tilde >= 0 && tilde < short.length - 1 && /^[0-9]+$/.test(short.slice(tilde + 1))) {
    return "trailing tilde and digits in path element";
  }
  return null;
}

/** x/mod checkPath: the reason a path is invalid (without the "malformed … path" prefix), or null. */
function checkPathKind(path: string, kind: PathKind): string | null {
  if (hasLoneSurrogate(path)) return "invalid UTF-8";
  if (path === "") return "empty string";
  if (path[0] === "-" && kind !== "file") return "leading dash";
  if (path.includes("//")) return "double slash";
  if (path[path.length - 1] === "/") return "trailing slash";
  for (const elem of path.split("/")) {
    const err = checkElem(elem, kind);
    if (err !== null) return err;
  }
  return null;
}

function modulePathError(path: string): string | null {
  const err = checkPathKind(path, "module");
  if (err !== null) return err;
  let i = path.indexOf("/");
  if (i < 0) i = path.length;
  if (i === 0) return "leading slash";
  const first = path.slice(0, i);
  if (!first.includes(".")) return "missing dot in first path element";
  if (path[0] === "-") return "leading dash in first path element";
  for (const ch of first) {
    const r = ch.codePointAt(0) ?? 0;
    if (!firstPathOK(r)) return `invalid char ${goQuoteRune(r)} in first path element`;
  }
  if (!splitPathVersion(path).ok) return "invalid version";
  return null;
}

/** module.CheckPath: throws `malformed module path "p": reason` if p is not a valid module path. */
export function checkModulePath(path: string): void {
  const err = modulePathError(path);
  if (err !== null) throw new Error(`malformed module path ${goQuote(path)}: ${err}`);
}

export function isValidModulePath(path: string): boolean {
  return modulePathError(path) === null;
}

/** module.CheckImportPath (letters may be upper case, '+' allowed, first element needs no dot). */
export function checkImportPath(path: string): void {
  const err = checkPathKind(path, "import");
  if (err !== null) throw new Error(`malformed import path ${goQuote(path)}: ${err}`);
}

/** module.CheckFilePath (what may appear as a file name inside a module zip). */
export function checkFilePath(path: string): void {
  const err = checkPathKind(path, "file");
  if (err !== null) throw new Error(`malformed file path ${goQuote(path)}: ${err}`);
}

export type PathVersionSplit = { prefix: string; pathMajor: string; ok: boolean };

/**
 * module.SplitPathVersion: "x.y/z/v2" → {prefix "x.y/z", pathMajor "/v2"}; gopkg.in paths use ".vN".
 * ok is false for a final /v0, /v1, /v02, /v2.0 or a gopkg.in path without .vN.
 */
export function splitPathVersion(path: string): PathVersionSplit {
  if (path.startsWith("gopkg.in/")) return splitGopkgIn(path);
  const isDigitOrDot = (c: string | undefined) => c !== undefined && ((c >= "0" && c <= "9") || c === ".");
  let i = path.length;
  let dot = false;
  while (i > 0 && isDigitOrDot(path[i - 1])) {
    if (path[i - 1] === ".") dot = true;
    i--;
  }
  if (i <= 1 || i === path.length || path[i - 1] !== "v" || path[i - 2] !== "/") {
    return { prefix: path, pathMajor: "", ok: true };
  }
  const prefix = path.slice(0, i - 2);
  const pathMajor = path.slice(i - 2);
  if (dot || pathMajor.length <= 2 || pathMajor[2] === "0" || pathMajor === "/v1") {
    return { prefix: path, pathMajor: "", ok: false };
  }
  return { prefix, pathMajor, ok: true };
}

function splitGopkgIn(path: string): PathVersionSplit {
  let i = path.length;
  if (path.endsWith("-unstable")) i -= "-unstable".length;
  while (i > 0 && path[i - 1]! >= "0" && path[i - 1]! <= "9") i--;
  if (i <= 1 || path[i - 1] !== "v" || path[i - 2] !== ".") {
    return { prefix: path, pathMajor: "", ok: false };
  }
  const prefix = path.slice(0, i - 2);
  const pathMajor = path.slice(i - 2);
  if (pathMajor.length <= 2 || (pathMajor[2] === "0" && pathMajor !== ".v0")) {
    return { prefix: path, pathMajor: "", ok: false };
  }
  return { prefix, pathMajor, ok: true };
}

/** module.CheckPathMajor's reason ("should be v0 or v1, not v2"), or null when v fits pathMajor. */
export function pathMajorMismatch(v: string, pathMajor: string): string | null {
  if (pathMajor.startsWith(".v") && pathMajor.endsWith("-unstable")) {
    pathMajor = pathMajor.slice(0, -"-unstable".length);
  }
  // Old pseudo-versions of gopkg.in .v1 paths were generated as v0.0.0-…; x/mod still accepts them.
  if (v.startsWith("v0.0.0-") && pathMajor === ".v1") return null;
  const m = semverMajor(v);
  if (pathMajor === "") {
    if (m === "v0" || m === "v1" || semverBuild(v) === "+incompatible") return null;
    pathMajor = "v0 or v1";
  } else if (pathMajor[0] === "/" || pathMajor[0] === ".") {
    if (m === pathMajor.slice(1)) return null;
    pathMajor = pathMajor.slice(1);
  }
  return `should be ${pathMajor}, not ${m}`;
}

/** module.MatchPathMajor: whether version v matches a path's major suffix ("", "/v2", ".v1"). */
export function matchPathMajor(v: string, pathMajor: string): boolean {
  return pathMajorMismatch(v, pathMajor) === null;
}

/**
 * module.Check: a valid module path and a semantic version that matches its major suffix.
 * Throws with the go command's wording, e.g. `rsc.io/quote@v17.0.0: invalid version: should be v0 or v1, not v17`.
 */
export function checkModuleVersion(path: string, version: string): void {
  checkModulePath(path);
  if (!isValidVersion(version)) {
    throw new Error(`${path}@${version}: invalid version: not a semantic version`);
  }
  const err = pathMajorMismatch(version, splitPathVersion(path).pathMajor);
  if (err !== null) throw new Error(`${path}@${version}: invalid version: ${err}`);
}

function escapeString(s: string): string {
  for (const ch of s) {
    // CheckPath/checkElem already exclude these; x/mod diagnoses anyway because the loop below depends on it.
    if (ch === "!" || (ch.codePointAt(0) ?? 0) >= 0x80) {
      throw new Error("internal error: inconsistency in EscapePath");
    }
  }
  return s.replace(/[A-Z]/g, (c) => "!" + c.toLowerCase());
}

function unescapeString(escaped: string): string | null {
  let out = "";
  let bang = false;
  for (const ch of escaped) {
    if ((ch.codePointAt(0) ?? 0) >= 0x80) return null;
    if (bang) {
      bang = false;
      if (ch < "a" || ch > "z") return null;
      out += ch.toUpperCase();
      continue;
    }
    if (ch === "!") {
      bang = true;
      continue;
    }
    if (ch >= "A" && ch <= "Z") return null;
    out += ch;
  }
  return bang ? null : out;
}

/** module.EscapePath: validates, then each upper-case letter becomes "!" + lower case. */
export function escapeModulePath(path: string): string {
  checkModulePath(path);
  return escapeString(path);
}

/** module.UnescapePath: rejects raw upper case, "!" not followed by a–z, and invalid results. */
export function unescapeModulePath(escaped: string): string {
  const path = unescapeString(escaped);
  if (path === null) throw new Error(`invalid escaped module path ${goQuote(escaped)}`);
  const err = modulePathError(path);
  if (err !== null) {
    throw new Error(`invalid escaped module path ${goQuote(escaped)}: malformed module path ${goQuote(path)}: ${err}`);
  }
  return path;
}

/** module.EscapeVersion: the version must be a valid file-name element without "!". */
export function escapeVersion(v: string): string {
  if (checkElem(v, "file") !== null || v.includes("!")) {
    throw new Error(`version ${goQuote(v)} invalid: disallowed version string`);
  }
  return escapeString(v);
}

/** module.UnescapeVersion. */
export function unescapeVersion(escaped: string): string {
  const v = unescapeString(escaped);
  if (v === null) throw new Error(`invalid escaped version ${goQuote(escaped)}`);
  const err = checkElem(v, "file");
  if (err !== null) throw new Error(`invalid escaped version ${goQuote(v)}: ${err}`);
  return v;
}
