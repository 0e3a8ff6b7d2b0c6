// Which redirects a mirror request follows. The go command's own rule (cmd/go/internal/web/http.go,
// securityPreservingHTTPClient): at most 10 hops, never from https to http. Ours adds what a server that fetches on
// behalf of strangers needs: a public mirror may not send it to loopback, link-local or private addresses.

import { lookup } from "node:dns/promises";
import { isIP } from "node:net";

/** cmd/go/internal/web/http.go: "Go's http.DefaultClient allows 10 redirects before returning an error." */
export const MAX_REDIRECTS = 10;

export const REDIRECT_STATUSES: ReadonlySet<number> = new Set([301, 302, 303, 307, 308]);

/** Every address of a host name (literal addresses are judged without asking it). */
export type ResolveHost = (host: string) => Promise<string[]>;

export const resolveWithDns: ResolveHost = async (host) => (await lookup(host, { all: true, verbatim: true })).map((a) => a.address);

function ipv4Octets(address: string): number[] | null {
  const parts = address.split(".").map(Number);
  return parts.length === 4 && parts.every((p) => Number.isInteger(p) && p >= 0 && p <= 255) ? parts : null;
}

/** IPv6 address → its 8 groups, with "::" expanded and an embedded IPv4 tail converted. */
function ipv6Groups(address: string): number[] | null {
  let text = address.toLowerCase().replace(/^\[|\]$/g, "").replace(/%.*$/, "");
  const v4 = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (v4?.[1]) {
    const o = ipv4Octets(v4[1]);
    if (!o) return null;
    text = `${text.slice(0, -v4[1].length)}${((o[0] ?? 0) * 256 + (o[1] ?? 0)).toString(16)}:${((o[2] ?? 0) * 256 + (o[3] ?? 0)).toString(16)}`;
  }
  const halves = text.split("::");
  if (halves.length > 2) return null;
  const head = halves[0] ? halves[0].split(":") : [];
  const tail = halves.length === 2 && halves[1] ? halves[1].split(":") : [];
  const missing = 8 - head.length - tail.length;
  if (halves.length === 1 ? missing !== 0 : missing < 0) return null;
  const groups = [...head, ...Array.from({ length: halves.length === 2 ? missing : 0 }, () => "0"), ...tail].map((g) => parseInt(g, 16));
  return groups.length === 8 && groups.every((g) => Number.isInteger(g) && g >= 0 && g <= 0xffff) ? groups : null;
}

/**
 * Not on the public internet: loopback, private (RFC 1918, fc00::/7), link-local, carrier-grade NAT, unspecified,
 * and IPv4 reached through IPv6 (mapped, NAT64 well-known prefix) that is one of those. Unparsable counts as non-public.
 */
export function isNonPublicAddress(address: string): boolean {
  const o = ipv4Octets(address);
  if (o) {
    const [a = 0, b = 0] = o;
    return a === 0 || a === 10 || a === 127 || (a === 100 && b >= 64 && b <= 127) || (a === 169 && b === 254) || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168);
  }
  const g = ipv6Groups(address);
  if (!g) return true;
  const [g0 = 0, g1 = 0, g2 = 0, g3 = 0, g4 = 0, g5 = 0, g6 = 0, g7 = 0] = g;
  if (g.every((x) => x === 0)) return true; // ::
  if (g0 === 0 && g1 === 0 && g2 === 0 && g3 === 0 && g4 === 0 && g5 === 0 && g6 === 0 && g7 === 1) return true; // ::1
  const embedded = `${g6 >> 8}.${g6 & 255}.${g7 >> 8}.${g7 & 255}`;
  if (g0 === 0 && g1 === 0 && g2 === 0 && g3 === 0 && g4 === 0 && g5 === 0xffff) return isNonPublicAddress(embedded); // ::ffff:a.b.c.d
  if (g0 === 0x64 && g1 === 0xff9b && g2 === 0 && g3 === 0 && g4 === 0 && g5 === 0) return isNonPublicAddress(embedded); // 64:ff9b::/96
  if ((g0 & 0xfe00) === 0xfc00) return true; // fc00::/7 unique local
  if ((g0 & 0xffc0) === 0xfe80) return true; // fe80::/10 link-local
  return false;
}

const hostOf = (url: URL) => url.hostname.replace(/^\[|\]$/g, "");

/**
 * Whether a request that started at `origin` may follow a redirect from `from` to `to`, after `hops` redirects
 * already followed; null when it may, else the refusal as the evidence says it. `allowNonPublic` holds when the
 * configured mirror itself is on a non-public address (a simulator, a proxy on the LAN).
 */
export async function refuseRedirect(
  origin: URL,
  from: URL,
  to: URL,
  hops: number,
  options: { allowNonPublic: boolean; resolveHost: ResolveHost },
): Promise<string | null> {
  if (hops >= MAX_REDIRECTS) return `stopped after ${MAX_REDIRECTS} redirects`;
  if (to.protocol !== "http:" && to.protocol !== "https:") return `redirected to ${to.href}: only http and https are followed`;
  if (origin.protocol === "https:" && to.protocol !== "https:") return `redirected from secure URL ${from.href} to insecure URL ${to.href}`;
  if (to.username !== "" || to.password !== "") return `redirected to a URL with credentials in it (${to.host}): not followed`;
  if (options.allowNonPublic) return null;
  let addresses: string[];
  try {
    const host = hostOf(to);
    addresses = isIP(host) ? [host] : await options.resolveHost(host);
  } catch (err) {
    return `redirected to ${to.host}, which does not resolve: ${err instanceof Error ? err.message : String(err)}`;
  }
  const inside = addresses.find(isNonPublicAddress);
  if (addresses.length === 0 || inside !== undefined) return `redirected to ${to.host} (${inside ?? "no address"}), a loopback, link-local or private address: not followed`;
  return null;
}

/** Whether the configured mirror is itself on a non-public address: then its redirects may stay there. */
export async function isNonPublicOrigin(origin: URL, resolveHost: ResolveHost): Promise<boolean> {
  const host = hostOf(origin);
  if (host === "localhost" || host.endsWith(".localhost")) return true;
  try {
    const addresses = isIP(host) ? [host] : await resolveHost(host);
    return addresses.length > 0 && addresses.every(isNonPublicAddress);
  } catch {
    return false;
  }
}
