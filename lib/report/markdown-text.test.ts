import { describe, expect, it } from "vitest";
import { fencedLines, markdownText } from "./markdown-text";

describe("markdownText", () => {
  it("escapes what would become HTML, a link or a table column, and keeps one line", () => {
    expect(markdownText('<img src=x onerror=alert(1)> "><svg onload=alert(2)>')).toBe('\\<img src=x onerror=alert(1)\\> "\\>\\<svg onload=alert(2)\\>');
    expect(markdownText("[docs](javascript:alert(3)) a|b &amp;")).toBe("\\[docs\\](javascript:alert(3)) a\\|b \\&amp;");
    // A backslash of its own is escaped too, or "\<" would become "\" and a live "<".
    expect(markdownText("\\<b>")).toBe("\\\\\\<b\\>");
    expect(markdownText("line one\r\nline two")).toBe("line one line two");
  });
});

describe("fencedLines", () => {
  it("fences with more backticks than the text holds, so the text cannot close the block", () => {
    expect(fencedLines("plain", "  ")).toEqual(["  ```", "  plain", "  ```"]);
    expect(fencedLines("a\n```\n<script>alert(1)</script>\n````")).toEqual(["`````", "a", "```", "<script>alert(1)</script>", "````", "`````"]);
  });
});
