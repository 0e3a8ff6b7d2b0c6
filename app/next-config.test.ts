import { describe, expect, it } from "vitest";

describe("next.config.js", () => {
  it("lets `next build` type-check: a deployment never ships code that does not compile", async () => {
    const nextConfig: unknown = (await import(new URL("../next.config.js", import.meta.url).href)).default;
    expect((nextConfig as { typescript?: { ignoreBuildErrors?: boolean } }).typescript?.ignoreBuildErrors).not.toBe(true);
  });
});
