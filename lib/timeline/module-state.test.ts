import { describe, expect, it } from "vitest";
import { moduleState } from "./module-state";

const s = (name: string, over: Partial<Parameters<typeof moduleState>[0][number]> = {}) => ({
  name,
  isReference: name === "ref",
  outcome: "ok" as const,
  latest: "v1.0.0",
  missingCount: 0,
  ...over,
});

describe("moduleState", () => {
  it("is in sync when every mirror resolves the reference's latest and misses nothing", () => {
    expect(moduleState([s("a"), s("ref")])).toBe("in_sync");
  });
  it("is behind when a mirror resolves an older latest, misses a version or answers 404", () => {
    expect(moduleState([s("a", { latest: "v0.9.0" }), s("ref")])).toBe("behind");
    expect(moduleState([s("a", { missingCount: 2 }), s("ref")])).toBe("behind");
    expect(moduleState([s("a", { outcome: "not_found", latest: null }), s("ref")])).toBe("behind");
  });
  it("is not found when no mirror has the module, error when a mirror failed", () => {
    expect(moduleState([s("a", { outcome: "not_found" }), s("ref", { outcome: "not_found" })])).toBe("not_found");
    expect(moduleState([s("a", { outcome: "error" }), s("ref")])).toBe("error");
  });
});
