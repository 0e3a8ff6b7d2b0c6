import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { describe, expect, it } from "vitest";
import { clientKey, createRateLimiter } from "./rate-limit";

// A real collection before each heap reading, so the figure is what is kept, not garbage not yet collected.
setFlagsFromString("--expose-gc");
const gc = runInNewContext("gc") as () => void;

describe("createRateLimiter", () => {
  it("allows `limit` hits per window per key, then says when to retry", () => {
    let now = 0;
    const limiter = createRateLimiter({ limit: 3, windowMs: 60_000, now: () => now });
    expect([1, 2, 3].map(() => limiter.take("a").ok)).toEqual([true, true, true]);
    expect(limiter.take("a")).toEqual({ ok: false, retryAfterSeconds: 60 });
    expect(limiter.take("b").ok).toBe(true);
    now = 30_000;
    expect(limiter.take("a")).toEqual({ ok: false, retryAfterSeconds: 30 });
    now = 60_001;
    expect(limiter.take("a").ok).toBe(true);
  });
  it("is off at 0", () => {
    const limiter = createRateLimiter({ limit: 0, windowMs: 60_000, now: () => 0 });
    for (let i = 0; i < 100; i++) expect(limiter.take("a").ok).toBe(true);
  });
  it("keeps memory bounded without a flood of made-up keys refilling anyone's budget", () => {
    let now = 0;
    const limiter = createRateLimiter({ limit: 3, windowMs: 60_000, now: () => now, maxKeys: 1000 });
    for (let i = 0; i < 3; i++) expect(limiter.take("real").ok).toBe(true);
    expect(limiter.take("real").ok).toBe(false);
    gc();
    const heapBefore = process.memoryUsage().heapUsed;
    for (let i = 0; i < 1_000_000; i++) limiter.take(`spoofed-${i}`);
    gc();
    expect(limiter.size()).toBe(1001);
    // Forgetting "real" now would hand it three more: it stays limited for the rest of its window.
    expect(limiter.take("real")).toEqual({ ok: false, retryAfterSeconds: 60 });
    // A million keys through a 1,000-key table: the heap did not grow with them (a leak would be tens of MB; the table itself is 1,001 keys).
    expect(process.memoryUsage().heapUsed - heapBefore).toBeLessThan(8 * 1024 * 1024);
    // While the table is full of clients inside their window, newcomers share one overflow budget.
    expect(limiter.take("newcomer").ok).toBe(false);
    // Once those windows pass, the expired make room again, least recently active first.
    now = 60_001;
    expect(limiter.take("newcomer").ok).toBe(true);
    expect(limiter.take("real").ok).toBe(true);
  });
  it("forgets only clients whose window has passed, least recently active first", () => {
    let now = 0;
    const limiter = createRateLimiter({ limit: 1, windowMs: 10_000, now: () => now, maxKeys: 2 });
    expect(limiter.take("a").ok).toBe(true);
    now = 5_000;
    expect(limiter.take("b").ok).toBe(true);
    now = 10_001;
    // "a" has expired and makes room for "c"; "b" is still inside its window and keeps its spent budget.
    expect(limiter.take("c").ok).toBe(true);
    expect(limiter.take("b").ok).toBe(false);
    // The table is full of clients inside their window: "a" (its own window long past) and "d" share the overflow.
    expect(limiter.take("a").ok).toBe(true);
    expect(limiter.take("d").ok).toBe(false);
    expect(limiter.size()).toBe(3);
  });
});

describe("clientKey", () => {
  it("is the stamped TCP peer; a client's own X-Forwarded-For is believed only with TRUST_PROXY", () => {
    const headers = new Headers({ "x-mirrorlag-peer": "127.0.0.1", "x-forwarded-for": "203.0.113.9" });
    expect(clientKey(headers, { kind: "off" })).toBe("127.0.0.1");
    expect(clientKey(headers, { kind: "hops", hops: 1 })).toBe("203.0.113.9");
    // Not behind our HTTP server (no stamped peer): one unknown client, never a made-up one.
    expect(clientKey(new Headers({ "x-forwarded-for": "203.0.113.9" }), { kind: "hops", hops: 1 })).toBe("unknown");
  });
});
