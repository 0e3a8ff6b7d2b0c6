// The main module's go.mod, read as `go mod download` in that module reads it: modfile.Parse (strict:
// unknown directives are errors, replace and exclude count) with the go command's version fixer
// (modload.fixVersion), then the checks modload.loadModFile makes. Sources: golang.org/x/mod
// modfile/rule.go at fe2ec04 (2026-06) and cmd/go/internal/modload (go1.19.8, checked against go1.19.8).

import { goFields, goQuote } from "./go-strings";
import { parseGoModSyntax, parseString, GO_VERSION_RE } from "./gomod";
import type { GoModBlock, GoModError, GoModLine } from "./gomod";
import { checkImportPath, pathMajorMismatch, splitPathVersion } from "./module-path";
import { canonicalModuleVersion, compareVersions } from "./semver";

export type ModuleRef = { path: string; version: string };

export type MainGoModRequire = ModuleRef & { indirect: boolean; line: number };
/** A replace directive; `old.version` null = every version; `new.version` null = a local directory. */
export type MainGoModReplace = {
  old: { path: string; version: string | null };
  new: { path: string; version: string | null };
  line: number;
};
export type MainGoModExclude = ModuleRef & { line: number };

export type MainGoMod = {
  module: string | null;
  go: string | null;
  requires: MainGoModRequire[];
  replaces: MainGoModReplace[];
  excludes: MainGoModExclude[];
  /**
   * What the go command would report, in its order; non-empty means it refuses the file. A syntax error
   * hides every later error (Go stops parsing), but the directives are still read for display.
   * Line 0 is the whole file (no module directive).
   */
  errors: GoModError[];
};

/**
 * modfile.IsDirectoryPath: replacement paths that name a directory. Unix and Windows syntaxes both
 * count because go.mod files move between systems.
 */
export function isDirectoryPath(ns: string): boolean {
  return (
    ns === "." ||
    ns.startsWith("./") ||
    ns.startsWith(".\\") ||
    ns === ".." ||
    ns.startsWith("../") ||
    ns.startsWith("..\\") ||
    ns.startsWith("/") ||
    ns.startsWith("\\") ||
    /^[A-Za-z]:/.test(ns)
  );
}

/** modfile isIndirect: the first suffix comment is exactly "indirect" or starts with "indirect;". */
export function isIndirectComment(suffix: readonly string[]): boolean {
  const first = suffix[0];
  if (first === undefined) return false;
  const f = goFields(first.startsWith("//") ? first.slice(2) : first);
  return (f.length === 1 && f[0] === "indirect") || (f.length > 1 && f[0] === "indirect;");
}

type VersionResult = { ok: true; version: string } | { ok: false; message: string };

/**
 * modfile parseVersion with modload.fixVersion as the fixer. Where the go command would run a version
 * query for a non-canonical version (v1.2, a branch name), we refuse it with x/mod's own wording for
 * a nil fixer: the query's answer depends on a proxy, and read-only commands then fail anyway with
 * "updates to go.mod needed" (go1.19.8 rewrote `require a v1.2` to the latest v1.2.x in `go mod download`).
 */
function parseVersion(verb: string, path: string, token: string): VersionResult {
  const s = parseString(token);
  if (!s.ok) return { ok: false, message: `${verb} ${path}: version ${goQuote(token)} invalid: ${s.message}` };
  const v = s.value;
  const split = splitPathVersion(path);
  if (!split.ok) {
    return { ok: false, message: `${verb} ${path}: version ${goQuote(v)} invalid: malformed module path ${goQuote(path)}` };
  }
  if (v === "" || canonicalModuleVersion(v) !== v) {
    return { ok: false, message: `${verb} ${path}: version ${goQuote(v)} invalid: must be of the form v1.2.3` };
  }
  const mismatch = pathMajorMismatch(v, split.pathMajor);
  if (mismatch !== null) return { ok: false, message: `${verb} ${path}: version ${goQuote(v)} invalid: ${mismatch}` };
  return { ok: true, version: v };
}

const versionError = (verb: string, path: string, token: string) => {
  const v = parseVersion(verb, path, token);
  return v.ok ? null : v.message;
};

/**
 * modfile parseVersionInterval for retract, with `check` as parseVersion; returns the first error.
 * `trailing` is strict mode's check for tokens after the interval.
 */
function checkRetract(args: readonly string[], check: (token: string) => string | null, trailing: boolean): string | null {
  const [first] = args;
  if (first === undefined || first === "(") return "expected '[' or version";
  let rest: readonly string[];
  if (first !== "[") {
    const e = check(first);
    if (e !== null) return e;
    rest = args.slice(1);
  } else {
    const [, low, comma, high, close] = args;
    if (low === undefined) return "expected version after '['";
    const lo = check(low);
    if (lo !== null) return lo;
    if (comma !== ",") return "expected ',' after version";
    if (high === undefined) return "expected version after ','";
    const hi = check(high);
    if (hi !== null) return hi;
    if (close !== "]") return "expected ']' after version";
    rest = args.slice(5);
  }
  return trailing && rest[0] !== undefined ? `unexpected token after version: ${goQuote(rest[0])}` : null;
}

/** parseVersion with dontFixRetract: only the quoting is checked; the Error has a verb but no path. */
function retractSyntax(token: string): string | null {
  const s = parseString(token);
  return s.ok ? null : `retract: version ${goQuote(token)} invalid: ${s.message}`;
}

/** module.Version's %v: path@version, or the bare path when there is no version. */
const showVersion = (m: { path: string; version: string | null }) => (m.version === null ? m.path : `${m.path}@${m.version}`);

/** Reads the main module's go.mod as the go command does before `go mod download` (see the file comment). */
export function parseMainGoMod(text: string): MainGoMod {
  const syntax = parseGoModSyntax(text);
  const errors: GoModError[] = [];
  const out: MainGoMod = { module: null, go: null, requires: [], replaces: [], excludes: [], errors: [] };
  let moduleLine = 0;
  let sawToolchain = false;
  const retracts: { line: number; args: string[] }[] = [];

  const add = (block: GoModBlock | null, line: GoModLine, verb: string, args: string[]) => {
    const at = line.start.line;
    const err = (message: string) => errors.push({ line: at, message });
    switch (verb) {
      case "module": {
        if (moduleLine !== 0) return err("repeated module statement");
        moduleLine = at;
        if (args.length !== 1) return err("usage: module module/path");
        const s = parseString(args[0]!);
        if (!s.ok) return err(`invalid quoted string: ${s.message}`);
        out.module = s.value;
        return;
      }
      case "go": {
        if (out.go !== null) return err("repeated go statement");
        if (args.length !== 1) return err("go directive expects exactly one argument");
        // Strict mode has no lax "1.21rc1"-style fix-up: the version must match exactly.
        if (!GO_VERSION_RE.test(args[0]!)) return err(`invalid go version '${args[0]!}': must match format 1.23.0`);
        out.go = args[0]!;
        return;
      }
      case "toolchain": {
        if (sawToolchain) return err("repeated toolchain statement");
        if (args.length !== 1) return err("toolchain directive expects exactly one argument");
        if (!/^default$|^go1($|\.)/.test(args[0]!)) {
          return err(`invalid toolchain version '${args[0]!}': must match format go1.23.0 or default`);
        }
        sawToolchain = true;
        return;
      }
      case "godebug": {
        if (args.length !== 1 || /["`',]/.test(args[0]!) || !args[0]!.includes("=")) return err("usage: godebug key=value");
        return;
      }
      case "tool":
      case "ignore": {
        if (args.length !== 1) return err(`${verb} directive expects exactly one argument`);
        const s = parseString(args[0]!);
        if (!s.ok) return err(`invalid quoted string: ${s.message}`);
        return;
      }
      case "require":
      case "exclude": {
        if (args.length !== 2) return err(`usage: ${verb} module/path v1.2.3`);
        const s = parseString(args[0]!);
        if (!s.ok) return err(`invalid quoted string: ${s.message}`);
        const v = parseVersion(verb, s.value, args[1]!);
        if (!v.ok) return err(v.message);
        if (verb === "require") {
          const suffix = line.comments.suffix.map((c) => c.token);
          out.requires.push({ path: s.value, version: v.version, indirect: isIndirectComment(suffix), line: at });
        } else {
          out.excludes.push({ path: s.value, version: v.version, line: at });
        }
        return;
      }
      case "replace": {
        const r = parseReplace(args);
        if (typeof r === "string") return err(r);
        out.replaces.push({ ...r, line: at });
        return;
      }
      case "retract": {
        // Versions are checked against the module path only after the whole file is read
        // (fixRetract, below), because the module directive may come last.
        const e = checkRetract(args, retractSyntax, true);
        if (e !== null) return err(e);
        retracts.push({ line: at, args });
        return;
      }
      default:
        return err(`unknown directive: ${verb}`);
    }
  };

  for (const stmt of syntax.stmts) {
    if (stmt.kind === "line") {
      add(null, stmt, stmt.tokens[0]!, stmt.tokens.slice(1));
    } else if (stmt.kind === "block") {
      const verb = stmt.tokens[0]!;
      if (stmt.tokens.length > 1 || !["module", "godebug", "require", "exclude", "replace", "retract", "tool", "ignore"].includes(verb)) {
        errors.push({ line: stmt.start.line, message: `unknown block type: ${stmt.tokens.join(" ")}` });
        continue;
      }
      for (const l of stmt.lines) add(stmt, l, verb, l.tokens);
    }
  }

  // fixRetract runs even after other errors; it reports only the first missing-module error.
  for (const r of retracts) {
    const path = out.module;
    if (path === null) {
      errors.push({ line: r.line, message: "no module directive found, so retract cannot be used" });
      break;
    }
    const e = checkRetract(r.args, (t) => versionError("retract", path, t), false);
    if (e !== null) errors.push({ line: r.line, message: e });
  }

  if (syntax.errors[0] !== undefined) {
    out.errors = [syntax.errors[0]];
    return out;
  }
  if (errors.length === 0) errors.push(...loadChecks(out, moduleLine));
  out.errors = errors;
  return out;
}

/** modfile parseReplace (strict), with the fixer's checks on both versions. */
function parseReplace(args: string[]): Omit<MainGoModReplace, "line"> | string {
  const usage =
    "usage: replace module/path [v1.2.3] => other/module v1.4\n\t or replace module/path [v1.2.3] => ../local/directory";
  const arrow = args.length >= 2 && args[1] === "=>" ? 1 : 2;
  if (args.length < arrow + 2 || args.length > arrow + 3 || args[arrow] !== "=>") return usage;
  const s = parseString(args[0]!);
  if (!s.ok) return `invalid quoted string: ${s.message}`;
  if (!splitPathVersion(s.value).ok) return `replace ${s.value}: invalid module path`;
  let oldVersion: string | null = null;
  if (arrow === 2) {
    const v = parseVersion("replace", s.value, args[1]!);
    if (!v.ok) return v.message;
    oldVersion = v.version;
  }
  const ns = parseString(args[arrow + 1]!);
  if (!ns.ok) return `invalid quoted string: ${ns.message}`;
  const newToken = args[arrow + 2];
  if (newToken === undefined) {
    if (!isDirectoryPath(ns.value)) {
      if (ns.value.includes("@")) return "replacement module must match format 'path version', not 'path@version'";
      return "replacement module without version must be directory path (rooted or starting with . or ..)";
    }
    // The go command runs on a Unix host here, where a backslash is a file name character.
    if (ns.value.includes("\\")) return "replacement directory appears to be Windows path (on a non-windows system)";
    return { old: { path: s.value, version: oldVersion }, new: { path: ns.value, version: null } };
  }
  const nv = parseVersion("replace", ns.value, newToken);
  if (!nv.ok) return nv.message;
  if (isDirectoryPath(ns.value)) return `replacement module directory path ${goQuote(ns.value)} cannot have version`;
  return { old: { path: s.value, version: oldVersion }, new: { path: ns.value, version: nv.version } };
}

/** What modload does once the file parses, in its order: ReadModFile, indexModFile's toReplaceMap, loadModFile. */
function loadChecks(f: MainGoMod, moduleLine: number): GoModError[] {
  if (f.module === null) {
    return [{ line: 0, message: "no module declaration in go.mod. To specify the module path:\n\tgo mod edit -module=example.com/mod" }];
  }
  const seen = new Map<string, MainGoModReplace>();
  for (const r of f.replaces) {
    const key = showVersion(r.old);
    const prev = seen.get(key);
    if (prev && (prev.new.path !== r.new.path || prev.new.version !== r.new.version)) {
      return [{ line: r.line, message: `conflicting replacements for ${key}:\n\t${showVersion(prev.new)}\n\t${showVersion(r.new)}` }];
    }
    seen.set(key, r);
  }
  try {
    checkImportPath(f.module);
  } catch (e) {
    // loadModFile relabels the InvalidPathError's kind from "import" to "module".
    const message = (e as Error).message.replace(/^malformed import path/, "malformed module path");
    return [{ line: moduleLine, message }];
  }
  return [];
}

export type EffectiveRequirement = {
  module: string;
  version: string;
  /** True only if every require line for the path says `// indirect` (modload's direct map). */
  indirect: boolean;
  /** What is fetched instead: another module version, or a local directory (not fetched at all). */
  replacedBy: ModuleRef | { local: string } | null;
  /**
   * The required version is excluded: the go command drops the requirement ("go: ignoring requirement on
   * excluded version …"), so `go mod download` does not fetch it; MVS may select another version through
   * other modules' requirements, which this file alone cannot tell.
   */
  excluded: boolean;
};

/**
 * The requirements `go mod download` in the main module starts from (modload requirementsFromModFiles):
 * excluded versions dropped (here: marked), several lines for one path collapse to the highest version
 * (MVS; go1.19.8 `go mod download` rewrote two lines to the higher one), then the replacement for
 * path@version, else for the bare path (modload replacement()). Order: first line of each path.
 */
export function effectiveRequirements(parsed: Pick<MainGoMod, "requires" | "replaces" | "excludes">): EffectiveRequirement[] {
  const excluded = new Set(parsed.excludes.map((x) => `${x.path}@${x.version}`));
  const byPath = new Map<string, MainGoModRequire[]>();
  for (const r of parsed.requires) {
    const list = byPath.get(r.path);
    if (list) list.push(r);
    else byPath.set(r.path, [r]);
  }
  const replaceMap = new Map<string, MainGoModReplace["new"]>();
  for (const r of parsed.replaces) replaceMap.set(showVersion(r.old), r.new);

  const out: EffectiveRequirement[] = [];
  for (const [path, lines] of byPath) {
    const kept = lines.filter((r) => !excluded.has(`${r.path}@${r.version}`));
    const pool = kept.length > 0 ? kept : lines;
    const version = pool.map((r) => r.version).reduce((a, b) => (compareVersions(a, b) >= 0 ? a : b));
    const to = replaceMap.get(`${path}@${version}`) ?? replaceMap.get(path);
    out.push({
      module: path,
      version,
      indirect: pool.every((r) => r.indirect),
      replacedBy: to === undefined ? null : to.version === null ? { local: to.path } : { path: to.path, version: to.version },
      excluded: kept.length === 0,
    });
  }
  return out;
}
