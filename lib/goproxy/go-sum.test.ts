import { describe, expect, it } from "vitest";
import { EMPTY_GO_MOD_HASH, goSumFor, parseGoSum } from "./go-sum";

// Written by go1.19.8 `go mod download example.com/a` for a test proxy serving example.com/a v1.2.5.
const zipLine = "example.com/a v1.2.5 h1:p67Io/F0+l0Kzxb8Vv9Tdk5JuY0fLi3pl67kweXgM5Y=";
const modLine = "example.com/a v1.2.5/go.mod h1:NeOsx/KTizj35klXP3wYh3O0751aAtYrRoX+a6YAye8=";

describe("parseGoSum", () => {
  it("reads zip and /go.mod lines", () => {
    expect(parseGoSum(`${zipLine}\n${modLine}\n`)).toEqual({
      lines: [
        { module: "example.com/a", version: "v1.2.5", kind: "zip", hash: "h1:p67Io/F0+l0Kzxb8Vv9Tdk5JuY0fLi3pl67kweXgM5Y=", line: 1 },
        { module: "example.com/a", version: "v1.2.5", kind: "go.mod", hash: "h1:NeOsx/KTizj35klXP3wYh3O0751aAtYrRoX+a6YAye8=", line: 2 },
      ],
      errors: [],
    });
  });

  it("skips blank lines, splits on any white space, tolerates CRLF and a missing final newline", () => {
    const sums = parseGoSum(`\n  \t\nexample.com/a\tv1.2.5 \t h1:x=\r\n\r\nexample.com/b v1.0.0/go.mod h1:y=`);
    expect(sums.errors).toEqual([]);
    expect(sums.lines.map((l) => [l.module, l.version, l.kind, l.hash, l.line])).toEqual([
      ["example.com/a", "v1.2.5", "zip", "h1:x=", 3],
      ["example.com/b", "v1.0.0", "go.mod", "h1:y=", 5],
    ]);
  });

  it("stops at a line without three fields, with readGoSum's message", () => {
    // go1.19.8 then ignored the rest: with `bad line` first, a wrong h1 on line 2 gave "missing go.sum
    // entry" instead of a checksum mismatch.
    const sums = parseGoSum(`${zipLine}\nbad line\n${modLine}\n`);
    expect(sums.lines.map((l) => l.line)).toEqual([1]);
    expect(sums.errors).toEqual([{ line: 2, message: "malformed go.sum:\ngo.sum:2: wrong number of fields 2" }]);
    expect(parseGoSum(`${modLine} extra\n`).errors[0]?.message).toBe("malformed go.sum:\ngo.sum:1: wrong number of fields 4");
  });

  it("drops the empty-go.mod hash an old go command wrote for non-modules", () => {
    const sums = parseGoSum(`example.com/old v1.0.0/go.mod ${EMPTY_GO_MOD_HASH}\n${zipLine}\n`);
    expect(sums.lines.map((l) => l.line)).toEqual([2]);
  });

  it("keeps hashes of other algorithms and duplicate lines, as go's map does", () => {
    const sums = parseGoSum(`example.com/a v1.2.5/go.mod h2:abc\n${modLine}\n${modLine}\n`);
    expect(sums.lines.map((l) => l.hash)).toEqual(["h2:abc", "h1:NeOsx/KTizj35klXP3wYh3O0751aAtYrRoX+a6YAye8=", "h1:NeOsx/KTizj35klXP3wYh3O0751aAtYrRoX+a6YAye8="]);
  });

  it("does not treat a version merely containing go.mod as a go.mod line", () => {
    expect(parseGoSum("example.com/a v1.0.0-go.mod h1:x=\n").lines[0]?.kind).toBe("zip");
  });
});

describe("goSumFor", () => {
  const sums = parseGoSum(
    [
      zipLine,
      modLine,
      "example.com/a v1.2.5/go.mod h2:ignored", // go1.19.8 with only this line: "missing go.sum entry"
      "example.com/a v1.2.4 h1:older=",
      "example.com/a/v2 v2.0.0 h1:other=",
      "example.com/a v1.2.5 h1:second=",
    ].join("\n"),
  );

  it("returns the h1 zip and go.mod hashes of one module version, in file order", () => {
    expect(goSumFor(sums, "example.com/a", "v1.2.5")).toEqual({
      zip: ["h1:p67Io/F0+l0Kzxb8Vv9Tdk5JuY0fLi3pl67kweXgM5Y=", "h1:second="],
      gomod: ["h1:NeOsx/KTizj35klXP3wYh3O0751aAtYrRoX+a6YAye8="],
    });
  });

  it("matches path and version exactly", () => {
    expect(goSumFor(sums, "example.com/a", "v1.2.4")).toEqual({ zip: ["h1:older="], gomod: [] });
    expect(goSumFor(sums, "example.com/a/v2", "v2.0.0")).toEqual({ zip: ["h1:other="], gomod: [] });
    expect(goSumFor(sums, "example.com/A", "v1.2.5")).toEqual({ zip: [], gomod: [] });
  });
});
