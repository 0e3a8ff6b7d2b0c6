import { describe, expect, it } from "vitest";
import { matchMirror } from "./mirror-match";
import { versionPageHref, withSearchParams } from "./routes";

const MIRRORS = [
  { name: "goproxy.cn", baseUrl: "https://goproxy.cn" },
  { name: "proxy.golang.org", baseUrl: "https://proxy.golang.org/" },
  { name: "corp-a", baseUrl: "https://athens.corp.example/a" },
  { name: "corp-b", baseUrl: "https://athens.corp.example/b" },
];

describe("matchMirror: the mirror a pasted error names", () => {
  it("matches a name, or a base URL whatever its case of host or trailing slash", () => {
    expect(matchMirror("goproxy.cn", MIRRORS)).toBe("goproxy.cn");
    expect(matchMirror("https://GOPROXY.cn/", MIRRORS)).toBe("goproxy.cn");
    expect(matchMirror("https://proxy.golang.org", MIRRORS)).toBe("proxy.golang.org");
    expect(matchMirror("https://athens.corp.example/b", MIRRORS)).toBe("corp-b");
  });

  it("falls back to the host only when one mirror lives there", () => {
    expect(matchMirror("http://goproxy.cn", MIRRORS)).toBe("goproxy.cn");
    expect(matchMirror("https://athens.corp.example", MIRRORS)).toBeNull();
    expect(matchMirror("https://goproxy.io", MIRRORS)).toBeNull();
    expect(matchMirror("not a url", MIRRORS)).toBeNull();
    expect(matchMirror(null, MIRRORS)).toBeNull();
  });
});

describe("version page hrefs", () => {
  it("adds the page's options to a path or to a permalink that already has a query", () => {
    expect(versionPageHref("github.com/IBM/sarama", "latest", { passive: true })).toBe("/m/github.com/IBM/sarama@latest?fetch=0");
    expect(withSearchParams("/m/example.com/x@v1.0.0?probe=3", { mirror: "https://goproxy.cn", lang: "zh-CN" })).toBe(
      "/m/example.com/x@v1.0.0?probe=3&mirror=https%3A%2F%2Fgoproxy.cn&lang=zh-CN",
    );
    expect(withSearchParams("/m/example.com/x@v1.0.0", {})).toBe("/m/example.com/x@v1.0.0");
  });
});
