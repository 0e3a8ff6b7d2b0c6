import { describe, expect, it } from "vitest";
import { SESSION_SECONDS, issueSession, operatorAccess, operatorMode, sameSecret, validSession } from "./operator";
import type { OperatorPolicy } from "./operator";

const TOKEN = "correct-horse-battery-staple-42";
const NOW = Date.UTC(2026, 11, 3, 12);
const withToken: OperatorPolicy = { adminToken: TOKEN, trustProxy: { kind: "off" }, listen: "0.0.0.0" };
const loopbackOnly: OperatorPolicy = { adminToken: null, trustProxy: { kind: "off" }, listen: "127.0.0.1" };
const exposed: OperatorPolicy = { adminToken: null, trustProxy: { kind: "off" }, listen: "0.0.0.0" };
const headers = (h: Record<string, string>) => new Headers({ "x-mirrorlag-peer": "127.0.0.1", ...h });

describe("operatorMode", () => {
  it("is the token when there is one, else loopback only when listening on loopback only, else nobody", () => {
    expect(operatorMode(withToken)).toBe("token");
    expect(operatorMode(loopbackOnly)).toBe("loopback");
    expect(operatorMode({ ...loopbackOnly, listen: "::1" })).toBe("loopback");
    expect(operatorMode({ ...loopbackOnly, listen: "localhost" })).toBe("loopback");
    expect(operatorMode(exposed)).toBe("disabled");
    expect(operatorMode({ ...loopbackOnly, listen: "192.168.1.5" })).toBe("disabled");
    // Not behind our HTTP server (bare next start): where it listens is unknown, so nobody.
    expect(operatorMode({ ...loopbackOnly, listen: null })).toBe("disabled");
  });
});

describe("operatorAccess", () => {
  it("with a token: the Bearer header or a valid session, nothing else", () => {
    expect(operatorAccess(headers({ authorization: `Bearer ${TOKEN}` }), null, withToken, NOW)).toEqual({ operator: true, via: "token" });
    expect(operatorAccess(headers({}), issueSession(TOKEN, NOW), withToken, NOW + 1000)).toEqual({ operator: true, via: "session" });
    expect(operatorAccess(headers({}), null, withToken, NOW)).toMatchObject({ operator: false, reason: "no_credentials" });
    expect(operatorAccess(headers({ authorization: `Bearer ${TOKEN}x` }), null, withToken, NOW)).toMatchObject({ operator: false, reason: "bad_credentials" });
    expect(operatorAccess(headers({ authorization: TOKEN }), null, withToken, NOW)).toMatchObject({ operator: false, reason: "bad_credentials" });
    // A loopback peer is nothing special once there is a token.
    expect(operatorAccess(headers({}), null, { ...withToken, listen: "127.0.0.1" }, NOW)).toMatchObject({ operator: false });
  });

  it("refuses forged, expired and other-token sessions", () => {
    const session = issueSession(TOKEN, NOW);
    expect(validSession(TOKEN, session, NOW + SESSION_SECONDS * 1000 - 1)).toBe(true);
    expect(validSession(TOKEN, session, NOW + SESSION_SECONDS * 1000)).toBe(false);
    expect(validSession(`${TOKEN}-rotated`, session, NOW)).toBe(false);
    const [, expiry, mac] = session.split(".");
    // Moving the expiry forward breaks the signature.
    expect(validSession(TOKEN, `v1.${Number(expiry) + 86_400_000}.${mac}`, NOW)).toBe(false);
    for (const forged of ["", "v1", "v1.1.abc", `v2.${expiry}.${mac}`, `v1.${expiry}.${"A".repeat(43)}`, "admin", "true"]) {
      expect(validSession(TOKEN, forged, NOW), forged).toBe(false);
      expect(operatorAccess(headers({}), forged, withToken, NOW), forged).toMatchObject({ operator: false, reason: "bad_credentials" });
    }
  });

  it("without a token on a loopback-only instance: requests from this machine, not ones a proxy passed on", () => {
    expect(operatorAccess(headers({}), null, loopbackOnly, NOW)).toEqual({ operator: true, via: "loopback" });
    expect(operatorAccess(new Headers({ "x-mirrorlag-peer": "::1" }), null, loopbackOnly, NOW)).toEqual({ operator: true, via: "loopback" });
    for (const h of ["x-forwarded-for", "forwarded", "x-real-ip", "x-forwarded-host"]) {
      expect(operatorAccess(headers({ [h]: "203.0.113.9" }), null, loopbackOnly, NOW), h).toMatchObject({ operator: false });
    }
    // With TRUST_PROXY the forwarded client decides: loopback only if the proxy says the client was on loopback.
    const behindProxy: OperatorPolicy = { ...loopbackOnly, trustProxy: { kind: "hops", hops: 1 } };
    expect(operatorAccess(headers({ "x-forwarded-for": "203.0.113.9" }), null, behindProxy, NOW)).toMatchObject({ operator: false });
    expect(operatorAccess(new Headers({ "x-mirrorlag-peer": "198.51.100.1" }), null, loopbackOnly, NOW)).toMatchObject({ operator: false });
  });

  it("without a token on an exposed instance: nobody, saying why", () => {
    expect(operatorAccess(headers({ authorization: `Bearer ${TOKEN}` }), null, exposed, NOW)).toEqual({
      operator: false,
      reason: "disabled",
      message: "operator actions are disabled: this instance listens beyond loopback and has no ADMIN_TOKEN",
    });
  });
});

describe("sameSecret", () => {
  it("compares whole strings of any length", () => {
    expect(sameSecret(TOKEN, TOKEN)).toBe(true);
    expect(sameSecret(TOKEN.slice(0, -1), TOKEN)).toBe(false);
    expect(sameSecret("", TOKEN)).toBe(false);
    expect(sameSecret(`${TOKEN}é`, `${TOKEN}e`)).toBe(false);
  });
});
