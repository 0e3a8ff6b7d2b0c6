import { describe, expect, it } from "vitest";
import {
  checkFilePath,
  checkImportPath,
  checkModulePath,
  checkModuleVersion,
  escapeModulePath,
  escapeVersion,
  isValidModulePath,
  matchPathMajor,
  splitPathVersion,
  unescapeModulePath,
  unescapeVersion,
} from "./module-path";
import { vectorString, vectors } from "./testdata/vectors";

const throws = (f: () => unknown) => {
  try {
    f();
    return false;
  } catch {
    return true;
  }
};

describe("checkPath vectors (x/mod module_test.go checkPathTests)", () => {
  it.each(vectors.checkPath.items)("$in", (item) => {
    const path = vectorString(item);
    expect(isValidModulePath(path)).toBe(item.checkPath);
    expect(throws(() => checkModulePath(path))).toBe(!item.checkPath);
    expect(throws(() => checkImportPath(path))).toBe(!item.checkImportPath);
    expect(throws(() => checkFilePath(path))).toBe(!item.checkFilePath);
  });
});

describe("checkModulePath error messages (x/mod CheckPath wording)", () => {
  it.each([
    ["", "empty string"],
    ["x", "missing dot in first path element"],
    ["X.y/z", "invalid char 'X' in first path element"],
    ["x_y.com/z", "invalid char '_' in first path element"],
    ["-x/z", "leading dash"],
    ["/x.y/z", "empty path element"],
    ["x.y//z", "double slash"],
    ["x.y/z/", "trailing slash"],
    [".x/z", "leading dot in path element"],
    ["x./z", "trailing dot in path element"],
    ["x.y/z/../../w", 'invalid path element ".."'],
    ["./y", 'invalid path element "."'],
    ["x.y/z!", "invalid char '!'"],
    ["x.y/z'", "invalid char '\\''"],
    ["x.y/z\\", "invalid char '\\\\'"],
    ["x.y/z+", "invalid char '+'"],
    ["github.com/user/unicode/испытание", "invalid char 'и'"],
    ["x.y/aux.foo", '"aux" disallowed as path element component on Windows'],
    ["x.y/CoM1", '"CoM1" disallowed as path element component on Windows'],
    ["x.y/z~09", "trailing tilde and digits in path element"],
    ["x.y/z/v0", "invalid version"],
    ["x.y/z/v1", "invalid version"],
    ["x.y/z/v02", "invalid version"],
    ["x.y/z/v2.0", "invalid version"],
    ["gopkg.in/yaml", "invalid version"],
    ["gopkg.in/yaml.v01", "invalid version"],
  ])("%j → %s", (path, reason) => {
    expect(() => checkModulePath(path)).toThrow(new Error(`malformed module path ${JSON.stringify(path)}: ${reason}`));
  });

  it("quotes paths like Go's %q, escaping quotes and non-printables", () => {
    expect(() => checkModulePath('x.y/z"')).toThrow(`malformed module path "x.y/z\\"": invalid char '"'`);
    expect(() => checkModulePath("x.y/z\t")).toThrow(`malformed module path "x.y/z\\t": invalid char '\\t'`);
    expect(() => checkModulePath("x.y/z\u00a0")).toThrow(`malformed module path "x.y/z\\u00a0": invalid char '\\u00a0'`);
    expect(() => checkModulePath("x.y/z\u0007")).toThrow(`malformed module path "x.y/z\\a": invalid char '\\a'`);
    // A lone surrogate is what invalid UTF-8 becomes in a JS string.
    expect(() => checkModulePath("x.y/\uD800z")).toThrow(`malformed module path "x.y/\\ufffdz": invalid UTF-8`);
    expect(() => checkModulePath("x.y/\u{1F600}")).toThrow(`malformed module path "x.y/\u{1F600}": invalid char '\u{1F600}'`);
  });

  it.each([
    "x..y/z",
    "x.y/z/v2",
    "x.y/z/v10",
    "x.y/v",
    "gopkg.in/yaml.v0",
    "gopkg.in/yaml.v2",
    "gopkg.in/yaml.v2-unstable",
    "github.com/BurntSushi/toml",
    "example.com/x~y",
    "x.y/con2",
  ])("accepts %s", (path) => {
    expect(() => checkModulePath(path)).not.toThrow();
  });
});

describe("splitPathVersion (x/mod splitPathVersionTests)", () => {
  it.each(vectors.splitPathVersion.items)("$in", (item) => {
    expect(splitPathVersion(item.in)).toEqual({ prefix: item.prefix, pathMajor: item.pathMajor, ok: item.ok });
  });

  it.each([
    ["x.y/z/v1", false],
    ["x.y/z/v02", false],
    ["x.y/z/v2.1", false],
    ["gopkg.in/yaml", false],
    ["gopkg.in/yaml.v00", false],
  ])("rejects %s", (path, ok) => {
    expect(splitPathVersion(path)).toEqual({ prefix: path, pathMajor: "", ok });
  });

  it("splits gopkg.in -unstable suffixes", () => {
    expect(splitPathVersion("gopkg.in/yaml.v2-unstable")).toEqual({ prefix: "gopkg.in/yaml", pathMajor: ".v2-unstable", ok: true });
  });
});

describe("matchPathMajor (x/mod TestMatchPathMajor)", () => {
  it.each(vectors.matchPathMajor.items)("$version ~ $pathMajor", ({ version, pathMajor, match }) => {
    expect(matchPathMajor(version, pathMajor)).toBe(match);
  });
});

describe("checkModuleVersion (x/mod checkTests)", () => {
  it.each(vectors.check.items)("$path@$version", ({ path, version, ok }) => {
    expect(throws(() => checkModuleVersion(path, version))).toBe(!ok);
  });

  it("words errors like the go command", () => {
    expect(() => checkModuleVersion("rsc.io/quote", "v17.0.0")).toThrow(
      "rsc.io/quote@v17.0.0: invalid version: should be v0 or v1, not v17",
    );
    expect(() => checkModuleVersion("x.y/z/v2", "v3.0.0")).toThrow("x.y/z/v2@v3.0.0: invalid version: should be v2, not v3");
    expect(() => checkModuleVersion("gopkg.in/yaml.v2", "v1.0.0")).toThrow(
      "gopkg.in/yaml.v2@v1.0.0: invalid version: should be v2, not v1",
    );
    expect(() => checkModuleVersion("rsc.io/quote", "0.1.0")).toThrow("rsc.io/quote@0.1.0: invalid version: not a semantic version");
  });
});

describe("escapeModulePath", () => {
  it.each(vectors.escapePath.items)("$in", (item) => {
    expect(escapeModulePath(item.in)).toBe(item.out);
    expect(unescapeModulePath(item.out)).toBe(item.in);
    // The go command percent-encodes "!" on the wire; servers accept both forms.
    if (item.wire !== undefined) expect(item.out.replaceAll("!", "%21")).toBe(item.wire);
  });

  it.each(vectors.escapePathInvalid.items)("refuses invalid path %j", (path) => {
    expect(() => escapeModulePath(path)).toThrow(/^malformed module path /);
  });

  it("throws CheckPath's own error", () => {
    expect(() => escapeModulePath("github.com/x/y/v1")).toThrow('malformed module path "github.com/x/y/v1": invalid version');
  });
});

describe("unescapeModulePath", () => {
  it.each(vectors.unescapePathInvalid.items)("rejects %j", (escaped) => {
    expect(() => unescapeModulePath(escaped)).toThrow(/^invalid escaped module path /);
  });

  it.each([
    ["github.com/!!google/x", 'invalid escaped module path "github.com/!!google/x"'],
    ["github.com/!0x/y", 'invalid escaped module path "github.com/!0x/y"'],
    ["github.com/x/y!", 'invalid escaped module path "github.com/x/y!"'],
    ["github.com/X/y", 'invalid escaped module path "github.com/X/y"'],
    ["github.com/\u00e9/y", 'invalid escaped module path "github.com/\u00e9/y"'],
  ])("rejects bad escape %j", (escaped, message) => {
    expect(() => unescapeModulePath(escaped)).toThrow(new Error(message));
  });

  it("rejects escapes that decode to an invalid path, with CheckPath's reason", () => {
    expect(() => unescapeModulePath("!x.y/z")).toThrow(
      'invalid escaped module path "!x.y/z": malformed module path "X.y/z": invalid char \'X\' in first path element',
    );
  });
});

describe("escapeVersion / unescapeVersion", () => {
  it.each(vectors.escapeVersion.items)("$in", ({ in: v, out }) => {
    expect(escapeVersion(v)).toBe(out);
    expect(unescapeVersion(out)).toBe(v);
  });

  it.each(["v1.0.0!", "", ".", "v1/2", "v1*", "v1:0", "con", "v1.0."])("refuses %j", (v) => {
    expect(() => escapeVersion(v)).toThrow(`version ${JSON.stringify(v)} invalid: disallowed version string`);
  });

  it("accepts non-semver versions that are valid file names (x/mod allows them)", () => {
    expect(escapeVersion("master")).toBe("master");
    expect(escapeVersion("v2.0.0+incompatible")).toBe("v2.0.0+incompatible");
    expect(escapeVersion("v1.0.0-RC.1")).toBe("v1.0.0-!r!c.1");
  });

  it("rejects non-ASCII letters that CheckFilePath allows but escaping cannot represent", () => {
    expect(() => escapeVersion("v1.0.0-é")).toThrow("internal error: inconsistency in EscapePath");
  });

  it.each([
    ["v1.5.3-!P", 'invalid escaped version "v1.5.3-!P"'],
    ["v1.5.3-PRE", 'invalid escaped version "v1.5.3-PRE"'],
    ["v1!", 'invalid escaped version "v1!"'],
    ["v1/x", 'invalid escaped version "v1/x": invalid char \'/\''],
  ])("unescapeVersion rejects %j", (escaped, message) => {
    expect(() => unescapeVersion(escaped)).toThrow(new Error(message));
  });
});
