import { describe, expect, it } from "vitest";
import * as goproxy from "./index";

describe("@/lib/goproxy public contract", () => {
  it.each([
    "isValidModulePath",
    "checkModulePath",
    "splitPathVersion",
    "escapeModulePath",
    "unescapeModulePath",
    "escapeVersion",
    "unescapeVersion",
    "isValidVersion",
    "compareVersions",
    "sortVersions",
    "isPseudoVersion",
    "isPrerelease",
    "canonicalVersion",
    "semverMajor",
    "semverBuild",
    "semverPrerelease",
    "parseVersionList",
    "parseGoMod",
    "isRetracted",
    "authoritativeVersion",
    "resolveLatest",
    "hashGoMod",
    "hashZip",
    "hashFiles",
    "parseInfo",
  ])("exports %s", (name) => {
    expect(typeof (goproxy as Record<string, unknown>)[name]).toBe("function");
  });
});
