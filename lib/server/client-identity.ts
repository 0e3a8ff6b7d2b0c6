// Who is asking: the TCP peer, unless the operator says which proxies in front of us to believe (TRUST_PROXY),
// the convention of Express's `trust proxy` and nginx's real_ip. The peer address reaches route handlers in a
// header only our own HTTP server sets (lib/server/http-server.ts strips any copy a client sends).

import type { IncomingMessage } from "node:http";
import ipaddr from "ipaddr.js";

/** Set by lib/server/http-server.ts from the socket; any copy in a client's request is removed before Next sees it. */
export const PEER_HEADER = "x-mirrorlag-peer";

/** Where lib/server/http-server.ts listens (its --hostname), on globalThis: Next runs in the same process. */
export const LISTEN_ADDRESS_KEY = Symbol.for("mirrorlag.listenAddress");

/** The address our HTTP server listens on; null when Next runs without it (`next dev`, `next start`). */
export function listenAddress(): string | null {
  const value = (globalThis as Record<symbol, unknown>)[LISTEN_ADDRESS_KEY];
  return typeof value === "string" ? value : null;
}

/** The peer as the socket saw it, replacing whatever the client put in the header (any case, any count). */
export function stampPeer(req: Pick<IncomingMessage, "headers" | "rawHeaders" | "socket">): void {
  delete req.headers[PEER_HEADER];
  for (let i = req.rawHeaders.length - 2; i >= 0; i -= 2) {
    if (req.rawHeaders[i]?.toLowerCase() === PEER_HEADER) req.rawHeaders.splice(i, 2);
  }
  const peer = req.socket.remoteAddress ?? "";
  req.headers[PEER_HEADER] = peer;
  req.rawHeaders.push(PEER_HEADER, peer);
}

export type TrustProxy =
  | { kind: "off" }
  /** Trust this many proxies in front of us: the client is that many hops back along X-Forwarded-For. */
  | { kind: "hops"; hops: number }
  /** Trust proxies whose address is in these ranges: the client is the first address from the right that is not. */
  | { kind: "ranges"; ranges: [ipaddr.IPv4 | ipaddr.IPv6, number][]; text: string };

const NAMED_RANGES: Record<string, string[]> = {
  loopback: ["127.0.0.1/8", "::1/128"],
  linklocal: ["169.254.0.0/16", "fe80::/10"],
  uniquelocal: ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "fc00::/7"],
};

/** TRUST_PROXY: empty/0/off, a number of hops (1–16), or a comma list of CIDR ranges, addresses and loopback/linklocal/uniquelocal. */
export function parseTrustProxy(raw: string | undefined): { ok: true; value: TrustProxy } | { ok: false; error: string } {
  const text = (raw ?? "").trim();
  if (text === "" || text === "0" || text.toLowerCase() === "off" || text.toLowerCase() === "false") return { ok: true, value: { kind: "off" } };
  if (/^\d+$/.test(text)) {
    const hops = Number(text);
    if (hops > 16) return { ok: false, error: `${hops} hops is more proxies than any deployment has (at most 16)` };
    return { ok: true, value: { kind: "hops", hops } };
  }
  if (text.toLowerCase() === "true") {
    return { ok: false, error: '"true" would believe any X-Forwarded-For a client sends: give the number of proxies in front of mirrorlag (e.g. 1) or their addresses (e.g. 10.0.0.0/8)' };
  }
  const ranges: [ipaddr.IPv4 | ipaddr.IPv6, number][] = [];
  for (const part of text.split(",").map((p) => p.trim()).filter((p) => p !== "")) {
    const named = NAMED_RANGES[part.toLowerCase()];
    const cidrs = named ?? [part.includes("/") ? part : `${part}/${ipaddr.isValid(part) && ipaddr.parse(part).kind() === "ipv6" ? 128 : 32}`];
    for (const cidr of cidrs) {
      try {
        ranges.push(ipaddr.parseCIDR(cidr));
      } catch {
        return { ok: false, error: `"${part}" is neither a number of hops, an address, a CIDR range (10.0.0.0/8, fd00::/8) nor loopback, linklocal or uniquelocal` };
      }
    }
  }
  return { ok: true, value: { kind: "ranges", ranges, text } };
}

export function parseAddress(text: string): ipaddr.IPv4 | ipaddr.IPv6 | null {
  const bare = text.trim().replace(/^\[([^\]]+)\](:\d+)?$/, "$1").replace(/^(\d+\.\d+\.\d+\.\d+):\d+$/, "$1").replace(/%.*$/, "");
  return ipaddr.isValid(bare) ? ipaddr.process(bare) : null;
}

export function inRanges(address: ipaddr.IPv4 | ipaddr.IPv6, ranges: [ipaddr.IPv4 | ipaddr.IPv6, number][]): boolean {
  return ranges.some(([range, bits]) => range.kind() === address.kind() && address.match([range, bits] as never));
}

/**
 * The client's address: the peer, or with TRUST_PROXY the address the trusted proxies say they were asked by.
 * A forwarded entry that is not an address ends the walk at the last address we could trust.
 */
export function clientAddress(peer: string | null, forwardedFor: string | null, trust: TrustProxy): ipaddr.IPv4 | ipaddr.IPv6 | null {
  const peerAddress = peer === null ? null : parseAddress(peer);
  if (trust.kind === "off" || peerAddress === null) return peerAddress;
  const forwarded = (forwardedFor ?? "").split(",").map((e) => e.trim()).filter((e) => e !== "");
  // Right to left: the peer, then each address a proxy added, nearest first.
  const chain = [peer ?? "", ...forwarded.reverse()];
  let client = peerAddress;
  for (let i = 1; i < chain.length; i++) {
    const trusted = trust.kind === "hops" ? i <= trust.hops : inRanges(client, trust.ranges);
    if (!trusted) break;
    const next = parseAddress(chain[i] ?? "");
    if (next === null) break;
    client = next;
  }
  return client;
}

/** The rate-limit key of an address: IPv4 per address, IPv6 per /64 (one subscriber gets a whole /64). */
export function clientKeyOf(address: ipaddr.IPv4 | ipaddr.IPv6 | null): string {
  if (address === null) return "unknown";
  if (address.kind() === "ipv4") return address.toString();
  const parts = (address as ipaddr.IPv6).parts.slice(0, 4);
  return `${parts.map((p) => p.toString(16)).join(":")}::/64`;
}

/** Whether an address is loopback (127.0.0.0/8, ::1), the only peers a token-less loopback instance treats as its operator. */
export function isLoopback(address: ipaddr.IPv4 | ipaddr.IPv6 | null): boolean {
  return address !== null && address.range() === "loopback";
}
