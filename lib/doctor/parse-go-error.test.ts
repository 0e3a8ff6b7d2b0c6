import { describe, expect, it } from "vitest";
import { parseDoctorQuery } from "./parse-go-error";

const ok = (module: string, version: string, mirrorBaseUrl: string | null = null) => ({ module, version, mirrorBaseUrl });

describe("parseDoctorQuery: what users type", () => {
  it.each([
    ["github.com/foo/bar@v1.2.3", ok("github.com/foo/bar", "v1.2.3")],
    ["  github.com/foo/bar@latest \n", ok("github.com/foo/bar", "latest")],
    ["go get github.com/foo/bar@v1.2.3", ok("github.com/foo/bar", "v1.2.3")],
    ["go get -u github.com/foo/bar@latest", ok("github.com/foo/bar", "latest")],
    ["go install golang.org/x/tools/gopls@v0.11.0", ok("golang.org/x/tools/gopls", "v0.11.0")],
    ["go mod download -json github.com/foo/bar@v1.2.3", ok("github.com/foo/bar", "v1.2.3")],
    ["github.com/Azure/azure-sdk-for-go@v67.4.0+incompatible", ok("github.com/Azure/azure-sdk-for-go", "v67.4.0+incompatible")],
    ["github.com/foo/bar v1.2.3", ok("github.com/foo/bar", "v1.2.3")],
    ["github.com/foo/bar@v2.0.0", ok("github.com/foo/bar", "v2.0.0")],
    ["gopkg.in/yaml.v3@v3.0.1", ok("gopkg.in/yaml.v3", "v3.0.1")],
  ])("%j", (text, expected) => {
    expect(parseDoctorQuery(text)).toEqual(expected);
  });
});

describe("parseDoctorQuery: pasted go errors", () => {
  it.each([
    [
      "go: github.com/foo/bar@v1.2.3: reading https://goproxy.cn/github.com/foo/bar/@v/v1.2.3.info: 404 Not Found",
      ok("github.com/foo/bar", "v1.2.3", "https://goproxy.cn"),
    ],
    [
      "go: downloading github.com/foo/bar v1.2.3\nverifying github.com/foo/bar@v1.2.3: checksum mismatch\n\tdownloaded: h1:AAA=\n\tsum.golang.org: h1:BBB=",
      ok("github.com/foo/bar", "v1.2.3"),
    ],
    ["go: downloading github.com/foo/bar v1.2.3", ok("github.com/foo/bar", "v1.2.3")],
    ["github.com/foo/bar@v1.2.3: invalid version: unknown revision v1.2.3", ok("github.com/foo/bar", "v1.2.3")],
    ['go: module github.com/foo/bar: no matching versions for query "v1.2.3"', ok("github.com/foo/bar", "v1.2.3")],
    ['go: module github.com/foo/bar: no matching versions for query "latest"', ok("github.com/foo/bar", "latest")],
    [
      "go: example.com/Foo/bar@v1.2.3: verifying go.mod: example.com/Foo/bar@v1.2.3/go.mod: reading https://sum.golang.org/lookup/example.com/!foo/bar@v1.2.3: 410 Gone",
      ok("example.com/Foo/bar", "v1.2.3"),
    ],
    [
      "go: github.com/BurntSushi/toml@v1.2.3: reading https://goproxy.io/cached-only/github.com/%21burnt%21sushi/toml/@v/v1.2.3.info: 404 Not Found\n\tserver response: not found: temporarily unavailable",
      ok("github.com/BurntSushi/toml", "v1.2.3", "https://goproxy.io/cached-only"),
    ],
    ['go: github.com/foo/bar@v1.2.3: Get "https://goproxy.cn/github.com/foo/bar/@v/v1.2.3.zip": dial tcp: i/o timeout', ok("github.com/foo/bar", "v1.2.3", "https://goproxy.cn")],
    ["verifying github.com/foo/bar@v1.2.3/go.mod: checksum mismatch", ok("github.com/foo/bar", "v1.2.3")],
  ])("%j", (text, expected) => {
    expect(parseDoctorQuery(text)).toEqual(expected);
  });
});

describe("parseDoctorQuery: URLs alone", () => {
  it.each([
    ["https://goproxy.cn/github.com/!burnt!sushi/toml/@v/v1.2.3.info", ok("github.com/BurntSushi/toml", "v1.2.3", "https://goproxy.cn")],
    ["https://proxy.golang.org/github.com/%21burnt%21sushi/toml/@v/v1.3.2.zip", ok("github.com/BurntSushi/toml", "v1.3.2", "https://proxy.golang.org")],
    ["https://mirrors.aliyun.com/goproxy/github.com/foo/bar/@v/v1.0.0.mod", ok("github.com/foo/bar", "v1.0.0", "https://mirrors.aliyun.com/goproxy")],
    ["https://goproxy.cn/github.com/foo/bar/@latest", ok("github.com/foo/bar", "latest", "https://goproxy.cn")],
    ["reading https://goproxy.cn/sumdb/sum.golang.org/lookup/github.com/foo/bar@v1.2.3: 404 Not Found", ok("github.com/foo/bar", "v1.2.3", "https://goproxy.cn")],
  ])("%j", (text, expected) => {
    expect(parseDoctorQuery(text)).toEqual(expected);
  });
});

describe("parseDoctorQuery: refusals", () => {
  it("refuses a version for the wrong /vN path in the go command's words", () => {
    expect(parseDoctorQuery("github.com/foo/bar/v2@v1.0.0")).toEqual({ code: "invalid_version", error: "github.com/foo/bar/v2@v1.0.0: invalid version: should be v2, not v1" });
  });
  it("refuses a branch or commit: the doctor diagnoses one version", () => {
    expect(parseDoctorQuery("go get github.com/foo/bar@master")).toEqual({ code: "not_a_version", error: "github.com/foo/bar@master: invalid version: not a semantic version" });
  });
  it("refuses a version prefix such as v1.2", () => {
    expect(parseDoctorQuery("github.com/foo/bar@v1.2")).toEqual({ code: "invalid_version", error: "github.com/foo/bar@v1.2: invalid version: not a canonical version" });
  });
  it("refuses a malformed module path with x/mod's reason", () => {
    expect(parseDoctorQuery("foo/bar v1.0.0")).toEqual({ code: "malformed_module_path", error: 'malformed module path "foo/bar": missing dot in first path element' });
  });
  it("asks for a version when only a module path is given", () => {
    expect(parseDoctorQuery("github.com/foo/bar")).toEqual({ code: "not_a_version", error: "github.com/foo/bar: no version: add @vX.Y.Z or @latest" });
  });
  it.each(["", "   ", "hello world", "<html><body>404 page not found</body></html>", "go: finding module for package", "user@example"])("finds nothing in %j", (text) => {
    const r = parseDoctorQuery(text);
    expect("error" in r).toBe(true);
    if ("error" in r) expect(["empty", "no_module"]).toContain(r.code);
  });
});

describe("parseDoctorQuery: messy and hostile pastes", () => {
  it("a requires chain names the module at its end, where the error is (mvs BuildListError)", () => {
    expect(
      parseDoctorQuery(
        "go: example.com/app@v1.0.0 requires\n\texample.com/lib@v1.2.3 requires\n\texample.com/dep@v0.4.0: reading https://goproxy.cn/example.com/dep/@v/v0.4.0.mod: 404 Not Found\n\tserver response: not found: example.com/dep@v0.4.0: invalid version: unknown revision v0.4.0",
      ),
    ).toEqual(ok("example.com/dep", "v0.4.0", "https://goproxy.cn"));
    expect(parseDoctorQuery("go: example.com/app@v1.0.0 requires example.com/dep@v0.4.0: invalid version: unknown revision v0.4.0")).toEqual(ok("example.com/dep", "v0.4.0"));
  });

  it("two unrelated module@version pairs on one line: the first, and a URL of the other names no mirror for it", () => {
    expect(parseDoctorQuery("github.com/a/b@v1.0.0 github.com/c/d@v2.0.0")).toEqual(ok("github.com/a/b", "v1.0.0"));
    expect(parseDoctorQuery("github.com/a/b@v1.0.0 https://goproxy.cn/github.com/c/d/@v/v2.0.0.zip")).toEqual(ok("github.com/a/b", "v1.0.0"));
  });

  it("a URL whose path has no /@v/ is no proxy request: no module or mirror is read from it", () => {
    expect(parseDoctorQuery("reading https://goproxy.cn/github.com/foo/bar: 404 Not Found")).toEqual({
      code: "no_module",
      error: "No module@version found: paste module@version, a go command, or the error the go command printed.",
    });
    expect(parseDoctorQuery("go: github.com/foo/bar@v1.2.3: reading https://goproxy.cn/github.com/foo/bar/v1.2.3.zip: 404 Not Found")).toEqual(ok("github.com/foo/bar", "v1.2.3"));
  });

  it("control characters: terminal colours and a NUL end a token, a control character inside a path breaks it", () => {
    expect(parseDoctorQuery("\u001b[31mgo: github.com/foo/bar@v1.2.3: reading https://goproxy.cn/github.com/foo/bar/@v/v1.2.3.info: 404 Not Found\u001b[0m")).toEqual(
      ok("github.com/foo/bar", "v1.2.3", "https://goproxy.cn"),
    );
    expect(parseDoctorQuery("github.com/foo/bar@v1.2.3\u0000")).toEqual(ok("github.com/foo/bar", "v1.2.3"));
    expect(parseDoctorQuery("go get github.com/foo/bar@v1.2.3\r\n")).toEqual(ok("github.com/foo/bar", "v1.2.3"));
    expect(parseDoctorQuery("github.com/foo/\u0007bar@v1.2.3")).toMatchObject({ code: "no_module" });
    expect(parseDoctorQuery("\u0000\u0001\u0002\u007f")).toMatchObject({ code: "no_module" });
  });

  it("a 100 KB build log around the error: found, at once", () => {
    const log = "# building github.com/acme/tool/internal/something\n".repeat(1000);
    const text = `${log}go: github.com/foo/bar@v1.2.3: reading https://goproxy.cn/github.com/foo/bar/@v/v1.2.3.info: 404 Not Found\n${log}`;
    expect(text.length).toBeGreaterThan(100_000);
    expect(parseDoctorQuery(text)).toEqual(ok("github.com/foo/bar", "v1.2.3", "https://goproxy.cn"));
  });

  // The search box parses on every keystroke: a paste must never hold the page (these took 1-2 s each before).
  it.each([
    ["repeated /lookup/", `https://x.example${"/lookup/".repeat(12_800)}`],
    ["repeated /lookup/a@", `https://x.example${"/lookup/a@".repeat(10_000)}`],
    ["one 100 KB path", `${"a/".repeat(50_000)}@`],
    ["100 KB of pairs", "a.b@v1 ".repeat(14_000)],
    ["100 KB of URL segments", `https://x.example${"/a".repeat(50_000)}`],
  ])("100 KB of %s: answered within 200 ms", (_name, text) => {
    const started = performance.now();
    const result = parseDoctorQuery(text);
    expect(performance.now() - started).toBeLessThan(200);
    expect("error" in result).toBe(true);
  });
});
