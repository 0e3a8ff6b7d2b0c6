import { describe, expect, it } from "vitest";
import { clientAddress, clientKeyOf, isLoopback, parseTrustProxy, stampPeer } from "./client-identity";
import type { TrustProxy } from "./client-identity";

function trust(raw: string): TrustProxy {
  const parsed = parseTrustProxy(raw);
  if (!parsed.ok) throw new Error(parsed.error);
  return parsed.value;
}
const key = (peer: string | null, xff: string | null, raw = "") => clientKeyOf(clientAddress(peer, xff, trust(raw)));

describe("parseTrustProxy", () => {
  it("reads off, hops and ranges", () => {
    for (const off of ["", " ", "0", "off", "false"]) expect(trust(off)).toEqual({ kind: "off" });
    expect(trust("1")).toEqual({ kind: "hops", hops: 1 });
    expect(trust("3")).toEqual({ kind: "hops", hops: 3 });
    const ranges = trust("10.0.0.0/8, 192.0.2.7 ,fd00::/8,loopback");
    expect(ranges.kind === "ranges" && ranges.ranges.map(([a, bits]) => `${a.toString()}/${bits}`)).toEqual(["10.0.0.0/8", "192.0.2.7/32", "fd00::/8", "127.0.0.1/8", "::1/128"]);
  });
  it.each([
    ["true", /would believe any X-Forwarded-For/],
    ["17", /at most 16/],
    ["10.0.0.0/33", /"10.0.0.0\/33" is neither/],
    ["nginx", /"nginx" is neither/],
    ["-1", /"-1" is neither/],
  ])("refuses %s", (raw, error) => {
    const parsed = parseTrustProxy(raw);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.error).toMatch(error);
  });
});

describe("clientAddress", () => {
  it("is the TCP peer without TRUST_PROXY, whatever the client claims", () => {
    expect(key("203.0.113.9", "1.2.3.4")).toBe("203.0.113.9");
    expect(key("203.0.113.9", "1.2.3.4, 5.6.7.8")).toBe("203.0.113.9");
    expect(key("::ffff:203.0.113.9", null)).toBe("203.0.113.9");
  });
  it("with N hops takes the address N proxies back, ignoring what a client put in front", () => {
    // The client sent "X-Forwarded-For: 6.6.6.6"; nginx appended the real address 198.51.100.2.
    expect(key("10.0.0.1", "6.6.6.6, 198.51.100.2", "1")).toBe("198.51.100.2");
    expect(key("10.0.0.1", "6.6.6.6, 198.51.100.2, 10.0.0.9", "2")).toBe("198.51.100.2");
    // Fewer entries than hops: the furthest one there is.
    expect(key("10.0.0.1", "198.51.100.2", "3")).toBe("198.51.100.2");
    expect(key("10.0.0.1", null, "1")).toBe("10.0.0.1");
  });
  it("with ranges walks from the right while the hop is a trusted proxy", () => {
    expect(key("10.0.0.1", "6.6.6.6, 198.51.100.2, 10.0.0.9", "10.0.0.0/8")).toBe("198.51.100.2");
    // A peer outside the ranges is the client itself: its header is not believed.
    expect(key("198.51.100.50", "6.6.6.6", "10.0.0.0/8")).toBe("198.51.100.50");
    expect(key("127.0.0.1", "2001:db8:1:2:3:4:5:6", "loopback")).toBe("2001:db8:1:2::/64");
  });
  it("stops at an entry that is no address, keeping the last address it could trust", () => {
    expect(key("10.0.0.1", "198.51.100.2, garbage", "1")).toBe("10.0.0.1");
    expect(key("10.0.0.1", "unknown", "10.0.0.0/8")).toBe("10.0.0.1");
    expect(key("10.0.0.1", "[2001:db8::1]:443", "1")).toBe("2001:db8:0:0::/64");
    expect(key("10.0.0.1", "198.51.100.2:51234", "1")).toBe("198.51.100.2");
  });
  it("without a peer address (not behind our HTTP server) is unknown", () => {
    expect(key(null, "198.51.100.2", "1")).toBe("unknown");
    expect(key("", null)).toBe("unknown");
  });
});

describe("clientKeyOf", () => {
  it("limits IPv4 per address and IPv6 per /64", () => {
    expect(key("2001:db8:aaaa:bbbb:1::1", null)).toBe("2001:db8:aaaa:bbbb::/64");
    expect(key("2001:db8:aaaa:bbbb:ffff::2", null)).toBe(key("2001:db8:aaaa:bbbb:1::1", null));
    expect(key("2001:db8:aaaa:bbbc::1", null)).not.toBe(key("2001:db8:aaaa:bbbb::1", null));
    expect(key("127.0.0.2", null)).not.toBe(key("127.0.0.3", null));
  });
  it("knows loopback peers", () => {
    expect(isLoopback(clientAddress("127.0.0.5", null, { kind: "off" }))).toBe(true);
    expect(isLoopback(clientAddress("::1", null, { kind: "off" }))).toBe(true);
    expect(isLoopback(clientAddress("::ffff:127.0.0.1", null, { kind: "off" }))).toBe(true);
    expect(isLoopback(clientAddress("192.168.1.2", null, { kind: "off" }))).toBe(false);
  });
});

describe("stampPeer", () => {
  it("replaces every copy a client sent, in any case, with the socket's peer", () => {
    const req = {
      headers: { "x-mirrorlag-peer": "6.6.6.6", host: "x" } as Record<string, string | string[] | undefined>,
      rawHeaders: ["Host", "x", "X-Mirrorlag-Peer", "6.6.6.6", "x-mirrorlag-peer", "7.7.7.7"],
      socket: { remoteAddress: "::ffff:198.51.100.7" },
    };
    stampPeer(req as never);
    expect(req.headers["x-mirrorlag-peer"]).toBe("::ffff:198.51.100.7");
    expect(req.rawHeaders).toEqual(["Host", "x", "x-mirrorlag-peer", "::ffff:198.51.100.7"]);
  });
});
