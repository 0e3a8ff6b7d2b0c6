import { describe, expect, it } from "vitest";
import { createMirrorRateCap } from "./mirror-rate-cap";

/** A clock that only moves when the earliest sleeper is woken, so every run gives the same times. */
function fakeTime() {
  let t = 0;
  const sleepers: { at: number; resolve: () => void }[] = [];
  const settle = () => new Promise<void>((resolve) => setImmediate(resolve));
  return {
    now: () => t,
    sleep: (ms: number) => new Promise<void>((resolve) => sleepers.push({ at: t + ms, resolve })),
    sleeping: () => sleepers.length,
    /** Wakes sleepers in time order until nobody sleeps any more. */
    async run() {
      for (await settle(); sleepers.length > 0; await settle()) {
        sleepers.sort((a, b) => a.at - b.at);
        const next = sleepers.shift()!;
        t = Math.max(t, next.at);
        next.resolve();
      }
    },
    advance(ms: number) {
      t += ms;
    },
  };
}

/** A fetch that records, per mirror, the (fake) time each request was let through. */
function recordingFetch(now: () => number) {
  const starts: number[] = [];
  const fetch = (() => {
    starts.push(now());
    return Promise.resolve(new Response("ok"));
  }) as unknown as typeof globalThis.fetch;
  return { fetch, starts };
}

/** Most request starts in any half-open window [t, t + 1000). */
function busiestSecond(starts: number[]): number {
  const sorted = [...starts].sort((a, b) => a - b);
  let best = 0;
  for (let i = 0; i < sorted.length; i++) {
    let j = i;
    while (j < sorted.length && sorted[j]! < sorted[i]! + 1000) j++;
    best = Math.max(best, j - i);
  }
  return best;
}

describe("createMirrorRateCap", () => {
  it("lets a burst of up to the cap through at once and spreads the rest over later seconds", async () => {
    const time = fakeTime();
    const cap = createMirrorRateCap({ requestsPerSecond: 5, now: time.now, sleep: time.sleep });
    const a = recordingFetch(time.now);
    const fetchA = cap.wrapFetch("a", a.fetch);
    const requests = Array.from({ length: 23 }, () => fetchA("http://a/x"));
    await time.run();
    await Promise.all(requests);
    expect(a.starts).toEqual([...Array(5).fill(0), ...Array(5).fill(1000), ...Array(5).fill(2000), ...Array(5).fill(3000), 4000, 4000, 4000]);
    expect(busiestSecond(a.starts)).toBe(5);
  });

  it("keeps mirrors apart: one mirror's backlog does not delay another", async () => {
    const time = fakeTime();
    const cap = createMirrorRateCap({ requestsPerSecond: 2, now: time.now, sleep: time.sleep });
    const a = recordingFetch(time.now);
    const b = recordingFetch(time.now);
    const fetchA = cap.wrapFetch("a", a.fetch);
    const fetchB = cap.wrapFetch("b", b.fetch);
    const requests = [...Array.from({ length: 6 }, () => fetchA("http://a/x")), fetchB("http://b/x"), fetchB("http://b/x")];
    await time.run();
    await Promise.all(requests);
    expect(b.starts).toEqual([0, 0]);
    expect(a.starts).toEqual([0, 0, 1000, 1000, 2000, 2000]);
  });

  it("never waits when requests stay under the cap", async () => {
    const time = fakeTime();
    const cap = createMirrorRateCap({ requestsPerSecond: 3, now: time.now, sleep: time.sleep });
    const a = recordingFetch(time.now);
    const fetchA = cap.wrapFetch("a", a.fetch);
    for (let i = 0; i < 10; i++) {
      await fetchA("http://a/x");
      await fetchA("http://a/y");
      expect(time.sleeping()).toBe(0);
      time.advance(1000);
    }
    expect(a.starts).toHaveLength(20);
  });

  it("holds the cap in every one-second window under irregular arrivals", async () => {
    const time = fakeTime();
    const cap = createMirrorRateCap({ requestsPerSecond: 4, now: time.now, sleep: time.sleep });
    const a = recordingFetch(time.now);
    const fetchA = cap.wrapFetch("a", a.fetch);
    let seed = 42;
    const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const requests: Promise<Response>[] = [];
    for (let i = 0; i < 200; i++) {
      // Clusters of up to 7 requests, 0-900 ms apart: often faster than the cap allows.
      for (let k = Math.floor(next() * 8); k > 0; k--) requests.push(fetchA("http://a/x"));
      await time.run();
      time.advance(Math.floor(next() * 900));
    }
    await time.run();
    await Promise.all(requests);
    expect(a.starts.length).toBe(requests.length);
    expect(busiestSecond(a.starts)).toBeLessThanOrEqual(4);
    // Starts never go back in time, so "at most 4 in any second" is what the mirror observes too.
    expect(a.starts).toEqual([...a.starts].sort((x, y) => x - y));
  });

  it("holds the cap after a stalled event loop wakes every waiting request at once", async () => {
    let t = 0;
    const sleepers: { at: number; resolve: () => void }[] = [];
    const settle = () => new Promise<void>((resolve) => setImmediate(resolve));
    // A sleep that wakes late: the first wake after the queue fills comes 2.5 s after it was due, as in a stall.
    let stalled = false;
    const cap = createMirrorRateCap({ requestsPerSecond: 10, now: () => t, sleep: (ms) => new Promise<void>((resolve) => sleepers.push({ at: t + ms, resolve })) });
    const a = recordingFetch(() => t);
    const fetchA = cap.wrapFetch("a", a.fetch);
    const requests = Array.from({ length: 40 }, () => fetchA("http://a/x"));
    for (await settle(); sleepers.length > 0; await settle()) {
      sleepers.sort((x, y) => x.at - y.at);
      const due = sleepers[0]!.at;
      if (!stalled) {
        stalled = true;
        t = due + 2500;
        // Everyone due by then wakes together.
        for (const s of sleepers.splice(0)) s.resolve();
        continue;
      }
      const next = sleepers.shift()!;
      t = Math.max(t, next.at);
      next.resolve();
    }
    await Promise.all(requests);
    expect(a.starts).toHaveLength(40);
    expect(busiestSecond(a.starts)).toBeLessThanOrEqual(10);
  });

  it("with a guard, requests that reach the wire up to guardMs late still never make more than the cap in a second", async () => {
    const time = fakeTime();
    const cap = createMirrorRateCap({ requestsPerSecond: 10, now: time.now, sleep: time.sleep, guardMs: 300 });
    let seed = 7;
    const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    // Each request is let go at its slot, then delayed on its way by 0-300 ms (a stalled event loop).
    const arrivals: number[] = [];
    const requests = Array.from({ length: 60 }, () => cap.acquire("a").then(() => void arrivals.push(time.now() + Math.floor(next() * 300))));
    await time.run();
    await Promise.all(requests);
    expect(arrivals).toHaveLength(60);
    expect(busiestSecond(arrivals)).toBeLessThanOrEqual(10);
  });

  it("ready() resolves once every listed mirror has room for that many requests", async () => {
    const time = fakeTime();
    const cap = createMirrorRateCap({ requestsPerSecond: 3, now: time.now, sleep: time.sleep });
    const a = recordingFetch(time.now);
    const fetchA = cap.wrapFetch("a", a.fetch);
    await Promise.all([fetchA("http://a/1"), fetchA("http://a/2")]);
    let readyAt: number | null = null;
    void cap.ready(["a", "b"], 1).then(() => (readyAt = time.now()));
    await time.run();
    expect(readyAt).toBe(0);
    readyAt = null;
    void cap.ready(["a", "b"], 2).then(() => (readyAt = time.now()));
    await time.run();
    expect(readyAt).toBe(1000);
  });

  it("an aborted wait rejects with the abort reason and never reaches the mirror", async () => {
    const time = fakeTime();
    const cap = createMirrorRateCap({ requestsPerSecond: 1, now: time.now, sleep: time.sleep });
    const a = recordingFetch(time.now);
    const fetchA = cap.wrapFetch("a", a.fetch);
    await fetchA("http://a/1");
    const controller = new AbortController();
    const waiting = fetchA("http://a/2", { signal: controller.signal });
    controller.abort(new Error("timed out after 10 ms"));
    await expect(waiting).rejects.toThrow("timed out after 10 ms");
    expect(a.starts).toEqual([0]);
  });

  it("an aborted wait gives its slot back: the next request takes it instead of waiting a second longer", async () => {
    const time = fakeTime();
    const cap = createMirrorRateCap({ requestsPerSecond: 1, now: time.now, sleep: time.sleep });
    await cap.acquire("a");
    const controller = new AbortController();
    const abandoned = cap.acquire("a", controller.signal);
    controller.abort(new Error("shutting down"));
    await expect(abandoned).rejects.toThrow("shutting down");
    let grantedAt: number | null = null;
    void cap.acquire("a").then(() => (grantedAt = time.now()));
    await time.run();
    expect(grantedAt).toBe(1000);
    // The cap still holds for everything after: one start per second.
    const starts: number[] = [];
    const more = Array.from({ length: 3 }, () => cap.acquire("a").then(() => starts.push(time.now())));
    await time.run();
    await Promise.all(more);
    expect(starts).toEqual([2000, 3000, 4000]);
  });

  it("0 turns the cap off; anything but a whole number >= 0 is refused", async () => {
    const time = fakeTime();
    const cap = createMirrorRateCap({ requestsPerSecond: 0, now: time.now, sleep: time.sleep });
    const a = recordingFetch(time.now);
    expect(cap.wrapFetch("a", a.fetch)).toBe(a.fetch);
    await cap.ready(["a"], 100);
    expect(() => createMirrorRateCap({ requestsPerSecond: 2.5, now: time.now, sleep: time.sleep })).toThrow(/whole number/);
    expect(() => createMirrorRateCap({ requestsPerSecond: -1, now: time.now, sleep: time.sleep })).toThrow(/whole number/);
  });
});
