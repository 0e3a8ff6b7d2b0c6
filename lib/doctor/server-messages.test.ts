import { describe, expect, it } from "vitest";
import { SERVER_MESSAGES, classifyServerMessage, matchServerMessage } from "./server-messages";

describe("SERVER_MESSAGES", () => {
  it.each(SERVER_MESSAGES.map((row, i) => [i, row.kind, row] as const))("row %i classifies its own example as %s", (_i, kind, row) => {
    expect(row.pattern.test(row.example)).toBe(true);
    expect(classifyServerMessage(row.example)).toBe(kind);
    expect(row.source).toMatch(/\S{6,}/);
  });
});

describe("classifyServerMessage", () => {
  it("reads a missing tag as unknown_revision even though the text also says invalid version", () => {
    expect(classifyServerMessage("not found: example.com/m@v1.2.3: invalid version: unknown revision v1.2.3")).toBe("unknown_revision");
  });
  it("reads GitHub's credential prompt as auth_required, not as a missing repository", () => {
    expect(
      classifyServerMessage(
        "not found: module github.com/this-org-does-not-exist/bla: git ls-remote -q origin in /tmp/gopath/pkg/mod/cache/vcs/451f: exit status 128:\n\tfatal: could not read Username for 'https://github.com': terminal prompts disabled",
      ),
    ).toBe("auth_required");
  });
  it("tells a +incompatible refusal from a generic invalid version", () => {
    expect(classifyServerMessage("not found: invalid version: +incompatible suffix not allowed: major version v1 is compatible")).toBe(
      "invalid_version_incompatible",
    );
    expect(classifyServerMessage("not found: example.com/m@v1: invalid version: not a semantic version")).toBe("invalid_version");
  });
  it("leaves near misses and bare not-founds unclassified", () => {
    expect(classifyServerMessage(null)).toBeNull();
    expect(classifyServerMessage("")).toBeNull();
    expect(classifyServerMessage("not found")).toBeNull();
    expect(classifyServerMessage("404 page not found")).toBeNull();
    expect(classifyServerMessage("revision v1.2.3 is unknown")).toBeNull();
    expect(classifyServerMessage("the upstream was bad")).toBeNull();
    expect(classifyServerMessage("internal server error: disk full")).toBeNull();
    expect(classifyServerMessage("gone")).toBeNull();
  });
  it("has no kind for retractions: a 410 body is read for what it says", () => {
    expect(SERVER_MESSAGES.some((row) => /retract/i.test(row.kind))).toBe(false);
    expect(matchServerMessage("not found: unknown revision v1.0.0")?.kind).toBe("unknown_revision");
  });
});
