import { describe, expect, it } from "vitest";
import type { Retraction } from "./gomod";
import { parseGoMod } from "./gomod";
import {
  authoritativeVersion,
  isRetracted,
  resolveLatest,
  retractionRationales,
  retractionWarning,
  shortMessage,
  visibleVersions,
} from "./retractions";
import { vectors } from "./testdata/vectors";

const r = (low: string, high = low, rationale = ""): Retraction => ({ low, high, rationale });
const fixture = (module: string) => {
  const item = vectors.retract.items.find((i) => i.module === module);
  if (!item) throw new Error(`no vector for ${module}`);
  return { ...item, parsed: parseGoMod(item.gomodOfLatest) };
};

describe("isRetracted", () => {
  const list = [r("v1.0.0", "v1.0.5"), r("v2.0.0-pre")];

  it.each([
    ["v0.9.9", false],
    ["v1.0.0", true],
    ["v1.0.3", true],
    ["v1.0.5", true],
    ["v1.0.5+meta", true],
    ["v1.0.6", false],
    ["v1.0.5-rc.1", true],
    ["v1.0.0-rc.1", false],
    ["v2.0.0-pre", true],
    ["v2.0.0", false],
    ["not-a-version", false],
  ])("%s → %s (closed intervals, semver order)", (v, want) => {
    expect(isRetracted(v, list)).toBe(want);
  });

  it("covers pseudo-versions inside an interval", () => {
    expect(isRetracted("v1.0.1-0.20200101000000-abcdefabcdef", list)).toBe(true);
  });

  it("treats an interval with an invalid low bound like semver.Compare does (invalid sorts first)", () => {
    expect(isRetracted("v1.2.0", [r("garbage", "v1.5.0")])).toBe(true);
    expect(isRetracted("v1.2.0", [r("garbage")])).toBe(false);
  });

  it("is false with no retractions", () => {
    expect(isRetracted("v1.0.0", [])).toBe(false);
  });
});

describe("example.com/retract fixtures (cmd/go script/mod_list_retract.txt)", () => {
  it("retract: go list -m -versions hides retracted versions; -retracted shows all", () => {
    const f = fixture("example.com/retract");
    const expectations = f.expect as Record<string, string>;
    expect(visibleVersions(f.allVersions!, f.parsed.retractions).join(" ")).toBe(expectations["go list -m -versions"]);
    expect(visibleVersions(f.allVersions!, []).join(" ")).toBe(expectations["go list -m -retracted -versions"]);
    expect(authoritativeVersion(f.allVersions!)).toBe(f.latestVersion);
    expect(resolveLatest(f.allVersions!, f.parsed.retractions)).toBe("v1.1.0");
    expect(retractionRationales("v1.0.0-unused", f.parsed.retractions)).toEqual(["bad"]);
    expect(retractionRationales("v1.0.0-good", f.parsed.retractions)).toBeNull();
  });

  it("self/prev: the latest release retracts itself, so @latest is the previous release", () => {
    const f = fixture("example.com/retract/self/prev");
    const versions = ["v1.0.0-bad", "v1.1.0", "v1.9.0"];
    expect(authoritativeVersion(versions)).toBe(f.highestVersion ?? "v1.9.0");
    expect(resolveLatest(versions, f.parsed.retractions)).toBe((f.expect as Record<string, string>)["@latest"]);
  });

  it("self/prerelease: retractions come from the highest release, then @latest falls to a pre-release", () => {
    const f = fixture("example.com/retract/self/prerelease");
    expect(authoritativeVersion(f.versions!)).toBe("v1.9.0");
    expect(resolveLatest(f.versions!, f.parsed.retractions)).toBe((f.expect as Record<string, string>)["@latest"]);
  });

  it("self/all: with every version retracted the go command finds no match (no retracted fallback)", () => {
    const f = fixture("example.com/retract/self/all");
    expect(resolveLatest(f.versions!, f.parsed.retractions)).toBeNull();
    expect(resolveLatest(f.versions!, f.parsed.retractions, "v1.9.0")).toBeNull();
  });

  it("incompatible: +incompatible versions are skipped once the latest compatible version has a go.mod", () => {
    const f = fixture("example.com/retract/incompatible");
    const versions = ["v1.0.0", "v2.0.0+incompatible"];
    expect(authoritativeVersion(versions)).toBe("v1.0.0");
    expect(authoritativeVersion(versions, null, () => false)).toBe("v2.0.0+incompatible");
    expect(resolveLatest(versions, f.parsed.retractions, null, () => false)).toBe("v1.0.0");
  });

  it("rationale: Retracted lists every matching interval's rationale in file order", () => {
    const f = vectors.retract.items.find((i) => i.module === "example.com/retract/rationale")!;
    const text = f.gomodOfLatest.replace("<'lo'+'o'*~500+'ng'>", "lo" + "o".repeat(500) + "ng").replace("\\x07", "\x07");
    const { retractions } = parseGoMod(text);
    const expectations = f.expect as Record<string, { listRetracted?: string[]; goGetWarning?: string }>;
    for (const [version, want] of Object.entries(expectations)) {
      if (want.listRetracted) expect([version, retractionRationales(version, retractions)]).toEqual([version, want.listRetracted]);
      if (want.goGetWarning) {
        // The vectors' go version said "rationale omitted"; current modload.ShortMessage says "message omitted".
        const short = want.goGetWarning.replace("(rationale omitted", "(message omitted");
        const expected = short === "retracted by module author" ? short : `retracted by module author: ${short}`;
        expect([version, retractionWarning(version, retractions)]).toEqual([version, expected]);
      }
    }
  });
});

describe("authoritativeVersion (modload.queryLatestVersionIgnoringRetractions)", () => {
  it("prefers the highest release over higher pre-releases", () => {
    expect(authoritativeVersion(["v1.0.0", "v1.1.0-rc.1", "v0.9.0"])).toBe("v1.0.0");
  });

  it("falls back to the highest pre-release", () => {
    expect(authoritativeVersion(["v1.0.0-alpha", "v1.0.0-beta.2", "v1.0.0-beta.11"])).toBe("v1.0.0-beta.11");
  });

  it("falls back to the @latest answer when the list has nothing usable", () => {
    expect(authoritativeVersion([], "v0.0.0-20240101000000-abcdefabcdef")).toBe("v0.0.0-20240101000000-abcdefabcdef");
    expect(authoritativeVersion(["v0.0.0-20240101000000-abcdefabcdef", "junk"], "v0.0.1")).toBe("v0.0.1");
    expect(authoritativeVersion([])).toBeNull();
    expect(authoritativeVersion([], null)).toBeNull();
  });

  it("uses the list over @latest whenever the list has a version", () => {
    expect(authoritativeVersion(["v1.0.0"], "v9.9.9")).toBe("v1.0.0");
  });

  it("sorts by semver whatever the input order", () => {
    expect(authoritativeVersion(["v1.10.0", "v1.9.0", "v1.2.0"])).toBe("v1.10.0");
  });

  it("keeps +incompatible versions when no compatible version precedes them", () => {
    expect(authoritativeVersion(["v2.0.0+incompatible", "v3.1.0+incompatible"])).toBe("v3.1.0+incompatible");
  });

  it("prefers a compatible pre-release over an incompatible release when it has a go.mod (golang/go#34165)", () => {
    expect(authoritativeVersion(["v1.0.0-pre", "v2.0.0+incompatible"])).toBe("v1.0.0-pre");
  });

  it("asks hasGoMod about the last compatible version only", () => {
    const asked: string[] = [];
    const hasGoMod = (v: string) => {
      asked.push(v);
      return false;
    };
    expect(authoritativeVersion(["v0.1.0", "v1.0.0", "v2.0.0+incompatible", "v3.0.0+incompatible"], null, hasGoMod)).toBe(
      "v3.0.0+incompatible",
    );
    expect(asked).toEqual(["v1.0.0"]);
  });
});

describe("resolveLatest (go get M@latest)", () => {
  it("picks the highest non-retracted release", () => {
    expect(resolveLatest(["v1.0.0", "v1.1.0", "v1.2.0"], [r("v1.2.0")])).toBe("v1.1.0");
  });

  it("skips a retracted interval", () => {
    expect(resolveLatest(["v1.0.0", "v1.1.0", "v1.2.0", "v1.3.0"], [r("v1.1.0", "v1.3.0")])).toBe("v1.0.0");
  });

  it("prefers any non-retracted release over a higher pre-release", () => {
    expect(resolveLatest(["v1.0.0", "v2.0.0-rc.1"], [])).toBe("v1.0.0");
  });

  it("falls back to the @latest answer only when it is not retracted", () => {
    expect(resolveLatest(["v1.0.0"], [r("v1.0.0")], "v1.0.1-0.20240101000000-abcdefabcdef")).toBe(
      "v1.0.1-0.20240101000000-abcdefabcdef",
    );
    expect(resolveLatest(["v1.0.0"], [r("v1.0.0", "v1.1.0")], "v1.0.1-0.20240101000000-abcdefabcdef")).toBeNull();
  });

  it("judges +incompatible against the last compatible version that is not retracted", () => {
    const versions = ["v1.0.0", "v1.1.0", "v2.0.0+incompatible"];
    const hasGoMod = (v: string) => v === "v1.1.0";
    // v1.1.0 (with go.mod) is retracted, so the deciding version is v1.0.0, which has none.
    expect(resolveLatest(versions, [r("v1.1.0")], null, hasGoMod)).toBe("v2.0.0+incompatible");
    expect(resolveLatest(versions, [], null, hasGoMod)).toBe("v1.1.0");
  });

  it("ignores pseudo-versions and invalid entries in the list", () => {
    expect(resolveLatest(["v0.0.0-20240101000000-abcdefabcdef", "v0.1.0", "garbage"], [])).toBe("v0.1.0");
  });
});

describe("shortMessage (modload.ShortMessage)", () => {
  it.each([
    ["", "dflt", "dflt"],
    ["  \n second line", "dflt", "dflt"],
    ["  first line  \nsecond", "dflt", "first line"],
    ["x".repeat(500), "dflt", "x".repeat(500)],
    ["x".repeat(501), "dflt", "(message omitted: too long)"],
    ["é".repeat(251), "dflt", "(message omitted: too long)"],
    ["beep\x07", "dflt", "(message omitted: contains non-printable characters)"],
    ["tab\tinside", "dflt", "tab\tinside"],
  ])("%j", (message, dflt, want) => {
    expect(shortMessage(message, dflt)).toBe(want);
  });
});
