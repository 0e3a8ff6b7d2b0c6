import { describe, expect, it } from "vitest";
import {
  canonicalModuleVersion,
  canonicalVersion,
  compareVersions,
  isPrerelease,
  isPseudoVersion,
  isValidVersion,
  semverBuild,
  semverMajor,
  semverMajorMinor,
  semverPrerelease,
  sortVersions,
} from "./semver";
import { vectors } from "./testdata/vectors";

const items = vectors.semverValid.items;

describe("isValidVersion / canonicalVersion (x/mod semver_test.go tests)", () => {
  it.each(items)("$in", ({ in: v, canonical, valid }) => {
    expect(isValidVersion(v)).toBe(valid);
    expect(canonicalVersion(v)).toBe(canonical);
  });

  it.each(["", "1.2.3", "v", "v01.2.3", "v1.02.3", "v1.2.03", "v1.2.3-", "v1.2.3-01", "v1.2.3-a..b", "v1.2.3+", "v1.2.3+a..b", "v1.2.3-é", "v1.2.3 ", "V1.2.3"])(
    "rejects %j",
    (v) => {
      expect(isValidVersion(v)).toBe(false);
      expect(canonicalVersion(v)).toBe("");
    },
  );

  it("accepts numeric prerelease identifier 0 and alphanumerics with leading zeros", () => {
    expect(isValidVersion("v1.2.3-0")).toBe(true);
    expect(isValidVersion("v1.2.3-0a")).toBe(true);
    expect(isValidVersion("v1.2.3-a.0.01a")).toBe(true);
  });
});

describe("compareVersions (x/mod semver.Compare)", () => {
  it("orders every pair of the semver_test.go table by position, equal when canonical forms match", () => {
    for (let i = 0; i < items.length; i++) {
      for (let j = 0; j < items.length; j++) {
        const a = items[i]!;
        const b = items[j]!;
        const want = a.canonical === b.canonical ? 0 : i < j ? -1 : 1;
        expect([a.in, b.in, compareVersions(a.in, b.in)]).toEqual([a.in, b.in, want]);
      }
    }
  });

  it.each([
    ["v1.10.0", "v1.9.0", 1],
    ["v1.0.0-alpha.10", "v1.0.0-alpha.9", 1],
    ["v1.0.0-2", "v1.0.0-10", -1],
    ["v1.0.0-rc.1", "v1.0.0-rc.1.1", -1],
    ["v1.0.0-a", "v1.0.0-1", 1],
    ["v1.0.0-B", "v1.0.0-a", -1],
    ["v2.0.0+incompatible", "v2.0.0", 0],
    ["v1.2.99999999999999999", "v1.2.100000000000000000", -1],
    ["v1", "v1.0.0", 0],
    ["bad", "v0.0.0", -1],
    ["bad", "worse", 0],
  ] as const)("%s vs %s = %d", (a, b, want) => {
    expect(compareVersions(a, b)).toBe(want);
    expect(compareVersions(b, a)).toBe(-want || 0);
  });
});

describe("sortVersions (x/mod semver.Sort)", () => {
  it("sorts the semver_test.go golden list from any starting order", () => {
    const golden = vectors.semverCompare.sorted;
    expect(sortVersions([...golden].reverse())).toEqual(golden);
    const shuffled = golden.map((v, i) => [(i * 7919) % golden.length, v] as const).sort((a, b) => a[0] - b[0]).map(([, v]) => v);
    expect(sortVersions(shuffled)).toEqual(golden);
  });

  it("breaks ties by Go string order and returns a new array", () => {
    const input = ["v1.0.0+b", "v1.0.0", "v1.0.0+a"];
    expect(sortVersions(input)).toEqual(["v1.0.0", "v1.0.0+a", "v1.0.0+b"]);
    expect(input).toEqual(["v1.0.0+b", "v1.0.0", "v1.0.0+a"]);
  });

  it("orders invalid strings first, by UTF-8 bytes", () => {
    expect(sortVersions(["v1.0.0", "\u{1F600}", "\uFF01", "zz"])).toEqual(["zz", "\uFF01", "\u{1F600}", "v1.0.0"]);
  });
});

describe("component helpers", () => {
  it.each([
    ["v1.2.3-pre+meta", "v1", "v1.2", "-pre", "+meta"],
    ["v1", "v1", "v1.0", "", ""],
    ["v1.2", "v1", "v1.2", "", ""],
    ["v2.0.0+incompatible", "v2", "v2.0", "", "+incompatible"],
    ["v1.2.3+meta-pre.sha.256a", "v1", "v1.2", "", "+meta-pre.sha.256a"],
    ["bad", "", "", "", ""],
  ])("%s", (v, major, majorMinor, pre, build) => {
    expect(semverMajor(v)).toBe(major);
    expect(semverMajorMinor(v)).toBe(majorMinor);
    expect(semverPrerelease(v)).toBe(pre);
    expect(semverBuild(v)).toBe(build);
    expect(isPrerelease(v)).toBe(pre !== "");
  });

  it("canonicalModuleVersion keeps +incompatible, canonicalVersion drops it", () => {
    expect(canonicalVersion("v2.0.0+incompatible")).toBe("v2.0.0");
    expect(canonicalModuleVersion("v2.0.0+incompatible")).toBe("v2.0.0+incompatible");
    expect(canonicalModuleVersion("v2.0.0+meta")).toBe("v2.0.0");
    expect(canonicalModuleVersion("v1.2")).toBe("v1.2.0");
  });
});

describe("isPseudoVersion (x/mod pseudo_test.go)", () => {
  it.each(vectors.pseudo.items)("$pseudoVersion", ({ pseudoVersion, older, isPseudo, olderIsPseudo }) => {
    expect(isPseudoVersion(pseudoVersion)).toBe(isPseudo);
    expect(isPseudoVersion(older)).toBe(olderIsPseudo);
  });

  it.each([
    ["v0.0.0-20191109021931-daa7c04131f5", true],
    ["v1.2.4-0.20191109021931-daa7c04131f5", true],
    ["v1.2.3-pre.0.20191109021931-daa7c04131f5", true],
    ["v2.0.1-0.20191109021931-daa7c04131f5+incompatible", true],
    ["v1.2.3-pre", false],
    ["v1.2.3-20191109021931-daa7c04131f5", false],
    ["v1.2.4-1.20191109021931-daa7c04131f5", false],
    ["v0.0.0-2019110902193-daa7c04131f5", false],
    ["v0.0.0-20191109021931", false],
    ["v0.0.0-20191109021931-daa7c04131f5+a..b", false],
  ])("%s → %s", (v, want) => {
    expect(isPseudoVersion(v)).toBe(want);
  });
});
