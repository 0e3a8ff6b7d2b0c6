// go.sum reading as cmd/go/internal/modfetch/fetch.go readGoSum does (unchanged from go1.19.8 to the
// current tree), and the per-requirement lookup checkModSum/haveModSumLocked make.

import { goFields } from "./go-strings";

export type GoSumLine = {
  module: string;
  /** The version without the "/go.mod" suffix. */
  version: string;
  kind: "zip" | "go.mod";
  /** The hash token as written, e.g. "h1:…=" (other algorithms are kept, as the go command keeps them). */
  hash: string;
  line: number;
};

export type GoSum = { lines: GoSumLine[]; errors: { line: number; message: string }[] };

/**
 * modfetch emptyGoModHash: the hash of a 1-file tree holding an empty go.mod, which an old bug wrote for
 * non-modules; readGoSum drops these lines.
 */
export const EMPTY_GO_MOD_HASH = "h1:G7mAYYxgmS0lVkHyy2hEOLQCFB0DlQFTMLWggykrydY=";

/**
 * readGoSum: lines split on "\n", fields on Unicode white space, blank lines skipped. It stops at the
 * first line without exactly three fields; readGoSumFile discards that error, so the go command
 * silently ignores the rest of the file. We report the error and, like go, return no later lines.
 */
export function parseGoSum(text: string): GoSum {
  const lines: GoSumLine[] = [];
  const rows = text.split("\n");
  // A trailing "\n" ends the last line rather than starting an empty one (it is blank anyway).
  for (let i = 0; i < rows.length; i++) {
    const lineno = i + 1;
    const f = goFields(rows[i]!);
    if (f.length === 0) continue;
    if (f.length !== 3) {
      return {
        lines,
        errors: [{ line: lineno, message: `malformed go.sum:\ngo.sum:${lineno}: wrong number of fields ${f.length}` }],
      };
    }
    const [module, rawVersion, hash] = f as [string, string, string];
    if (hash === EMPTY_GO_MOD_HASH) continue;
    const gomod = rawVersion.endsWith("/go.mod");
    lines.push({
      module,
      version: gomod ? rawVersion.slice(0, -"/go.mod".length) : rawVersion,
      kind: gomod ? "go.mod" : "zip",
      hash,
      line: lineno,
    });
  }
  return { lines, errors: [] };
}

/**
 * The hashes go.sum records for module@version, in file order. Only "h1:" ones: haveModSumLocked
 * skips other prefixes, so they neither verify a download nor report a mismatch. It accepts a download
 * equal to an earlier line and fails at the first h1 line that differs.
 */
export function goSumFor(sums: GoSum, module: string, version: string): { zip: string[]; gomod: string[] } {
  const out: { zip: string[]; gomod: string[] } = { zip: [], gomod: [] };
  for (const l of sums.lines) {
    if (l.module !== module || l.version !== version || !l.hash.startsWith("h1:")) continue;
    (l.kind === "zip" ? out.zip : out.gomod).push(l.hash);
  }
  return out;
}
