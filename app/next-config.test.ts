import { describe, expect, it } from "vitest";
import { API_POLICY } from "@/lib/security-headers";

type Header = { key: string; value: string };
type NextConfig = { typescript?: { ignoreBuildErrors?: boolean }; headers?: () => Promise<{ source: string; headers: Header[] }[]> };

async function nextConfig(): Promise<NextConfig> {
  return (await import(new URL("../next.config.js", import.meta.url).href)).default as NextConfig;
}

describe("next.config.js", () => {
  it("lets `next build` type-check: a deployment never ships code that does not compile", async () => {
    expect((await nextConfig()).typescript?.ignoreBuildErrors).not.toBe(true);
  });

  it("sends nosniff, no framing and a short Referer on every path; proxy.ts owns the CSP of what it handles", async () => {
    const rules = (await (await nextConfig()).headers?.()) ?? [];
    const all = rules.find((r) => r.source === "/:path*");
    expect(all?.headers).toEqual([
      { key: "X-Content-Type-Options", value: "nosniff" },
      { key: "Referrer-Policy", value: "strict-origin-when-cross-origin" },
      { key: "X-Frame-Options", value: "DENY" },
    ]);
    // Two Content-Security-Policy headers would both be enforced: only the paths proxy.ts skips get one here.
    const withPolicy = rules.filter((r) => r.headers.some((h) => h.key === "Content-Security-Policy"));
    expect(withPolicy.map((r) => r.source)).toEqual(["/_next/:path*", "/icon.svg"]);
    for (const rule of withPolicy) expect(rule.headers).toEqual([{ key: "Content-Security-Policy", value: API_POLICY }]);
  });
});
