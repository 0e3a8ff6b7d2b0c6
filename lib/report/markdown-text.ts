// Untrusted text (a mirror's words, a go.mod comment) in a Markdown report: whatever a tracker renders, it must show
// that text, never markup. CommonMark and GFM take a backslash before any ASCII punctuation as that character.

/** One line of text for a table cell or a list item: HTML, links and table pipes escaped, newlines as spaces. */
export function markdownText(text: string): string {
  return text.replace(/\r?\n/g, " ").replace(/[\\|<>&[\]]/g, "\\$&");
}

/** A fenced block, indented, whose fence is longer than any run of backticks inside it, so nothing closes it early. */
export function fencedLines(text: string, indent = ""): string[] {
  const longest = Math.max(0, ...Array.from(text.matchAll(/`+/g), (m) => m[0].length));
  const fence = "`".repeat(Math.max(3, longest + 1));
  return [`${indent}${fence}`, ...text.split("\n").map((l) => `${indent}${l}`), `${indent}${fence}`];
}
