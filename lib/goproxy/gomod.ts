// go.mod reading as the go command does for a dependency's go.mod (modload rawGoModSummary →
// golang.org/x/mod/modfile ParseLax(name, data, nil)): the lexer, parser and comment attachment are
// ported from modfile/read.go, the directive handling from modfile/rule.go.
//
// One deliberate difference: a syntax error makes ParseLax reject the whole file, but we drop only the
// offending line (or keep an unterminated block's lines) and report it in `errors`, so the dashboard
// can still show what the file says. When `errors` is non-empty the go command would fail to parse
// the file and would apply none of its retractions or deprecation.

import { goQuote, goQuoteRune, goTrimSpace, isGoPrint, isGoSpace } from "./go-strings";
import { pathMajorMismatch, splitPathVersion } from "./module-path";
import { canonicalModuleVersion } from "./semver";

/** A retract directive: the closed interval [low, high] (low === high for a single version). */
export type Retraction = { low: string; high: string; rationale: string };

export type GoModInfo = {
  /** The module directive's path; null if missing or malformed. */
  module: string | null;
  /** The "Deprecated:" paragraph of the module directive's comment; null if none. */
  deprecated: string | null;
  retractions: Retraction[];
};

/** A problem that makes modfile.ParseLax reject the file (line is 1-based). */
export type GoModError = { line: number; message: string };

export type GoModDetails = GoModInfo & {
  /** The go directive's version (lax form "1.21rc1"-style kept as x/mod keeps it); null if none. */
  go: string | null;
  errors: GoModError[];
};

// ---------------------------------------------------------------------------------------------
// Syntax tree (modfile/read.go). Offsets are UTF-16 indexes: only their order matters.

type Pos = { line: number; offset: number };
type Comment = { start: Pos; token: string };
type Comments = { before: Comment[]; suffix: Comment[] };

type LineNode = { kind: "line"; comments: Comments; start: Pos; end: Pos; tokens: string[] };
type ParenNode = { kind: "paren"; comments: Comments; pos: Pos };
type BlockNode = {
  kind: "block";
  comments: Comments;
  start: Pos;
  tokens: string[];
  lparen: ParenNode;
  lines: LineNode[];
  rparen: ParenNode;
};
type CommentBlockNode = { kind: "comments"; comments: Comments; start: Pos };
type Stmt = LineNode | BlockNode | CommentBlockNode;
type Node = Stmt | ParenNode;

const emptyComments = (): Comments => ({ before: [], suffix: [] });

type TokenKind = "eof" | "eolcomment" | "comment" | "ident" | "string" | "error" | "\n" | "(" | ")" | "[" | "]" | "{" | "}" | ",";
type Token = { kind: TokenKind; pos: Pos; end: Pos; text: string };

const isEOL = (k: TokenKind) => k === "eof" || k === "eolcomment" || k === "\n";

function isIdentRune(r: number): boolean {
  switch (r) {
    case 0x20:
    case 0x28:
    case 0x29:
    case 0x5b:
    case 0x5d:
    case 0x7b:
    case 0x7d:
    case 0x2c:
      return false;
    default:
      return !isGoSpace(r) && isGoPrint(r);
  }
}

class Lexer {
  private i = 0;
  private readonly lineStarts: number[] = [0];
  /** End-of-line comments, in input order, for assignComments. */
  readonly suffixComments: Comment[] = [];
  private tok: Token;

  constructor(private readonly src: string) {
    for (let k = 0; k < src.length; k++) if (src[k] === "\n") this.lineStarts.push(k + 1);
    this.tok = this.read();
  }

  peek(): TokenKind {
    return this.tok.kind;
  }

  lex(): Token {
    const t = this.tok;
    this.tok = this.read();
    return t;
  }

  private pos(offset = this.i): Pos {
    let lo = 0;
    let hi = this.lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.lineStarts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, offset };
  }

  private cp(): number {
    return this.src.codePointAt(this.i) ?? 0;
  }

  private advance(): void {
    this.i += this.cp() > 0xffff ? 2 : 1;
  }

  // Go panics on a lexical error; we emit an error token and skip to the end of the line instead.
  private error(start: number, message: string): Token {
    const nl = this.src.indexOf("\n", this.i);
    this.i = nl < 0 ? this.src.length : nl;
    return { kind: "error", pos: this.pos(start), end: this.pos(), text: message };
  }

  private read(): Token {
    const s = this.src;
    while (this.i < s.length) {
      const c = s[this.i];
      if (c === " " || c === "\t" || c === "\r") {
        this.i++;
        continue;
      }
      if (s.startsWith("//", this.i)) {
        const start = this.i;
        // A comment is a suffix comment if non-space text precedes it on its line.
        const lineStart = s.lastIndexOf("\n", start - 1) + 1;
        const suffix = goTrimSpace(s.slice(lineStart, start)) !== "";
        const nl = s.indexOf("\n", start);
        this.i = nl < 0 ? s.length : nl + 1;
        let text = s.slice(start, this.i);
        text = text.endsWith("\r\n") ? text.slice(0, -2) : text.endsWith("\n") ? text.slice(0, -1) : text;
        const tok: Token = { kind: suffix ? "eolcomment" : "comment", pos: this.pos(start), end: this.pos(), text };
        if (suffix) this.suffixComments.push({ start: tok.pos, token: text });
        return tok;
      }
      if (s.startsWith("/*", this.i)) return this.error(this.i, "mod files must use // comments (not /* */ comments)");
      break;
    }
    const start = this.i;
    if (this.i >= s.length) return { kind: "eof", pos: this.pos(), end: this.pos(), text: "" };
    const c = s[this.i]!;
    if ("\n()[]{},".includes(c)) {
      this.i++;
      return { kind: c as TokenKind, pos: this.pos(start), end: this.pos(), text: c };
    }
    if (c === '"' || c === "`") {
      this.i++;
      for (;;) {
        if (this.i >= s.length) return this.error(start, "unexpected EOF in string");
        if (s[this.i] === "\n") return this.error(start, "unexpected newline in string");
        const d = s[this.i]!;
        this.advance();
        if (d === c) break;
        if (d === "\\" && c !== "`") {
          if (this.i >= s.length) return this.error(start, "unexpected EOF in string");
          this.advance();
        }
      }
      return { kind: "string", pos: this.pos(start), end: this.pos(), text: s.slice(start, this.i) };
    }
    if (!isIdentRune(this.cp())) {
      return this.error(start, `unexpected input character ${goQuoteRune(this.cp())}`);
    }
    while (this.i < s.length && isIdentRune(this.cp())) {
      if (s.startsWith("//", this.i)) break;
      if (s.startsWith("/*", this.i)) return this.error(start, "mod files must use // comments (not /* */ comments)");
      this.advance();
    }
    return { kind: "ident", pos: this.pos(start), end: this.pos(), text: s.slice(start, this.i) };
  }
}

class Parser {
  readonly stmts: Stmt[] = [];
  readonly errors: GoModError[] = [];

  constructor(
    private readonly lx: Lexer,
    private readonly column: (p: Pos) => number,
  ) {}

  private fail(tok: Token): void {
    this.errors.push({ line: tok.pos.line, message: tok.text });
  }

  /** After an error, consume tokens through the end of the line. */
  private skipLine(): void {
    while (!isEOL(this.lx.peek())) {
      const t = this.lx.lex();
      if (t.kind === "error") this.fail(t);
    }
    if (this.lx.peek() !== "eof") this.lx.lex();
  }

  parseFile(): void {
    let cb: CommentBlockNode | null = null;
    for (;;) {
      switch (this.lx.peek()) {
        case "\n":
          this.lx.lex();
          if (cb) this.stmts.push(cb);
          cb = null;
          break;
        case "comment": {
          const tok = this.lx.lex();
          cb ??= { kind: "comments", comments: emptyComments(), start: tok.pos };
          cb.comments.before.push({ start: tok.pos, token: tok.text });
          break;
        }
        case "eolcomment":
          // Not produced at the start of a statement by Go's lexer; tolerate it after error recovery.
          this.lx.lex();
          break;
        case "eof":
          if (cb) this.stmts.push(cb);
          return;
        default: {
          const stmt = this.parseStmt();
          if (stmt && cb) stmt.comments.before = cb.comments.before;
          cb = null;
        }
      }
    }
  }

  private parseStmt(): Stmt | null {
    const first = this.lx.lex();
    if (first.kind === "error") {
      this.fail(first);
      this.skipLine();
      return null;
    }
    const start = first.pos;
    let end = first.end;
    const tokens = [first.text];
    for (;;) {
      const tok = this.lx.lex();
      if (tok.kind === "error") {
        this.fail(tok);
        this.skipLine();
        return null;
      }
      if (isEOL(tok.kind)) {
        const line: LineNode = { kind: "line", comments: emptyComments(), start, end, tokens };
        this.stmts.push(line);
        return line;
      }
      if (tok.kind === "(") {
        const next = this.lx.peek();
        if (isEOL(next)) {
          const block = this.parseLineBlock(start, tokens, tok);
          this.stmts.push(block);
          return block;
        } else if (next === ")") {
          const rparen = this.lx.lex();
          if (isEOL(this.lx.peek())) {
            this.lx.lex();
            const block: BlockNode = {
              kind: "block",
              comments: emptyComments(),
              start,
              tokens,
              lparen: { kind: "paren", comments: emptyComments(), pos: tok.pos },
              lines: [],
              rparen: { kind: "paren", comments: emptyComments(), pos: rparen.pos },
            };
            this.stmts.push(block);
            return block;
          }
          tokens.push(tok.text, rparen.text);
        } else {
          tokens.push(tok.text);
        }
      } else {
        tokens.push(tok.text);
        end = tok.end;
      }
    }
  }

  private parseLineBlock(start: Pos, tokens: string[], lparen: Token): BlockNode {
    const block: BlockNode = {
      kind: "block",
      comments: emptyComments(),
      start,
      tokens,
      lparen: { kind: "paren", comments: emptyComments(), pos: lparen.pos },
      lines: [],
      rparen: { kind: "paren", comments: emptyComments(), pos: lparen.pos },
    };
    let comments: Comment[] = [];
    for (;;) {
      switch (this.lx.peek()) {
        case "eolcomment":
          this.lx.lex();
          break;
        case "\n": {
          this.lx.lex();
          // A blank line is kept as an empty comment, which counts as "having comments" for rationale.
          const last = comments[comments.length - 1];
          if ((comments.length === 0 && block.lines.length > 0) || (last !== undefined && last.token !== "")) {
            comments.push({ start: { line: 0, offset: 0 }, token: "" });
          }
          break;
        }
        case "comment": {
          const tok = this.lx.lex();
          comments.push({ start: tok.pos, token: tok.text });
          break;
        }
        case "eof": {
          const eof = this.lx.lex();
          this.errors.push({
            line: eof.pos.line,
            message: `syntax error (unterminated block started at go.mod:${start.line}:${this.column(start)})`,
          });
          block.rparen = { kind: "paren", comments: { before: comments, suffix: [] }, pos: eof.pos };
          return block;
        }
        case ")": {
          const rparen = this.lx.lex();
          block.rparen = { kind: "paren", comments: { before: comments, suffix: [] }, pos: rparen.pos };
          if (!isEOL(this.lx.peek())) {
            this.errors.push({ line: rparen.pos.line, message: "syntax error (expected newline after closing paren)" });
            this.skipLine();
            return block;
          }
          this.lx.lex();
          return block;
        }
        default: {
          const line = this.parseLine();
          if (line) {
            line.comments.before = comments;
            block.lines.push(line);
          }
          comments = [];
        }
      }
    }
  }

  private parseLine(): LineNode | null {
    const first = this.lx.lex();
    if (first.kind === "error") {
      this.fail(first);
      this.skipLine();
      return null;
    }
    const start = first.pos;
    let end = first.end;
    const tokens = [first.text];
    for (;;) {
      const tok = this.lx.lex();
      if (tok.kind === "error") {
        this.fail(tok);
        this.skipLine();
        return null;
      }
      if (isEOL(tok.kind)) return { kind: "line", comments: emptyComments(), start, end, tokens };
      tokens.push(tok.text);
      end = tok.end;
    }
  }
}

function span(x: Node): [Pos, Pos] {
  switch (x.kind) {
    case "line":
      return [x.start, x.end];
    case "paren":
      return [x.pos, { line: x.pos.line, offset: x.pos.offset + 1 }];
    case "block":
      return [x.start, { line: x.rparen.pos.line, offset: x.rparen.pos.offset + 1 }];
    case "comments":
      return [x.start, x.start];
  }
}

/** modfile assignComments: each end-of-line comment goes to the last single-line node ending before it. */
function assignSuffixComments(stmts: Stmt[], suffix: Comment[]): void {
  const post: Node[] = [];
  for (const s of stmts) {
    if (s.kind === "block") post.push(s.lparen, ...s.lines, s.rparen);
    post.push(s);
  }
  const pending = [...suffix];
  for (let i = post.length - 1; i >= 0; i--) {
    const x = post[i]!;
    const [start, end] = span(x);
    // Never attach to something spanning lines: in "x ( y\n z ) // c" the comment belongs to z.
    if (start.line !== end.line) continue;
    const taken: Comment[] = [];
    while (pending.length > 0 && end.offset <= pending[pending.length - 1]!.start.offset) {
      taken.push(pending.pop()!);
    }
    x.comments.suffix.push(...taken.reverse());
  }
}

/** The syntax tree, for gomod-main.ts's strict directive pass. */
export type GoModLine = LineNode;
export type GoModBlock = BlockNode;
export type GoModStmt = Stmt;

// ---------------------------------------------------------------------------------------------
// Directives (modfile/rule.go, lax mode).

function goUnquote(s: string): string | null {
  // strconv.Unquote for a double-quoted Go string literal.
  if (s.length < 2 || s[0] !== '"' || s[s.length - 1] !== '"') return null;
  const body = s.slice(1, -1);
  let out = "";
  for (let i = 0; i < body.length; i++) {
    const c = body[i]!;
    if (c === '"' || c === "\n") return null;
    if (c !== "\\") {
      out += c;
      continue;
    }
    const e = body[++i];
    if (e === undefined) return null;
    const simple: Record<string, string> = { a: "\x07", b: "\b", f: "\f", n: "\n", r: "\r", t: "\t", v: "\v", "\\": "\\", '"': '"' };
    if (e in simple) {
      out += simple[e];
      continue;
    }
    const hexLen = e === "x" ? 2 : e === "u" ? 4 : e === "U" ? 8 : 0;
    if (hexLen > 0) {
      const hex = body.slice(i + 1, i + 1 + hexLen);
      if (!new RegExp(`^[0-9a-fA-F]{${hexLen}}$`).test(hex)) return null;
      const n = Number.parseInt(hex, 16);
      if (e !== "x" && (n > 0x10ffff || (n >= 0xd800 && n <= 0xdfff))) return null;
      out += String.fromCodePoint(n);
      i += hexLen;
      continue;
    }
    if (e >= "0" && e <= "7") {
      const oct = body.slice(i, i + 3);
      if (!/^[0-7]{3}$/.test(oct) || Number.parseInt(oct, 8) > 255) return null;
      out += String.fromCharCode(Number.parseInt(oct, 8));
      i += 2;
      continue;
    }
    return null;
  }
  return out;
}

/** modfile parseString: unquote "…"; other quote characters are reserved. */
export function parseString(t: string): { ok: true; value: string } | { ok: false; message: string } {
  if (t.startsWith('"')) {
    const v = goUnquote(t);
    return v === null ? { ok: false, message: "invalid syntax" } : { ok: true, value: v };
  }
  if (/["'`]/.test(t)) return { ok: false, message: "unquoted string cannot contain quote" };
  return { ok: true, value: t };
}

/** modfile parseVersionInterval with the no-op fixer ParseLax uses for retract: versions stay verbatim. */
function parseVersionInterval(args: string[]): { low: string; high: string } | null {
  const [first, low, comma, high, close] = args;
  if (first === undefined || first === "(") return null;
  if (first !== "[") {
    const v = parseString(first);
    return v.ok ? { low: v.value, high: v.value } : null;
  }
  if (low === undefined) return null;
  const lo = parseString(low);
  if (!lo.ok || comma !== ",") return null;
  if (high === undefined) return null;
  const hi = parseString(high);
  if (!hi.ok || close !== "]") return null;
  return { low: lo.value, high: hi.value };
}

/** modfile parseDirectiveComment: the line's own comments, else (inside a block) the block's. */
function directiveComment(block: BlockNode | null, line: LineNode): string {
  let c = line.comments;
  if (block && c.before.length === 0 && c.suffix.length === 0) c = block.comments;
  const lines: string[] = [];
  for (const com of [...c.before, ...c.suffix]) {
    if (!com.token.startsWith("//")) continue; // blank line marker
    lines.push(goTrimSpace(com.token.slice(2)));
  }
  return lines.join("\n");
}

// modfile deprecatedRE: (?s)(?:^|\n\n)Deprecated: *(.*?)(?:$|\n\n)
const DEPRECATED_RE = /(?:^|\n\n)Deprecated: *([\s\S]*?)(?:$|\n\n)/;
export const GO_VERSION_RE = /^([1-9][0-9]*)\.(0|[1-9][0-9]*)(\.(0|[1-9][0-9]*))?([a-z]+[0-9]+)?$/;
const LAX_GO_VERSION_RE = /^v?(([1-9][0-9]*)\.(0|[1-9][0-9]*))([^0-9].*)$/;

/**
 * modfile/read.go parse: the statements with their comments attached, and the syntax errors in input
 * order (Go stops at the first; this parser recovers line by line, see the file comment).
 */
export function parseGoModSyntax(text: string): { stmts: GoModStmt[]; errors: GoModError[] } {
  const lx = new Lexer(text);
  const parser = new Parser(lx, (p) => p.offset - text.lastIndexOf("\n", p.offset - 1));
  parser.parseFile();
  assignSuffixComments(parser.stmts, lx.suffixComments);
  return { stmts: parser.stmts, errors: parser.errors };
}

/** Parses a go.mod like modfile.ParseLax, with line-level error recovery (see the file comment). */
export function parseGoModDetailed(text: string): GoModDetails {
  const syntax = parseGoModSyntax(text);
  const errors = syntax.errors;
  const out: GoModDetails = { module: null, deprecated: null, retractions: [], go: null, errors };
  let sawModule = false;
  let sawGo = false;
  let sawToolchain = false;

  const add = (block: BlockNode | null, line: LineNode, verb: string, args: string[]) => {
    const err = (message: string) => errors.push({ line: line.start.line, message });
    switch (verb) {
      case "go": {
        if (sawGo) return err("repeated go statement");
        if (args.length !== 1) return err("go directive expects exactly one argument");
        let v = args[0]!;
        if (!GO_VERSION_RE.test(v)) {
          const m = LAX_GO_VERSION_RE.exec(v);
          if (!m) return err(`invalid go version '${v}': must match format 1.23`);
          v = m[1]!;
        }
        sawGo = true;
        out.go = v;
        return;
      }
      case "module": {
        if (sawModule) return err("repeated module statement");
        sawModule = true;
        // x/mod records the deprecation even when the path argument turns out to be malformed.
        const m = DEPRECATED_RE.exec(directiveComment(block, line));
        out.deprecated = m && m[1] !== "" ? m[1]! : null;
        if (args.length !== 1) return err("usage: module module/path");
        const s = parseString(args[0]!);
        if (!s.ok) return err(`invalid quoted string: ${s.message}`);
        out.module = s.value;
        return;
      }
      case "require": {
        if (args.length !== 2) return err("usage: require module/path v1.2.3");
        const s = parseString(args[0]!);
        if (!s.ok) return err(`invalid quoted string: ${s.message}`);
        const v = parseString(args[1]!);
        if (!v.ok) return err(`require ${s.value}: version ${goQuote(args[1]!)} invalid: ${v.message}`);
        const cv = canonicalModuleVersion(v.value);
        if (cv === "") return err(`require ${s.value}: version ${goQuote(v.value)} invalid: must be of the form v1.2.3`);
        const split = splitPathVersion(s.value);
        if (!split.ok) return err("invalid module path");
        const mismatch = pathMajorMismatch(cv, split.pathMajor);
        if (mismatch !== null) return err(`require ${s.value}: version ${goQuote(cv)} invalid: ${mismatch}`);
        return;
      }
      case "toolchain": {
        if (sawToolchain) return err("repeated toolchain statement");
        if (args.length !== 1) return err("toolchain directive expects exactly one argument");
        sawToolchain = true;
        return;
      }
      case "retract": {
        // Lax mode skips a malformed interval silently: newer syntax must not break older go commands.
        const vi = parseVersionInterval(args);
        if (vi) out.retractions.push({ ...vi, rationale: directiveComment(block, line) });
        return;
      }
      default:
        // ParseLax ignores every other directive (exclude, replace, unknown ones).
        return;
    }
  };

  for (const stmt of syntax.stmts) {
    if (stmt.kind === "line") {
      add(null, stmt, stmt.tokens[0]!, stmt.tokens.slice(1));
    } else if (stmt.kind === "block" && stmt.tokens.length === 1) {
      const verb = stmt.tokens[0]!;
      if (["module", "require", "exclude", "replace", "retract"].includes(verb)) {
        for (const l of stmt.lines) add(stmt, l, verb, l.tokens);
      }
    }
  }
  return out;
}

/** go.mod facts the dashboard shows: module path, deprecation, retractions (lenient, see parseGoModDetailed). */
export function parseGoMod(text: string): GoModInfo {
  const { module, deprecated, retractions } = parseGoModDetailed(text);
  return { module, deprecated, retractions };
}

/** modfetch.LegacyGoMod: the go.mod a proxy synthesizes for a version whose tree has none. */
export function legacyGoMod(modulePath: string): string {
  return `module ${autoQuote(modulePath)}\n`;
}

/** modfile.AutoQuote: quote a token only when it would not lex as one identifier. */
export function autoQuote(s: string): string {
  let must = s === "" || s.includes("//") || s.includes("/*");
  for (const ch of s) {
    const r = ch.codePointAt(0) ?? 0;
    if (ch === " " || ch === '"' || ch === "'" || ch === "`") must = true;
    else if ("()[]{},".includes(ch)) must ||= s.length > 1;
    else if (!isGoPrint(r)) must = true;
  }
  return must ? goQuote(s) : s;
}

/** Whether a served go.mod is the synthetic one (the version's tree had no go.mod; versionHasGoMod). */
export function isLegacyGoMod(text: string, modulePath: string): boolean {
  return text === legacyGoMod(modulePath);
}
