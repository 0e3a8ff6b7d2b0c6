/** Fixed-budget sliding window per key: at most `limit` hits in any `windowMs`; 0 disables it. */
export type RateLimiter = {
  /** Records a hit if allowed; otherwise says how many seconds until the next one would be. */
  take(key: string): { ok: true } | { ok: false; retryAfterSeconds: number };
};

export function createRateLimiter(options: { limit: number; windowMs: number; now: () => number; maxKeys?: number }): RateLimiter {
  const hits = new Map<string, number[]>();
  const maxKeys = options.maxKeys ?? 10_000;
  return {
    take(key) {
      if (options.limit <= 0) return { ok: true };
      const now = options.now();
      const recent = (hits.get(key) ?? []).filter((t) => t > now - options.windowMs);
      if (recent.length >= options.limit) {
        hits.set(key, recent);
        const oldest = recent[0] ?? now;
        return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil((oldest + options.windowMs - now) / 1000)) };
      }
      recent.push(now);
      hits.delete(key);
      hits.set(key, recent);
      // Forget the least recently active clients so a flood of spoofed keys cannot grow memory without bound.
      if (hits.size > maxKeys) {
        const first = hits.keys().next().value;
        if (first !== undefined) hits.delete(first);
      }
      return { ok: true };
    },
  };
}

/** Who is asking, for rate limiting: the first proxy-forwarded address, else one shared bucket. */
export function clientKey(headers: { get(name: string): string | null }): string {
  const forwarded = headers.get("x-forwarded-for")?.split(",")[0]?.trim();
  return forwarded || headers.get("x-real-ip")?.trim() || "direct";
}
