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
