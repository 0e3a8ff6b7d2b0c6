import { describe, expect, it } from "vitest";
import { parseTrustProxy } from "./client-identity";
import type { TrustProxy } from "./client-identity";
import { requestScheme, stampScheme, trustedProxyCount } from "./forwarded-proto";

function trust(raw: string): TrustProxy {
  const parsed = parseTrustProxy(raw);
  if (!parsed.ok) throw new Error(parsed.error);
  return parsed.value;
}
const scheme = (peer: string, forwardedProto: string | null, raw: string, forwardedFor: string | null = null, tls = false) =>
  requestScheme({ tls, peer, forwardedFor, forwardedProto }, trust(raw));

describe("requestScheme", () => {
  it("is https on a TLS socket, whatever the headers say", () => {
    expect(scheme("203.0.113.9", "http", "", null, true)).toBe("https");
  });
  it("ignores X-Forwarded-Proto without TRUST_PROXY or from a peer TRUST_PROXY does not trust", () => {
    expect(scheme("203.0.113.9", "https", "")).toBe("http");
    expect(scheme("127.0.0.2", "https", "off")).toBe("http");
    expect(scheme("198.51.100.50", "https", "10.0.0.0/8")).toBe("http");
    expect(scheme("198.51.100.50", "https", "loopback", "127.0.0.1")).toBe("http");
  });
  it("believes a trusted proxy that overwrites the header (nginx: proxy_set_header X-Forwarded-Proto $scheme)", () => {
    expect(scheme("10.0.0.1", "https", "1", "198.51.100.2")).toBe("https");
    expect(scheme("10.0.0.1", "https", "1")).toBe("https");
    expect(scheme("127.0.0.1", "HTTPS", "loopback", "198.51.100.2")).toBe("https");
    expect(scheme("10.0.0.1", "http", "10.0.0.0/8", "198.51.100.2")).toBe("http");
  });
  it("takes the entry the outermost trusted proxy appended, not one a client put in front", () => {
    // The client sent "X-Forwarded-Proto: https" over plain HTTP; the one proxy appended "http".
    expect(scheme("10.0.0.1", "https, http", "1", "6.6.6.6, 198.51.100.2")).toBe("http");
    expect(scheme("10.0.0.1", "https, http", "10.0.0.0/8", "198.51.100.2")).toBe("http");
    // Two appending proxies: the TLS-terminating edge wrote https, the inner one http.
    expect(scheme("10.0.0.1", "https, http", "2", "198.51.100.2, 10.0.0.9")).toBe("https");
    expect(scheme("10.0.0.1", "https, http", "10.0.0.0/8", "198.51.100.2, 10.0.0.9")).toBe("https");
    // ...and a client's own entry in front of both is still not believed.
    expect(scheme("10.0.0.1", "https, http, http", "2", "6.6.6.6, 198.51.100.2, 10.0.0.9")).toBe("http");
  });
  it("is http without the header or with a value that is no scheme", () => {
    expect(scheme("10.0.0.1", null, "1")).toBe("http");
    expect(scheme("10.0.0.1", "", "1")).toBe("http");
    expect(scheme("10.0.0.1", "wss", "1")).toBe("http");
  });
});

describe("trustedProxyCount", () => {
  it("counts the peer and the trusted hops, never the client", () => {
    expect(trustedProxyCount("10.0.0.1", null, trust(""))).toBe(0);
    expect(trustedProxyCount("10.0.0.1", null, trust("1"))).toBe(1);
    expect(trustedProxyCount("10.0.0.1", "198.51.100.2", trust("3"))).toBe(1);
    expect(trustedProxyCount("10.0.0.1", "6.6.6.6, 198.51.100.2, 10.0.0.9", trust("2"))).toBe(2);
    expect(trustedProxyCount("10.0.0.1", "10.0.0.8, 10.0.0.9", trust("10.0.0.0/8"))).toBe(2);
    expect(trustedProxyCount("10.0.0.1", "garbage, 10.0.0.9", trust("10.0.0.0/8"))).toBe(2);
    expect(trustedProxyCount("198.51.100.50", "10.0.0.9", trust("10.0.0.0/8"))).toBe(0);
    expect(trustedProxyCount(null, "10.0.0.9", trust("1"))).toBe(0);
  });
});

describe("stampScheme", () => {
  it("replaces every copy a client sent, in any case, with what the socket and trusted proxies say", () => {
    const req = {
      headers: { "x-mirrorlag-scheme": "https", "x-forwarded-proto": "https" } as Record<string, string | string[] | undefined>,
      rawHeaders: ["X-Mirrorlag-Scheme", "https", "X-Forwarded-Proto", "https", "x-mirrorlag-scheme", "https"],
      socket: { remoteAddress: "127.0.0.2" },
    };
    stampScheme(req as never, trust(""));
    expect(req.headers["x-mirrorlag-scheme"]).toBe("http");
    expect(req.rawHeaders).toEqual(["X-Forwarded-Proto", "https", "x-mirrorlag-scheme", "http"]);
  });
  it("stamps https for a trusted proxy's X-Forwarded-Proto and for a TLS socket", () => {
    const behindProxy = { headers: { "x-forwarded-proto": "https" } as Record<string, string>, rawHeaders: [] as string[], socket: { remoteAddress: "127.0.0.1" } };
    stampScheme(behindProxy as never, trust("loopback"));
    expect(behindProxy.headers["x-mirrorlag-scheme"]).toBe("https");
    const tls = { headers: {} as Record<string, string>, rawHeaders: [] as string[], socket: { remoteAddress: "203.0.113.9", encrypted: true } };
    stampScheme(tls as never, trust(""));
    expect(tls.headers["x-mirrorlag-scheme"]).toBe("https");
  });
});
