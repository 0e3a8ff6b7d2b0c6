import { describe, expect, it } from "vitest";
import { API_POLICY, newNonce, pagePolicy, securityHeadersFor } from "./security-headers";

/** "a; b c" → { a: [], b: ["c"] } */
function directives(policy: string): Record<string, string[]> {
  return Object.fromEntries(policy.split(";").map((d) => d.trim().split(/\s+/)).map(([name, ...values]) => [name ?? "", values]));
}

describe("pagePolicy", () => {
  it("allows scripts by nonce (and what they load) only, and no inline styles but nonce'd ones", () => {
    const d = directives(pagePolicy("abc123"));
    expect(d["script-src"]).toEqual(["'self'", "'nonce-abc123'", "'strict-dynamic'"]);
    expect(d["style-src"]).toEqual(["'self'", "'nonce-abc123'"]);
    expect(d["default-src"]).toEqual(["'self'"]);
    expect(d["img-src"]).toEqual(["'self'", "data:"]);
    expect(d["connect-src"]).toEqual(["'self'"]);
    expect(d["object-src"]).toEqual(["'none'"]);
    expect(d["base-uri"]).toEqual(["'none'"]);
    expect(d["form-action"]).toEqual(["'self'"]);
    expect(d["frame-ancestors"]).toEqual(["'none'"]);
    expect(pagePolicy("abc123")).not.toMatch(/unsafe/);
  });
  it("in development adds eval and inline styles, which `next dev` needs", () => {
    const d = directives(pagePolicy("abc123", true));
    expect(d["script-src"]).toEqual(["'self'", "'nonce-abc123'", "'strict-dynamic'", "'unsafe-eval'"]);
    expect(d["style-src"]).toEqual(["'self'", "'unsafe-inline'"]);
  });
});

describe("securityHeadersFor", () => {
  it("gives pages a fresh nonce each time and data routes the strict policy", () => {
    const a = securityHeadersFor({ pathname: "/m/example.com/x", scheme: "http", dev: false });
    const b = securityHeadersFor({ pathname: "/m/example.com/x", scheme: "http", dev: false });
    expect(a.nonce).not.toBeNull();
    expect(a.nonce).not.toBe(b.nonce);
    expect(a.policy).toContain(`'nonce-${a.nonce}'`);
    for (const pathname of ["/api/checks", "/api/modules/example.com/x", "/healthz"]) {
      expect(securityHeadersFor({ pathname, scheme: null, dev: false })).toEqual({ policy: API_POLICY, nonce: null, hsts: false });
    }
    expect(directives(API_POLICY)["default-src"]).toEqual(["'none'"]);
  });
  it("adds HSTS only when our server stamped the request https", () => {
    expect(securityHeadersFor({ pathname: "/", scheme: "https", dev: false }).hsts).toBe(true);
    expect(securityHeadersFor({ pathname: "/api/suggest", scheme: "https", dev: false }).hsts).toBe(true);
    for (const scheme of [null, "http", "HTTPS ", "https,https"]) expect(securityHeadersFor({ pathname: "/", scheme, dev: false }).hsts).toBe(false);
  });
});

describe("newNonce", () => {
  it("is 128 random bits in base64, different every time", () => {
    const nonces = new Set(Array.from({ length: 1000 }, () => newNonce()));
    expect(nonces.size).toBe(1000);
    for (const n of nonces) expect(n).toMatch(/^[A-Za-z0-9+/]{22}==$/);
  });
});
