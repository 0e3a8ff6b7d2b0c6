// Which redirects a mirror request follows. The go command's own rule (cmd/go/internal/web/http.go,
// securityPreservingHTTPClient): at most 10 hops, never from https to http. Ours adds what a server that fetches on
// behalf of strangers needs: a public mirror may not send it to loopback, link-local or private addresses.

import { lookup } from "node:dns/promises";
import { isIP } from "node:net";
import ipaddr from "ipaddr.js";

/** cmd/go/internal/web/http.go: "Go's http.DefaultClient allows 10 redirects before returning an error." */
export const MAX_REDIRECTS = 10;

export const REDIRECT_STATUSES: ReadonlySet<number> = new Set([301, 302, 303, 307, 308]);

/** Every address of a host name (literal addresses are judged without asking it). */
export type ResolveHost = (host: string) => Promise<string[]>;

export const resolveWithDns: ResolveHost = async (host) => (await lookup(host, { all: true, verbatim: true })).map((a) => a.address);

/**
 * Not on the public internet: anything ipaddr.js does not class as global unicast once IPv4-mapped addresses are
 * unwrapped (loopback, private, link-local, unique local, carrier-grade NAT, unspecified, documentation, NAT64 and
 * other translated or reserved ranges). Unparsable counts as non-public.
 */
export function isNonPublicAddress(address: string): boolean {
  const bare = address.replace(/^\[|\]$/g, "").replace(/%.*$/, "");
  if (!ipaddr.isValid(bare)) return true;
  return ipaddr.process(bare).range() !== "unicast";
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
