import { PEER_HEADER, clientAddress, clientKeyOf } from "./client-identity";
import type { TrustProxy } from "./client-identity";
import { getConfig } from "./config";

/** Fixed-budget sliding window per key: at most `limit` hits in any `windowMs`; 0 disables it. */
export type RateLimiter = {
  /** Records a hit if allowed; otherwise says how many seconds until the next one would be. */
  take(key: string): { ok: true } | { ok: false; retryAfterSeconds: number };
  /** Whether `key` has budget left, without spending any (for counting only failures, e.g. of sign-ins). */
  peek(key: string): { ok: true } | { ok: false; retryAfterSeconds: number };
  /** Clients held (the overflow budget included): at most maxKeys + 1. */
  size(): number;
};

/** Where new clients share one budget while the table is full of clients still inside their window. */
export const OVERFLOW_KEY = "\u0000overflow";

/**
 * Memory is bounded by `maxKeys` clients × `limit` timestamps. A full table never forgets a client inside its window
 * (that would refill its budget: a flood of made-up keys must not reset anyone); it forgets clients whose window has
 * passed, least recently active first, and while none has, newcomers share one overflow budget.
 */
export function createRateLimiter(options: { limit: number; windowMs: number; now: () => number; maxKeys?: number }): RateLimiter {
  // Least recently hit first (a hit moves its key to the end), so expired clients sit at the front.
  const hits = new Map<string, number[]>();
  const maxKeys = options.maxKeys ?? 10_000;
  const expired = (times: number[] | undefined, now: number) => times === undefined || (times[times.length - 1] ?? -Infinity) <= now - options.windowMs;
  return {
    take(key) {
      if (options.limit <= 0) return { ok: true };
      const now = options.now();
      let bucket = key;
      if (!hits.has(key)) {
        for (const [oldKey, times] of hits) {
          if (hits.size < maxKeys || !expired(times, now)) break;
          hits.delete(oldKey);
        }
        if (hits.size >= maxKeys) bucket = OVERFLOW_KEY;
      }
      const recent = (hits.get(bucket) ?? []).filter((t) => t > now - options.windowMs);
      if (recent.length >= options.limit) {
        hits.set(bucket, recent);
        const oldest = recent[0] ?? now;
        return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil((oldest + options.windowMs - now) / 1000)) };
      }
      recent.push(now);
      hits.delete(bucket);
      hits.set(bucket, recent);
      return { ok: true };
    },
    peek(key) {
      if (options.limit <= 0) return { ok: true };
      const now = options.now();
      const recent = (hits.get(key) ?? hits.get(OVERFLOW_KEY) ?? []).filter((t) => t > now - options.windowMs);
      if (!hits.has(key) && hits.size < maxKeys) return { ok: true };
      if (recent.length < options.limit) return { ok: true };
      return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil(((recent[0] ?? now) + options.windowMs - now) / 1000)) };
    },
    size: () => hits.size,
  };
}

/**
 * Who is asking, for rate limiting: the TCP peer our HTTP server stamped, or with TRUST_PROXY the address the trusted
 * proxies forwarded; IPv4 per address, IPv6 per /64. A client's own X-Forwarded-For is believed by nobody.
 */
export function clientKey(headers: { get(name: string): string | null }, trust: TrustProxy = getConfig().trustProxy): string {
  return clientKeyOf(clientAddress(headers.get(PEER_HEADER), headers.get("x-forwarded-for"), trust));
}
