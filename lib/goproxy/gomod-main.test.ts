import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { effectiveRequirements, isDirectoryPath, isIndirectComment, parseMainGoMod } from "./gomod-main";

const real = (
  JSON.parse(readFileSync(new URL("./testdata/main-gomods.json", import.meta.url), "utf8")) as { gomods: Record<string, string> }
).gomods;
const realGoMod = (key: string) => {
  const text = real[key];
  if (text === undefined) throw new Error(`no testdata go.mod ${key}`);
  return text;
};

const head = "module example.com/m\n\ngo 1.19\n";
/** The errors for a go.mod made of `head` (lines 1-3) and then `body` from line 4. */
const errorsOf = (body: string) => parseMainGoMod(head + body).errors;

describe("parseMainGoMod on real go.mod files", () => {
  it("reads IBM/sarama: two require blocks, // indirect, retractions", () => {
    const f = parseMainGoMod(realGoMod("github.com/IBM/sarama@v1.60.1"));
    expect(f.errors).toEqual([]);
    expect(f.module).toBe("github.com/IBM/sarama");
    expect(f.go).toBe("1.25.0");
    expect(f.requires).toHaveLength(21);
    expect(f.requires[0]).toEqual({ path: "github.com/davecgh/go-spew", version: "v1.1.1", indirect: false, line: 6 });
    expect(f.requires.filter((r) => r.indirect).map((r) => r.path)).toEqual([
      "github.com/hashicorp/go-uuid",
      "github.com/jcmturner/aescts/v2",
      "github.com/jcmturner/dnsutils/v2",
      "github.com/jcmturner/rpc/v2",
      "github.com/kr/pretty",
      "github.com/pmezard/go-difflib",
      "golang.org/x/crypto",
      "gopkg.in/check.v1",
      "gopkg.in/yaml.v3",
    ]);
    expect(f.replaces).toEqual([]);
    expect(f.excludes).toEqual([]);
  });

  it("reads creachadair/ffs, whose tool block strict mode accepts", () => {
    const f = parseMainGoMod(realGoMod("github.com/creachadair/ffs@v0.17.20"));
    expect(f.errors).toEqual([]);
    expect(f.requires.map((r) => `${r.path}@${r.version}`)).toContain(
      "golang.org/x/tools@v0.40.1-0.20260108161641-ca281cf95054",
    );
    expect(f.requires).toHaveLength(15);
  });

  it("reads golang/protobuf with its deprecation comment", () => {
    const f = parseMainGoMod(realGoMod("github.com/golang/protobuf@v1.5.4"));
    expect(f).toMatchObject({ module: "github.com/golang/protobuf", go: "1.17", errors: [] });
    expect(f.requires.map((r) => r.path)).toEqual(["github.com/google/go-cmp", "google.golang.org/protobuf"]);
  });
});

// Each text below was also fed to go1.19.8 (`go list -m all`, GOFLAGS=-mod=mod GOPROXY=off); where its
// vendored x/mod wording differs from x/mod fe2ec04, the comment quotes what go1.19.8 printed.
describe("parseMainGoMod errors (go1.19.8 output, x/mod fe2ec04 wording)", () => {
  it.each([
    ["foo bar", 4, "unknown directive: foo"],
    ["require example.com/a", 4, "usage: require module/path v1.2.3"],
    ["exclude example.com/b", 4, "usage: exclude module/path v1.2.3"],
    ["exclude example.com/b v1.0.0 x", 4, "usage: exclude module/path v1.2.3"],
    ["require example.com/a v2.0.0", 4, 'require example.com/a: version "v2.0.0" invalid: should be v0 or v1, not v2'],
    ["require example.com/a/v2 v1.0.0", 4, 'require example.com/a/v2: version "v1.0.0" invalid: should be v2, not v1'],
    // go's version fixer rejects the path before looking at the version.
    ["require example.com/a/v1 v1.0.0", 4, 'require example.com/a/v1: version "v1.0.0" invalid: malformed module path "example.com/a/v1"'],
    ["replace example.com/a/v1 => ./x", 4, "replace example.com/a/v1: invalid module path"],
    ['replace example.com/a => ./b v1.0.0', 4, 'replacement module directory path "./b" cannot have version'],
    [
      "replace example.com/a v1.0.0 example.com/b v1.0.0",
      4,
      "usage: replace module/path [v1.2.3] => other/module v1.4\n\t or replace module/path [v1.2.3] => ../local/directory",
    ],
    ["replace example.com/a => example.com/b/v2 v1.0.0", 4, 'replace example.com/b/v2: version "v1.0.0" invalid: should be v2, not v1'],
    ["replace example.com/c => .\\x", 4, "replacement directory appears to be Windows path (on a non-windows system)"],
    ["go 1.20", 4, "repeated go statement"],
    ["module example.com/n", 4, "repeated module statement"],
    ['require example.com/a "v1\\q"', 4, 'require example.com/a: version "\\"v1\\\\q\\"" invalid: invalid syntax'],
    ["require ex'a v1.0.0", 4, "invalid quoted string: unquoted string cannot contain quote"],
    ["foo (\n  x\n)", 4, "unknown block type: foo"],
    ["require x y (\n)", 4, "unknown block type: require x y"],
    ["go (\n  1.20\n)", 4, "unknown block type: go"],
    ["retract v2.0.0", 4, 'retract example.com/m: version "v2.0.0" invalid: should be v0 or v1, not v2'],
    ["retract [v1.0.0, v1.1.0] extra", 4, 'unexpected token after version: "extra"'],
    ["retract [v1.0.0 v1.1.0]", 4, "expected ',' after version"],
    ["retract [v1.0.0, v1.1.0", 4, "expected ']' after version"],
    ["retract [", 4, "expected version after '['"],
  ])("%j", (body, line, message) => {
    expect(errorsOf(body)).toEqual([{ line, message }]);
  });

  it("go1.19.8 wording: replacement without version must be a directory", () => {
    // go1.19.8: "… (rooted or starting with ./ or ../)"; x/mod 6e58e47 (2023-10) changed it.
    expect(errorsOf("replace example.com/a => example.com/b")).toEqual([
      { line: 4, message: "replacement module without version must be directory path (rooted or starting with . or ..)" },
    ]);
    // go1.19.8 gave the same message here; x/mod 046e8b3 (2022-08) added this one.
    expect(errorsOf("replace example.com/a => example.com/b@v1.0.0")).toEqual([
      { line: 4, message: "replacement module must match format 'path version', not 'path@version'" },
    ]);
  });

  it("go version format", () => {
    // go1.19.8: "must match format 1.23"; x/mod 5b69280 (2023-09) changed it.
    expect(parseMainGoMod("module example.com/m\n\ngo 1.19.1.1\n").errors).toEqual([
      { line: 3, message: "invalid go version '1.19.1.1': must match format 1.23.0" },
    ]);
    // The lax "v1.21x" fix-up applies only to dependencies' go.mod files.
    expect(parseMainGoMod("module example.com/m\ngo v1.21\n").errors).toEqual([
      { line: 2, message: "invalid go version 'v1.21': must match format 1.23.0" },
    ]);
    expect(parseMainGoMod("module example.com/m\ngo 1.21rc1\n")).toMatchObject({ go: "1.21rc1", errors: [] });
  });

  it("toolchain and godebug (newer than go1.19.8, which called toolchain an unknown directive)", () => {
    expect(errorsOf("toolchain go1.21.0\ngodebug (\n  panicnil=1\n)")).toEqual([]);
    expect(errorsOf("toolchain 1.21")).toEqual([
      { line: 4, message: "invalid toolchain version '1.21': must match format go1.23.0 or default" },
    ]);
    expect(errorsOf("toolchain default\ntoolchain go1.22")).toEqual([{ line: 5, message: "repeated toolchain statement" }]);
    expect(errorsOf("godebug panicnil")).toEqual([{ line: 4, message: "usage: godebug key=value" }]);
  });

  it("refuses a non-canonical version instead of querying a proxy for it", () => {
    // go1.19.8 with a proxy rewrote `v1.2` to the latest v1.2.x; read-only commands then failed with
    // "updates to go.mod needed". Without one it printed "go.mod:4: module lookup disabled by GOPROXY=off".
    expect(errorsOf("require example.com/a v1.2")).toEqual([
      { line: 4, message: 'require example.com/a: version "v1.2" invalid: must be of the form v1.2.3' },
    ]);
    expect(errorsOf("exclude example.com/a master")).toEqual([
      { line: 4, message: 'exclude example.com/a: version "master" invalid: must be of the form v1.2.3' },
    ]);
    expect(errorsOf("require example.com/a v1.2.5+meta")[0]?.message).toBe(
      'require example.com/a: version "v1.2.5+meta" invalid: must be of the form v1.2.3',
    );
    expect(errorsOf("replace example.com/a v1.0 => ./x")[0]?.message).toBe(
      'replace example.com/a: version "v1.0" invalid: must be of the form v1.2.3',
    );
    // +incompatible is part of a canonical module version.
    expect(errorsOf("require example.com/a v2.0.0+incompatible")).toEqual([]);
  });

  it("reports every directive error, in file order, like modfile's ErrorList", () => {
    expect(errorsOf("require example.com/a x\nrequire example.com/b y\nfoo")).toEqual([
      { line: 4, message: 'require example.com/a: version "x" invalid: must be of the form v1.2.3' },
      { line: 5, message: 'require example.com/b: version "y" invalid: must be of the form v1.2.3' },
      { line: 6, message: "unknown directive: foo" },
    ]);
  });

  it("reports an error inside a block at the line's own line", () => {
    expect(errorsOf("require (\n\texample.com/a v1.0.0\n\texample.com/b\n)")).toEqual([
      { line: 6, message: "usage: require module/path v1.2.3" },
    ]);
  });

  it("checks retract versions after the whole file, so those errors come last", () => {
    // go1.19.8 printed line 5 before line 4 for this file.
    expect(errorsOf('retract v2.0.0\nretract "v1.\\q"')).toEqual([
      { line: 5, message: 'retract: version "\\"v1.\\\\q\\"" invalid: invalid syntax' },
      { line: 4, message: 'retract example.com/m: version "v2.0.0" invalid: should be v0 or v1, not v2' },
    ]);
    // The module directive may follow the retractions.
    expect(parseMainGoMod("retract v1.0.0\nmodule example.com/m\n").errors).toEqual([]);
  });

  it("needs a module directive for retract (reported once) and for the file", () => {
    expect(parseMainGoMod("go 1.19\nretract v1.0.0\nretract v1.1.0\n").errors).toEqual([
      { line: 2, message: "no module directive found, so retract cannot be used" },
    ]);
    expect(parseMainGoMod("go 1.19\n").errors).toEqual([
      { line: 0, message: "no module declaration in go.mod. To specify the module path:\n\tgo mod edit -module=example.com/mod" },
    ]);
    expect(parseMainGoMod("module\n").errors).toEqual([{ line: 1, message: "usage: module module/path" }]);
  });

  it("checks the module path as an import path once the file parses", () => {
    expect(parseMainGoMod("module ex%ample.com/m\n\ngo 1.19\n").errors).toEqual([
      { line: 1, message: "malformed module path \"ex%ample.com/m\": invalid char '%'" },
    ]);
    // An import path need not have a dot in its first element: `module m` is a valid main module.
    expect(parseMainGoMod("module m\n").errors).toEqual([]);
  });

  it("refuses two different replacements of the same module version", () => {
    expect(errorsOf("replace example.com/a => example.com/b v1.0.0\nreplace example.com/a => example.com/c v1.0.0")).toEqual([
      { line: 5, message: "conflicting replacements for example.com/a:\n\texample.com/b@v1.0.0\n\texample.com/c@v1.0.0" },
    ]);
    // The same replacement twice is not a conflict, nor are replacements of different versions.
    expect(errorsOf("replace example.com/a => ../a\nreplace example.com/a => ../a")).toEqual([]);
    expect(errorsOf("replace example.com/a v1.0.0 => ../a\nreplace example.com/a => ../b")).toEqual([]);
  });

  describe("syntax errors: only the first is reported (read.go stops)", () => {
    it.each([
      ['module "example.com/m\n\ngo 1.19\n', 1, "unexpected newline in string"],
      [`${head}require (\n  example.com/a v1.0.0\n`, 6, "syntax error (unterminated block started at go.mod:4:1)"],
      [`${head}/* x */\n`, 4, "mod files must use // comments (not /* */ comments)"],
      [`${head}require example.com/a v1.0.0 \x01\n`, 4, "unexpected input character '\\x01'"],
      [`${head}require (\n  example.com/a v1.0.0\n) x\n`, 6, "syntax error (expected newline after closing paren)"],
      // Line 5's bad interval would be a directive error, but the syntax error on line 7 hides it.
      [`${head}retract (\n  [v1.0.0, v1.1.0\n  v1.0.0 x\n  "v1.0.0\n)\n`, 7, "unexpected newline in string"],
    ])("%j", (text, line, message) => {
      expect(parseMainGoMod(text).errors).toEqual([{ line, message }]);
    });

    it("still returns what the recovered lines say", () => {
      const f = parseMainGoMod(`${head}require example.com/a v1.0.0\nfoo "bar\nrequire example.com/b x\n`);
      expect(f.errors).toEqual([{ line: 5, message: "unexpected newline in string" }]);
      expect(f.requires.map((r) => r.path)).toEqual(["example.com/a"]);
    });
  });
});

describe("parseMainGoMod directives", () => {
  it("reads replace forms: all versions, one version, module or directory targets", () => {
    const f = parseMainGoMod(
      head +
        [
          "replace example.com/a => example.com/b v1.1.0",
          "replace (",
          '\t"example.com/c" v1.0.0 => ../c',
          "\texample.com/d => /abs/d",
          "\texample.com/e => C:/e",
          ")",
        ].join("\n"),
    );
    expect(f.errors).toEqual([]);
    expect(f.replaces).toEqual([
      { old: { path: "example.com/a", version: null }, new: { path: "example.com/b", version: "v1.1.0" }, line: 4 },
      { old: { path: "example.com/c", version: "v1.0.0" }, new: { path: "../c", version: null }, line: 6 },
      { old: { path: "example.com/d", version: null }, new: { path: "/abs/d", version: null }, line: 7 },
      { old: { path: "example.com/e", version: null }, new: { path: "C:/e", version: null }, line: 8 },
    ]);
  });

  it("reads excludes and quoted paths", () => {
    const f = parseMainGoMod(`${head}exclude (\n\t"example.com/a" v1.0.0\n\texample.com/b v0.1.0-pre\n)\n`);
    expect(f.excludes).toEqual([
      { path: "example.com/a", version: "v1.0.0", line: 5 },
      { path: "example.com/b", version: "v0.1.0-pre", line: 6 },
    ]);
  });

  it("detects // indirect as modfile isIndirect does", () => {
    const req = (suffix: string) => parseMainGoMod(`${head}require example.com/a v1.0.0 ${suffix}\n`).requires[0]?.indirect;
    expect(req("// indirect")).toBe(true);
    expect(req("//indirect")).toBe(true);
    expect(req("// indirect; for tests")).toBe(true);
    expect(req("// indirect dependency")).toBe(false);
    expect(req("// not indirect")).toBe(false);
    expect(req("")).toBe(false);
    // In a block, the comment belongs to its own line only.
    const f = parseMainGoMod(`${head}require (\n\texample.com/a v1.0.0 // indirect\n\texample.com/b v1.0.0\n)\n`);
    expect(f.requires.map((r) => r.indirect)).toEqual([true, false]);
  });

  it("isIndirectComment looks only at the first suffix comment", () => {
    expect(isIndirectComment(["// indirect"])).toBe(true);
    expect(isIndirectComment(["// x", "// indirect"])).toBe(false);
    expect(isIndirectComment([])).toBe(false);
  });

  it("isDirectoryPath accepts Unix and Windows directory syntax", () => {
    for (const p of [".", "..", "./x", "../x", ".\\x", "..\\x", "/x", "\\x", "C:", "c:\\x"]) expect(isDirectoryPath(p)).toBe(true);
    for (const p of ["example.com/x", ".x", "..x", "x/./y", "1:x"]) expect(isDirectoryPath(p)).toBe(false);
  });
});

describe("effectiveRequirements", () => {
  const eff = (body: string) => {
    const f = parseMainGoMod(head + body);
    expect(f.errors).toEqual([]);
    return effectiveRequirements(f);
  };

  it("keeps go.mod order and the indirect flag", () => {
    const f = parseMainGoMod(realGoMod("github.com/golang/protobuf@v1.5.4"));
    expect(effectiveRequirements(f)).toEqual([
      { module: "github.com/google/go-cmp", version: "v0.5.5", indirect: false, replacedBy: null, excluded: false },
      { module: "google.golang.org/protobuf", version: "v1.33.0", indirect: false, replacedBy: null, excluded: false },
    ]);
  });

  it("applies a versioned replace to that version only, an unversioned one to every version", () => {
    const r = eff(
      [
        "require (\n\texample.com/a v1.0.0\n\texample.com/b v1.2.0\n\texample.com/c v1.0.0 // indirect\n)",
        "replace example.com/a v1.0.0 => example.com/fork v1.0.1",
        "replace example.com/b v1.0.0 => example.com/fork v1.0.1",
        "replace example.com/c => ../c",
      ].join("\n"),
    );
    expect(r.map((x) => [x.module, x.replacedBy])).toEqual([
      ["example.com/a", { path: "example.com/fork", version: "v1.0.1" }],
      ["example.com/b", null],
      ["example.com/c", { local: "../c" }],
    ]);
    expect(r[2]?.indirect).toBe(true);
  });

  it("prefers the path@version replacement over the path one", () => {
    const r = eff("require example.com/a v1.0.0\nreplace example.com/a => ../a\nreplace example.com/a v1.0.0 => example.com/b v1.0.0");
    expect(r[0]?.replacedBy).toEqual({ path: "example.com/b", version: "v1.0.0" });
  });

  it("collapses two require lines of one path to the higher version (direct if any line is)", () => {
    const r = eff("require example.com/a v1.2.5 // indirect\nrequire example.com/b v1.0.0\nrequire example.com/a v1.10.0");
    expect(r).toEqual([
      { module: "example.com/a", version: "v1.10.0", indirect: false, replacedBy: null, excluded: false },
      { module: "example.com/b", version: "v1.0.0", indirect: false, replacedBy: null, excluded: false },
    ]);
  });

  it("marks an excluded required version, and falls back to a non-excluded line of the same path", () => {
    const r = eff(
      "require example.com/a v1.2.5\nexclude example.com/a v1.2.5\nrequire example.com/b v1.1.0\nrequire example.com/b v1.0.0\nexclude example.com/b v1.1.0",
    );
    expect(r).toEqual([
      { module: "example.com/a", version: "v1.2.5", indirect: false, replacedBy: null, excluded: true },
      { module: "example.com/b", version: "v1.0.0", indirect: false, replacedBy: null, excluded: false },
    ]);
    // Excluding another version of the path leaves the requirement alone.
    expect(eff("require example.com/a v1.2.5\nexclude example.com/a v1.2.4")[0]?.excluded).toBe(false);
  });
});
