import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { compareVersions, isValidVersion } from "@/lib/goproxy";
import { createReadBudget } from "./read-budget";
import { createRateLimiter } from "./rate-limit";

/*
 * Issue 12: "In-memory maps (rate-limit buckets, single-flight, caches) are bounded; a test floods them with a million
 * distinct keys and asserts memory stays flat." Each keyed map a request can reach gets a million made-up keys after a
 * warm-up has filled it to its bound; the heap after the flood (collected) is compared with the heap after the warm-up.
 */

setFlagsFromString("--expose-gc");
const gc = runInNewContext("gc") as () => void;
const FLOOD = 1_000_000;
/** Far below what a million kept keys would take (a string key and its entry: ~100 bytes each, ~100 MB). */
const FLAT_BYTES = 4 * 1024 * 1024;

function heapAfterGc(): number {
  gc();
  gc();
  return process.memoryUsage().heapUsed;
}

/** A distinct IPv4 client per i, as a flood of spoofed or real addresses would bring. */
const address = (i: number) => `10.${(i >>> 16) & 255}.${(i >>> 8) & 255}.${i & 255}`;

describe("a million distinct keys", () => {
  it("through the check limiter (RATE_LIMIT_PER_MINUTE: 30 a minute, 10,000 clients): bounded, flat, and no one's budget refilled", () => {
    const now = 1_000_000;
    const limiter = createRateLimiter({ limit: 30, windowMs: 60_000, now: () => now });
    for (let i = 0; i < 30; i++) expect(limiter.take("198.51.100.7").ok).toBe(true);
    for (let i = 0; i < 20_000; i++) limiter.take(`warm-${i}`);
    const before = heapAfterGc();
    for (let i = 0; i < FLOOD; i++) limiter.take(address(i));
    const growth = heapAfterGc() - before;
    console.log(`check limiter: ${limiter.size()} keys held after ${FLOOD} distinct ones, heap growth ${(growth / 1024).toFixed(0)} KiB`);
    expect(limiter.size()).toBeLessThanOrEqual(10_001);
    expect(growth).toBeLessThan(FLAT_BYTES);
    expect(limiter.take("198.51.100.7").ok).toBe(false);
  });

  it("through the read budget (READ_RATE_LIMIT_PER_MINUTE: 600 a minute, 20,000 clients), in one window and across many", () => {
    let now = 1_000_000;
    const budget = createReadBudget({ limit: 600, windowMs: 60_000, now: () => now });
    for (let i = 0; i < 600; i++) expect(budget.take("198.51.100.7").ok).toBe(true);
    for (let i = 0; i < 30_000; i++) budget.take(`warm-${i}`);
    const before = heapAfterGc();
    for (let i = 0; i < FLOOD; i++) budget.take(address(i));
    const growth = heapAfterGc() - before;
    console.log(`read budget: ${budget.size()} keys held after ${FLOOD} distinct ones, heap growth ${(growth / 1024).toFixed(0)} KiB`);
    expect(budget.size()).toBeLessThanOrEqual(20_001);
    expect(growth).toBeLessThan(FLAT_BYTES);
    // Spent before the flood, still spent after it: the flood neither pushed it out nor reset it.
    expect(budget.take("198.51.100.7").ok).toBe(false);

    // A flood spread over 50 minutes: the idle are forgotten as it goes (each window makes room), still bounded.
    const spreadBefore = heapAfterGc();
    for (let i = 0; i < FLOOD; i++) {
      now += 3;
      budget.take(`spread-${i}`);
    }
    const spreadGrowth = heapAfterGc() - spreadBefore;
    console.log(`read budget, flood over ${((FLOOD * 3) / 60_000).toFixed(0)} min: ${budget.size()} keys held, heap growth ${(spreadGrowth / 1024).toFixed(0)} KiB`);
    expect(budget.size()).toBeLessThanOrEqual(20_001);
    expect(spreadGrowth).toBeLessThan(FLAT_BYTES);
  });

  it("through the semantic-version parse cache (20,000 entries), as a flood of made-up versions would fill it", () => {
    for (let i = 0; i < 40_000; i++) isValidVersion(`v0.0.${i}-warm`);
    const before = heapAfterGc();
    let valid = 0;
    for (let i = 0; i < FLOOD; i++) if (isValidVersion(`v1.${i % 1000}.${i}-flood`)) valid++;
    const growth = heapAfterGc() - before;
    console.log(`semver parse cache: heap growth ${(growth / 1024).toFixed(0)} KiB after ${FLOOD} distinct versions`);
    expect(valid).toBe(FLOOD);
    expect(growth).toBeLessThan(FLAT_BYTES);
    // Still right after being cleared over and over.
    expect(compareVersions("v1.2.10", "v1.2.9")).toBe(1);
  });
});

describe("a million distinct clients failing the operator's sign-in", () => {
  const TOKEN = "flood-test-token-0123456789abcdef";
  let saved: string | undefined;
  beforeAll(() => {
    saved = process.env.ADMIN_TOKEN;
    process.env.ADMIN_TOKEN = TOKEN;
  });
  afterAll(() => {
    if (saved === undefined) delete process.env.ADMIN_TOKEN;
    else process.env.ADMIN_TOKEN = saved;
  });

  it("holds at most 10,001 clients, the heap stays flat, and a locked-out client stays locked out", async () => {
    const { checkOperator, FAILED_SIGN_INS_PER_WINDOW } = await import("./operator-guard");
    const wrong = (peer: string) => new Headers({ "x-mirrorlag-peer": peer, authorization: "Bearer not-the-token" });
    for (let i = 0; i < FAILED_SIGN_INS_PER_WINDOW; i++) expect(checkOperator(wrong("198.51.100.7"), null)).toMatchObject({ reason: "bad_credentials" });
    expect(checkOperator(wrong("198.51.100.7"), null)).toMatchObject({ reason: "rate_limited" });
    for (let i = 0; i < 20_000; i++) checkOperator(wrong(`172.16.${(i >>> 8) & 255}.${i & 255}`), null);
    const held = () => (globalThis as unknown as { mirrorlagFailedSignIns?: { size(): number } }).mirrorlagFailedSignIns?.size() ?? 0;
    const before = heapAfterGc();
    // One header bag reused, its peer changed: the flood measures the limiter, not a million Headers objects.
    let peer = "";
    const bag = { get: (name: string) => (name === "x-mirrorlag-peer" ? peer : name === "authorization" ? "Bearer not-the-token" : null) };
    for (let i = 0; i < FLOOD; i++) {
      peer = address(i);
      checkOperator(bag, null);
    }
    const growth = heapAfterGc() - before;
    console.log(`failed sign-ins: ${held()} clients held after ${FLOOD} distinct ones, heap growth ${(growth / 1024).toFixed(0)} KiB`);
    expect(held()).toBeLessThanOrEqual(10_001);
    expect(growth).toBeLessThan(FLAT_BYTES);
    expect(checkOperator(wrong("198.51.100.7"), null)).toMatchObject({ reason: "rate_limited" });
    // The right token is refused too while locked out: credentials are not even looked at.
    expect(checkOperator(new Headers({ "x-mirrorlag-peer": "198.51.100.7", authorization: `Bearer ${TOKEN}` }), null)).toMatchObject({ reason: "rate_limited" });
  });
});
