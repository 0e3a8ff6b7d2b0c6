import { describe, expect, it } from "vitest";
import { autoQuote, isLegacyGoMod, legacyGoMod, parseGoMod, parseGoModDetailed } from "./gomod";
import { isRetracted } from "./retractions";
import { vectors } from "./testdata/vectors";

const intervals = (text: string) => parseGoMod(text).retractions.map((r) => [r.low, r.high]);

describe("retract rationale (x/mod rule_test.go retractRationaleTests)", () => {
  it.each(vectors.retractRationale.items)("$desc", ({ gomod, rationale }) => {
    const parsed = parseGoModDetailed(gomod);
    expect(parsed.errors).toEqual([]);
    expect(parsed.retractions[0]?.rationale).toBe(rationale);
  });
});

describe("module deprecation (x/mod rule_test.go moduleDeprecatedTests)", () => {
  it.each(vectors.moduleDeprecated.items)("$desc", ({ gomod, deprecated }) => {
    const parsed = parseGoMod(gomod);
    expect(parsed.module).toBe("m");
    expect(parsed.deprecated).toBe(deprecated === "" ? null : deprecated);
  });

  it("treats an empty Deprecated: paragraph as not deprecated (the go command checks for \"\")", () => {
    expect(parseGoMod("// Deprecated:\nmodule m").deprecated).toBeNull();
  });

  it("handles CRLF line endings", () => {
    expect(parseGoMod("// Deprecated: use v2\r\nmodule example.com/m\r\n")).toEqual({
      module: "example.com/m",
      deprecated: "use v2",
      retractions: [],
    });
  });
});

describe("retract syntax (x/mod testdata/retract.in)", () => {
  it("reads quoted versions, intervals and blocks", () => {
    expect(intervals(vectors.retractFormat.in)).toEqual(vectors.retractFormat.intervals);
    expect(intervals(vectors.retractFormat.out)).toEqual(vectors.retractFormat.intervals);
  });

  it.each(vectors.addRetract.items)("AddRetract output $desc declares the added interval last", (item) => {
    const before = parseGoMod(item.in).retractions;
    const after = parseGoMod(item.out).retractions;
    expect(after).toHaveLength(before.length + 1);
    expect(after.at(-1)).toEqual({ low: item.low, high: item.high, rationale: item.rationale });
  });

  it.each(vectors.dropRetract.items)("DropRetract $desc removes exactly the matching intervals", (item) => {
    const keep = (r: { low: string; high: string }) => !(r.low === item.low && r.high === item.high);
    const before = parseGoMod(item.in).retractions;
    expect(parseGoMod(item.out).retractions.map(({ low, high }) => ({ low, high }))).toEqual(
      before.filter(keep).map(({ low, high }) => ({ low, high })),
    );
  });
});

describe("go command proxy fixtures (cmd/go testdata/mod/example.com_retract_*)", () => {
  const fixtures = vectors.retract.items.filter((i) => i.retracted !== undefined);

  it.each(fixtures)("$module", (item) => {
    const parsed = parseGoModDetailed(item.gomodOfLatest);
    expect(parsed.errors).toEqual([]);
    expect(parsed.retractions).toEqual(item.retracted);
  });

  it("keeps the go.mod's own module path even when it differs from the requested one (retract/rename)", () => {
    const rename = vectors.retract.items.find((i) => i.module === "example.com/retract/rename")!;
    expect(parseGoMod(rename.gomodOfLatest).module).toBe("example.com/retract/newname");
  });

  it("parses example.com/retract/rationale without errors, keeping long and unprintable rationales whole", () => {
    const item = vectors.retract.items.find((i) => i.module === "example.com/retract/rationale")!;
    // The vector abbreviates a ~500-character word and spells BEL as \x07; restore both.
    const long = "lo" + "o".repeat(500) + "ng";
    const text = item.gomodOfLatest.replace("<'lo'+'o'*~500+'ng'>", long).replace("\\x07", "\x07");
    const parsed = parseGoModDetailed(text);
    expect(parsed.errors).toEqual([]);
    expect(parsed.retractions.find((r) => r.low === "v1.0.0-long")?.rationale).toBe(long);
    expect(parsed.retractions.find((r) => r.low === "v1.0.0-unprintable")?.rationale).toBe("Ends with a BEL character. Beep!\x07");
    expect(parsed.retractions.find((r) => r.low === "v1.0.0-empty")?.rationale).toBe("");
    // A comment after the last line of a block belongs to ")" and is nobody's rationale.
    expect(parsed.retractions.some((r) => r.rationale.includes("after not included"))).toBe(false);
  });
});

describe("lenient parsing (ParseLax, plus line-level recovery)", () => {
  it("reads a quoted module path, including Go escapes", () => {
    expect(parseGoMod('module "example.com/m"\n').module).toBe("example.com/m");
    expect(parseGoMod('module "example.com/\\x41\\u00e9"\n').module).toBe("example.com/Aé");
  });

  it("rejects other quoting of the module path", () => {
    const p = parseGoModDetailed("module `example.com/m`\n");
    expect(p.module).toBeNull();
    expect(p.errors).toEqual([{ line: 1, message: "invalid quoted string: unquoted string cannot contain quote" }]);
  });

  it("skips malformed retract lines silently, keeping the others (lax mode)", () => {
    const p = parseGoModDetailed(
      [
        "module example.com/m",
        "retract [v1.0.0, v1.1.0",
        "retract",
        "retract [v1.0.0 v1.1.0]",
        "retract 'v1.0.0'",
        'retract "v1.0.0',
        "retract (",
        "  [v2.0.0,]",
        "  v1.5.0 // kept",
        ")",
        "retract v1.9.0 v1.9.1",
      ].join("\n"),
    );
    expect(p.retractions).toEqual([
      { low: "v1.5.0", high: "v1.5.0", rationale: "kept" },
      { low: "v1.9.0", high: "v1.9.0", rationale: "" },
    ]);
    // Only the unterminated string is a syntax error; ParseLax ignores the malformed intervals.
    expect(p.errors).toEqual([{ line: 6, message: "unexpected newline in string" }]);
  });

  it("keeps retract versions verbatim like ParseLax(…, nil) (semver order still applies)", () => {
    const { retractions } = parseGoMod('module m\nretract v1.2\nretract ["v1.3.0", "v1.4.0+meta"]\n');
    expect(retractions.map((r) => [r.low, r.high])).toEqual([
      ["v1.2", "v1.2"],
      ["v1.3.0", "v1.4.0+meta"],
    ]);
    expect(isRetracted("v1.2.0", retractions)).toBe(true);
    expect(isRetracted("v1.4.0", retractions)).toBe(true);
    expect(isRetracted("v1.4.1", retractions)).toBe(false);
  });

  it("ignores directives ParseLax ignores, including unknown ones and blocks", () => {
    const p = parseGoModDetailed(
      [
        "module example.com/m",
        "go 1.21",
        "toolchain go1.22.1",
        "frobnicate all the things",
        "replace example.com/x => ./x",
        "exclude example.com/y v1.0.0",
        "tool (",
        "  example.com/z",
        ")",
        "godebug default=go1.21",
        "retract v1.0.0",
      ].join("\n"),
    );
    expect(p.errors).toEqual([]);
    expect(p.go).toBe("1.21");
    expect(p.retractions).toHaveLength(1);
  });

  it("recovers from a syntax error by dropping only that line, and reports it", () => {
    const p = parseGoModDetailed(
      ["module example.com/m", "require example.com/x v1.0.0 /* old */", "// bad\nretract v1.0.0", "\u0001junk", "retract v1.1.0"].join(
        "\n",
      ),
    );
    expect(p.module).toBe("example.com/m");
    expect(p.retractions).toEqual([
      { low: "v1.0.0", high: "v1.0.0", rationale: "bad" },
      { low: "v1.1.0", high: "v1.1.0", rationale: "" },
    ]);
    expect(p.errors).toEqual([
      { line: 2, message: "mod files must use // comments (not /* */ comments)" },
      { line: 5, message: "unexpected input character '\\x01'" },
    ]);
  });

  it("keeps the lines of an unterminated block and reports where it started", () => {
    const p = parseGoModDetailed("module m\n\nretract (\n  v1.0.0 // oops\n  v1.1.0\n");
    expect(p.retractions.map((r) => r.low)).toEqual(["v1.0.0", "v1.1.0"]);
    expect(p.errors).toEqual([{ line: 6, message: "syntax error (unterminated block started at go.mod:3:1)" }]);
  });

  it("reports text after a closing paren", () => {
    const p = parseGoModDetailed("module m\nretract (\n  v1.0.0\n) v1.1.0\nretract v1.2.0\n");
    expect(p.retractions.map((r) => r.low)).toEqual(["v1.0.0", "v1.2.0"]);
    expect(p.errors).toEqual([{ line: 4, message: "syntax error (expected newline after closing paren)" }]);
  });

  it("reports the ParseLax errors that would make the go command ignore the file", () => {
    const p = parseGoModDetailed(
      [
        "module example.com/m",
        "module example.com/other",
        "go 1.21 1.22",
        "go banana",
        "require example.com/x",
        "require example.com/x 1.0.0",
        "require example.com/x v2.0.0",
        "require example.com/x/v2 v2.1.0",
        "require (",
        "  example.com/y v1.2 // short form is canonicalized, fine",
        ")",
      ].join("\n"),
    );
    expect(p.module).toBe("example.com/m");
    expect(p.errors).toEqual([
      { line: 2, message: "repeated module statement" },
      { line: 3, message: "go directive expects exactly one argument" },
      { line: 4, message: "invalid go version 'banana': must match format 1.23" },
      { line: 5, message: "usage: require module/path v1.2.3" },
      { line: 6, message: 'require example.com/x: version "1.0.0" invalid: must be of the form v1.2.3' },
      { line: 7, message: 'require example.com/x: version "v2.0.0" invalid: should be v0 or v1, not v2' },
    ]);
  });

  it("accepts lax go versions as x/mod does", () => {
    expect(parseGoModDetailed("module m\ngo 1.21.0\n").go).toBe("1.21.0");
    expect(parseGoModDetailed("module m\ngo 1.21rc1\n").go).toBe("1.21rc1");
    expect(parseGoModDetailed("module m\ngo v1.19-beta\n")).toMatchObject({ go: "1.19", errors: [] });
  });

  it("returns nulls for an empty or module-less file", () => {
    expect(parseGoMod("")).toEqual({ module: null, deprecated: null, retractions: [] });
    expect(parseGoMod("go 1.21\n")).toEqual({ module: null, deprecated: null, retractions: [] });
  });

  it("reads a module block and its deprecation", () => {
    expect(parseGoMod("// Deprecated: gone\nmodule (\n\texample.com/m\n)\n")).toEqual({
      module: "example.com/m",
      deprecated: "gone",
      retractions: [],
    });
  });

  it("does not take a comment separated by a blank line as the module's comment", () => {
    expect(parseGoMod("// Deprecated: no\n\nmodule m\n").deprecated).toBeNull();
  });

  it("attaches a suffix comment on `retract (` to the paren, not to the lines", () => {
    const p = parseGoMod("module m\nretract ( // paren\n  v1.0.0\n) // close\n");
    expect(p.retractions).toEqual([{ low: "v1.0.0", high: "v1.0.0", rationale: "" }]);
  });

  it("uses the block comment only for lines without their own comments (blank lines count as own)", () => {
    const p = parseGoMod("module m\n// block\nretract (\n  v1.0.0\n\n  v1.1.0\n  v1.2.0 // own\n)\n");
    expect(p.retractions.map((r) => r.rationale)).toEqual(["block", "", "own"]);
  });

  it("ends an identifier at // and treats the rest as a suffix comment", () => {
    expect(parseGoMod("module m\nretract v1.0.0// why\n").retractions).toEqual([{ low: "v1.0.0", high: "v1.0.0", rationale: "why" }]);
  });
});

describe("legacy (synthetic) go.mod", () => {
  it("is `module <path>` plus a newline, quoted only when needed", () => {
    expect(legacyGoMod("github.com/google/uuid")).toBe("module github.com/google/uuid\n");
    expect(autoQuote("a b")).toBe('"a b"');
    expect(autoQuote("x//y")).toBe('"x//y"');
    expect(autoQuote("(")).toBe("(");
    expect(autoQuote("(x")).toBe('"(x"');
    expect(autoQuote("")).toBe('""');
  });

  it("recognizes the synthetic file and nothing else", () => {
    expect(isLegacyGoMod("module example.com/m\n", "example.com/m")).toBe(true);
    expect(isLegacyGoMod("module example.com/m\n\ngo 1.16\n", "example.com/m")).toBe(false);
    expect(isLegacyGoMod("module example.com/m", "example.com/m")).toBe(false);
  });
});
