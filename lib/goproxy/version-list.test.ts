import { describe, expect, it } from "vitest";
import { normalizeVersionList, parseVersionList, parseVersionListDetailed } from "./version-list";

describe("parseVersionList (cmd/go modfetch proxyRepo.Versions)", () => {
  it("sorts proxy.golang.org's unsorted list by semver, not by string", () => {
    expect(parseVersionList("v1.10.0\nv1.2.0\nv1.9.1\nv1.2.0-rc.1\n")).toEqual(["v1.2.0-rc.1", "v1.2.0", "v1.9.1", "v1.10.0"]);
  });

  it("reads goproxy-style lists without a trailing newline", () => {
    expect(parseVersionList("v0.1.0\nv0.2.0")).toEqual(["v0.1.0", "v0.2.0"]);
  });

  it("takes only the first whitespace field of each line (older proxies append timestamps)", () => {
    expect(parseVersionList("v1.0.0 2019-01-01T00:00:00Z\n\tv1.1.0\t extra\r\n  v1.2.0\r\n")).toEqual(["v1.0.0", "v1.1.0", "v1.2.0"]);
  });

  it("splits fields on Unicode spaces like strings.Fields, but not on U+FEFF", () => {
    expect(parseVersionList("v1.0.0\u00a0junk\nv1.1.0\u2003x")).toEqual(["v1.0.0", "v1.1.0"]);
    expect(parseVersionList("\uFEFFv1.0.0")).toEqual([]);
  });

  it("drops invalid semver and pseudo-versions", () => {
    const body = [
      "v1.0.0",
      "1.1.0",
      "latest",
      "v1.2",
      "v0.0.0-20191109021931-daa7c04131f5",
      "v1.0.1-0.20191109021931-daa7c04131f5",
      "v1.3.0-pre",
      "v2.0.0+incompatible",
      "",
    ].join("\n");
    expect(parseVersionList(body)).toEqual(["v1.0.0", "v1.2", "v1.3.0-pre", "v2.0.0+incompatible"]);
  });

  it("de-duplicates exact repeats and orders equal versions by string", () => {
    expect(parseVersionList("v1.0.0+b\nv1.0.0\nv1.0.0\nv1.0.0+a\nv1.0.0")).toEqual(["v1.0.0", "v1.0.0+a", "v1.0.0+b"]);
  });

  it("returns an empty list for an empty or blank body", () => {
    expect(parseVersionList("")).toEqual([]);
    expect(parseVersionList("\n\n  \n")).toEqual([]);
  });

  it("counts the non-blank lines it drops, in the same pass", () => {
    const body = "v1.0.0\nlatest\n\n  \r\nv0.0.0-20191109021931-daa7c04131f5 x\n\tv1.1.0 2019-01-01\nv1.0.0\n";
    expect(parseVersionListDetailed(body)).toEqual({ versions: ["v1.0.0", "v1.1.0"], invalidLines: 2 });
  });

  it("normalizes a list of strings as it would the same lines", () => {
    const versions = ["v1.10.0", "v1.2.0", "bad", "v1.2.0", "v0.0.0-20191109021931-daa7c04131f5", "v1.2.0-rc.1", "v1.0.0+b", "v1.0.0+a"];
    expect(normalizeVersionList(versions)).toEqual(parseVersionList(versions.join("\n")));
    // Already in order: the same array contents come back.
    expect(normalizeVersionList(["v1.0.0", "v1.1.0"])).toEqual(["v1.0.0", "v1.1.0"]);
  });
});
