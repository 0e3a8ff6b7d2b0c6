// Whether a request reached us over HTTPS, for HSTS: the socket is TLS, or TRUST_PROXY trusts the peer and the
// outermost trusted proxy says so in X-Forwarded-Proto. lib/server/http-server.ts stamps the answer in a header
// only it sets (any copy a client sent is removed first), as it does for the peer address.

import type { IncomingMessage } from "node:http";
import { SCHEME_HEADER } from "@/lib/security-headers";
import { inRanges, parseAddress } from "./client-identity";
import type { TrustProxy } from "./client-identity";
import { getConfig } from "./config";

export type SchemeInput = { tls: boolean; peer: string | null; forwardedFor: string | null; forwardedProto: string | null };

/**
 * How many proxies in front of us we believe: 0 when the peer is not trusted; else the peer and each further
 * X-Forwarded-For hop TRUST_PROXY trusts, walking from the right as clientAddress does.
 */
export function trustedProxyCount(peer: string | null, forwardedFor: string | null, trust: TrustProxy): number {
  const peerAddress = peer === null ? null : parseAddress(peer);
  if (trust.kind === "off" || peerAddress === null) return 0;
  if (trust.kind === "hops") {
    const forwarded = (forwardedFor ?? "").split(",").filter((e) => e.trim() !== "").length;
    return trust.hops === 0 ? 0 : Math.max(1, Math.min(trust.hops, forwarded));
  }
  if (!inRanges(peerAddress, trust.ranges)) return 0;
  const forwarded = (forwardedFor ?? "").split(",").map((e) => e.trim()).filter((e) => e !== "").reverse();
  let count = 1;
  // Each hop to the left is a proxy too while its address is in the trusted ranges (the last one is the client).
  for (let i = 0; i < forwarded.length - 1; i++) {
    const address = parseAddress(forwarded[i] ?? "");
    if (address === null || !inRanges(address, trust.ranges)) break;
    count++;
  }
  return count;
}

/**
 * "https" when the socket is TLS, or when the entry of X-Forwarded-Proto written by the outermost proxy we trust
 * says https (a proxy that appends adds one entry per hop from the right; one that overwrites leaves one entry).
 * A client can only add entries to the left of what trusted proxies write, so it cannot make itself https.
 */
export function requestScheme(input: SchemeInput, trust: TrustProxy): "https" | "http" {
  if (input.tls) return "https";
  const proxies = trustedProxyCount(input.peer, input.forwardedFor, trust);
  if (proxies === 0) return "http";
  const entries = (input.forwardedProto ?? "").split(",").map((e) => e.trim().toLowerCase()).filter((e) => e !== "").reverse();
  if (entries.length === 0) return "http";
  return entries[Math.min(proxies, entries.length) - 1] === "https" ? "https" : "http";
}

/** Stamps SCHEME_HEADER on a request as lib/server/http-server.ts receives it, replacing any copy the client sent. */
export function stampScheme(req: Pick<IncomingMessage, "headers" | "rawHeaders" | "socket">, trust: TrustProxy = getConfig().trustProxy): void {
  delete req.headers[SCHEME_HEADER];
  for (let i = req.rawHeaders.length - 2; i >= 0; i -= 2) {
    if (req.rawHeaders[i]?.toLowerCase() === SCHEME_HEADER) req.rawHeaders.splice(i, 2);
  }
  const joined = (name: string) => {
    const value = req.headers[name];
    return value === undefined ? null : Array.isArray(value) ? value.join(",") : value;
  };
  const scheme = requestScheme(
    { tls: (req.socket as { encrypted?: boolean }).encrypted === true, peer: req.socket.remoteAddress ?? null, forwardedFor: joined("x-forwarded-for"), forwardedProto: joined("x-forwarded-proto") },
    trust,
  );
  req.headers[SCHEME_HEADER] = scheme;
  req.rawHeaders.push(SCHEME_HEADER, scheme);
}
