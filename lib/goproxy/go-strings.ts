// Small re-implementations of Go standard-library string behaviour that the protocol rules depend on:
// error messages quote with %q, strings.Fields splits on unicode.IsSpace, and Go sorts strings by
// UTF-8 bytes. Browser-safe (no Node imports): module-path.ts and semver.ts build on it.

const PRINTABLE = /^[\p{L}\p{M}\p{N}\p{P}\p{S}]$/u;

/** unicode.IsSpace: Latin-1 spaces plus the White_Space property (JS \s also matches U+FEFF, Go does not). */
export function isGoSpace(r: number): boolean {
  switch (r) {
    case 0x09:
    case 0x0a:
    case 0x0b:
    case 0x0c:
    case 0x0d:
    case 0x20:
    case 0x85:
    case 0xa0:
    case 0x1680:
    case 0x2028:
    case 0x2029:
    case 0x202f:
    case 0x205f:
    case 0x3000:
      return true;
    default:
      return r >= 0x2000 && r <= 0x200a;
  }
}

/** unicode.IsPrint: letters, marks, numbers, punctuation, symbols and the ASCII space only. */
export function isGoPrint(r: number): boolean {
  if (r === 0x20) return true;
  if (r >= 0xd800 && r <= 0xdfff) return false;
  return PRINTABLE.test(String.fromCodePoint(r));
}

/** strings.Fields: the non-empty runs between unicode.IsSpace characters. */
export function goFields(s: string): string[] {
  const out: string[] = [];
  let cur = "";
  for (const ch of s) {
    if (isGoSpace(ch.codePointAt(0) ?? 0)) {
      if (cur !== "") out.push(cur);
      cur = "";
    } else {
      cur += ch;
    }
  }
  if (cur !== "") out.push(cur);
  return out;
}

/** strings.TrimSpace. */
export function goTrimSpace(s: string): string {
  const chars = Array.from(s);
  let i = 0;
  let j = chars.length;
  while (i < j && isGoSpace(chars[i]!.codePointAt(0) ?? 0)) i++;
  while (j > i && isGoSpace(chars[j - 1]!.codePointAt(0) ?? 0)) j--;
  return chars.slice(i, j).join("");
}

/** True if s holds a lone surrogate, the JS counterpart of Go's "invalid UTF-8". */
export function hasLoneSurrogate(s: string): boolean {
  return /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(s);
}

function escapeRune(r: number, quote: string): string {
  if (r === quote.charCodeAt(0) || r === 0x5c) return "\\" + String.fromCharCode(r);
  if (isGoPrint(r)) return String.fromCodePoint(r);
  switch (r) {
    case 0x07:
      return "\\a";
    case 0x08:
      return "\\b";
    case 0x0c:
      return "\\f";
    case 0x0a:
      return "\\n";
    case 0x0d:
      return "\\r";
    case 0x09:
      return "\\t";
    case 0x0b:
      return "\\v";
  }
  if (r < 0x20 || r === 0x7f) return "\\x" + r.toString(16).padStart(2, "0");
  // A lone surrogate is what remains of invalid UTF-8; Go would print the replacement rune.
  if (r >= 0xd800 && r <= 0xdfff) return "\\ufffd";
  if (r < 0x10000) return "\\u" + r.toString(16).padStart(4, "0");
  return "\\U" + r.toString(16).padStart(8, "0");
}

/** strconv.Quote (Go's %q for strings). */
export function goQuote(s: string): string {
  let out = '"';
  for (const ch of s) out += escapeRune(ch.codePointAt(0) ?? 0, '"');
  return out + '"';
}

/** strconv.QuoteRune (Go's %q for runes). */
export function goQuoteRune(r: number): string {
  return "'" + escapeRune(r, "'") + "'";
}

/**
 * Go string order (bytewise UTF-8). Comparing code points gives the same order; comparing UTF-16
 * code units (JS `<`, Array.prototype.sort) does not once astral characters meet U+E000–U+FFFF.
 */
export function compareGoStrings(a: string, b: string): -1 | 0 | 1 {
  if (a === b) return 0;
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const ca = a.codePointAt(i) ?? 0;
    const cb = b.codePointAt(j) ?? 0;
    if (ca !== cb) return ca < cb ? -1 : 1;
    i += ca > 0xffff ? 2 : 1;
    j += cb > 0xffff ? 2 : 1;
  }
  if (i < a.length) return 1;
  if (j < b.length) return -1;
  return 0;
}
