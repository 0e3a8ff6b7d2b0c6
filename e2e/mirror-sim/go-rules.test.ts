// The simulator's own Go rules against golang.org/x/mod's test vectors and against lib/goproxy.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import {
  authoritativeOf,
  compareSemver,
  escapeGoPath,
  isRetractedBy,
  isSemver,
  parseRetractIntervals,
  unescapeGoPath,
} from "./go-rules";
import { compareVersions, escapeModulePath, parseGoMod } from "@/lib/goproxy";
import { loadHistories } from "./scenarios/history";

type Vectors = {
  escapePath: { items: { in: string; out: string }[] };
  escapeVersion: { items: { in: string; out: string }[] };
  unescapePathInvalid: { items: string[] };
  semverValid: { items: { in: string; valid: boolean }[] };
  semverCompare: { sorted: string[] };
};

const vectors = JSON.parse(
  readFileSync(new URL("../../lib/goproxy/testdata/xmod-test-vectors.json", import.meta.url), "utf8"),
) as Vectors;

describe("escaping", () => {
  it("escapes and unescapes like x/mod", () => {
    for (const { in: input, out } of [...vectors.escapePath.items, ...vectors.escapeVersion.items]) {
      expect(escapeGoPath(input)).toBe(out);
      expect(unescapeGoPath(out)).toBe(input);
    }
    expect(escapeGoPath("github.com/IBM/sarama")).toBe(escapeModulePath("github.com/IBM/sarama"));
  });

  it("rejects raw uppercase letters and bad ! escapes", () => {
    const escapeErrors = vectors.unescapePathInvalid.items.filter((p) => /[A-Z]|![^a-z]|!$/.test(p));
    expect(escapeErrors.length).toBeGreaterThan(3);
    for (const p of escapeErrors) expect(unescapeGoPath(p), p).toBeUndefined();
    expect(unescapeGoPath("a/!!b")).toBeUndefined();
  });
});

describe("semver", () => {
  it("validity matches x/mod", () => {
    for (const { in: v, valid } of vectors.semverValid.items) expect(isSemver(v), v).toBe(valid);
  });

  it("order matches x/mod's sorted golden list and lib/goproxy", () => {
    const sorted = vectors.semverCompare.sorted;
    for (let i = 0; i + 1 < sorted.length; i++) {
      const a = sorted[i] ?? "";
      const b = sorted[i + 1] ?? "";
      expect(compareSemver(a, b), `${a} vs ${b}`).toBeLessThanOrEqual(0);
      expect(compareSemver(a, b)).toBe(compareVersions(a, b));
    }
    expect(compareSemver("v2.0.0+incompatible", "v2.0.0")).toBe(0);
  });
});

describe("retractions", () => {
  it("reads the same intervals as lib/goproxy from every real go.mod in the data", () => {
    for (const h of loadHistories()) {
      for (const gomod of [h.gomodAtLatest, ...h.history.map((e) => e.gomod)]) {
        const mine = parseRetractIntervals(gomod);
        const theirs = parseGoMod(gomod).retractions.map(({ low, high }) => ({ low, high }));
        expect(mine, h.module).toEqual(theirs);
      }
    }
  });

  it("decides membership and the authoritative version", () => {
    const r = parseRetractIntervals("module m\nretract (\n\tv1.0.0\n\t[v1.2.0, v1.3.0] // why\n)\nretract v2.0.0+incompatible\n");
    expect(r).toEqual([
      { low: "v1.0.0", high: "v1.0.0" },
      { low: "v1.2.0", high: "v1.3.0" },
      { low: "v2.0.0+incompatible", high: "v2.0.0+incompatible" },
    ]);
    expect(["v1.0.0", "v1.1.0", "v1.2.5", "v1.3.0", "v1.3.1"].map((v) => isRetractedBy(v, r))).toEqual([true, false, true, true, false]);
    expect(authoritativeOf(["v1.0.0", "v1.2.0-rc.1", "v1.1.0"])).toBe("v1.1.0");
    expect(authoritativeOf(["v1.2.0-rc.1", "v1.2.0-beta"])).toBe("v1.2.0-rc.1");
    expect(authoritativeOf([])).toBeUndefined();
  });
});
