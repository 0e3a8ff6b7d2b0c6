import { afterEach, describe, expect, it, vi } from "vitest";
import { createSimClock, startMirrorSim } from "@/e2e/mirror-sim";
import type { MirrorSim, Scenario, SimClock } from "@/e2e/mirror-sim";
import type { CheckOptions, CheckOutcome } from "@/lib/check";
import { createMirrorRateCap } from "./mirror-rate-cap";
import type { WatchedModule } from "@/lib/store";
import { createPoller } from "./poller";
import type { Poller, PollerDeps } from "./poller";
import { createStoredPoller } from "./stored-poller";
import { createTestService } from "@/e2e/support/test-service";

const T0 = new Date("2026-03-01T10:00:00Z");
const seconds = (n: number) => n * 1000;
const minutes = (n: number) => n * 60_000;
const ago = (ms: number) => new Date(T0.getTime() - ms);

/** A checker that records calls and lets the test decide when each check ends. */
function instrumentedChecker(options: { fail?: (module: string) => boolean } = {}) {
  const calls: { module: string; options: CheckOptions }[] = [];
  const open = new Map<string, () => void>();
  let running = 0;
  let maxRunning = 0;
  return {
    calls,
    maxRunning: () => maxRunning,
    running: () => running,
    /** Ends every running check. */
    finishAll() {
      for (const done of open.values()) done();
      open.clear();
    },
    checker: {
      async check(module: string, opts: CheckOptions): Promise<CheckOutcome> {
        calls.push({ module, options: opts });
        running += 1;
        maxRunning = Math.max(maxRunning, running);
        try {
          await new Promise<void>((resolve) => open.set(module, resolve));
          if (options.fail?.(module)) throw new Error(`boom: ${module}`);
          return { check: { id: calls.length, module, at: T0, passive: true, mirrors: {} }, shared: null };
        } finally {
          running -= 1;
        }
      },
    },
  };
}

/** Lets queued promise callbacks run (the poller starts checks from microtasks). */
const settle = async () => {
  for (let i = 0; i < 5; i++) await new Promise<void>((resolve) => setImmediate(resolve));
};

function unitPoller(watched: WatchedModule[], overrides: Partial<PollerDeps> = {}, hot: string[] = []) {
  const fake = instrumentedChecker();
  const errors: { error: unknown; module: string | null }[] = [];
  const poller = createPoller({
    checker: fake.checker,
    source: { watchedModules: () => watched, recentPickups: () => hot },
    clock: () => T0,
    intervalSeconds: 600,
    onError: (error, module) => errors.push({ error, module }),
    ...overrides,
  });
  return { poller, fake, errors };
}

async function drain(poller: Poller, fake: ReturnType<typeof instrumentedChecker>) {
  for (let i = 0; i < 100 && (fake.running() > 0 || i === 0); i++) {
    await settle();
    fake.finishAll();
  }
  await poller.idle();
}

describe("the poller's schedule (instrumented checker)", () => {
  it("picks never-checked modules and those older than the interval, within the jitter bounds", async () => {
    const watched: WatchedModule[] = [
      { path: "example.com/never", lastCheckAt: null },
      { path: "example.com/fresh", lastCheckAt: ago(seconds(539)) }, // under 600 - 10%: never due
      { path: "example.com/edge-low", lastCheckAt: ago(seconds(540)) }, // due only with the shortest draw
      { path: "example.com/middle", lastCheckAt: ago(seconds(600)) },
      { path: "example.com/edge-high", lastCheckAt: ago(seconds(659)) }, // due unless the draw is near the longest
      { path: "example.com/stale", lastCheckAt: ago(seconds(660)) }, // past 600 + 10%: always due
    ];
    const pick = async (r: number) => {
      const { poller, fake } = unitPoller(watched, { random: () => r });
      const { started } = await poller.tick();
      await drain(poller, fake);
      return started.sort();
    };
    expect(await pick(0)).toEqual(["example.com/edge-high", "example.com/edge-low", "example.com/middle", "example.com/never", "example.com/stale"]);
    expect(await pick(0.5)).toEqual(["example.com/edge-high", "example.com/middle", "example.com/never", "example.com/stale"]);
    expect(await pick(0.999_999)).toEqual(["example.com/never", "example.com/stale"]);
  });

  it("draws a module's jitter once per cycle, so it does not become due by re-rolling every tick", async () => {
    const draws = [0.9, 0.0, 0.0, 0.0];
    const random = vi.fn(() => draws.shift() ?? 0);
    const watched = [{ path: "example.com/a", lastCheckAt: ago(seconds(600)) }];
    const { poller } = unitPoller(watched, { random });
    // First draw is 0.9: threshold 648 s, not due; the later low draws must not be used for the same cycle.
    for (let i = 0; i < 3; i++) expect((await poller.tick()).started).toEqual([]);
    expect(random).toHaveBeenCalledTimes(1);
  });

  it("never runs more checks at once than the concurrency cap, queues the rest and does not queue twice", async () => {
    const watched = Array.from({ length: 10 }, (_, i) => ({ path: `example.com/m${i}`, lastCheckAt: null }));
    const { poller, fake } = unitPoller(watched, { concurrency: 3 });
    const first = await poller.tick();
    expect(first.started).toHaveLength(10);
    await settle();
    expect(fake.running()).toBe(3);
    expect((await poller.tick()).started).toEqual([]); // queued or running: not again
    await drain(poller, fake);
    expect(fake.maxRunning()).toBe(3);
    expect(fake.calls.map((c) => c.module).sort()).toEqual(watched.map((w) => w.path).sort());
    expect(fake.calls.every((c) => c.options.trigger === "poll" && c.options.passive === true)).toBe(true);
  });

  it("puts hot modules first and re-checks them after the hot interval, not the full one", async () => {
    const watched = [
      { path: "example.com/cold", lastCheckAt: ago(minutes(11)) },
      { path: "example.com/hot", lastCheckAt: ago(seconds(61)) },
      { path: "example.com/hot-recent", lastCheckAt: ago(seconds(30)) },
    ];
    const { poller, fake } = unitPoller(watched, { concurrency: 1, random: () => 0.5 }, ["example.com/hot", "example.com/hot-recent"]);
    expect((await poller.tick()).started).toEqual(["example.com/hot", "example.com/cold"]);
    await drain(poller, fake);
    expect(fake.calls.map((c) => c.module)).toEqual(["example.com/hot", "example.com/cold"]);
  });

  it("a throwing check is reported, is not retried before its interval, and the next tick goes on", async () => {
    let now = T0.getTime();
    const fake = instrumentedChecker({ fail: (m) => m === "example.com/bad" });
    const errors: { error: unknown; module: string | null }[] = [];
    const watched: WatchedModule[] = [
      { path: "example.com/bad", lastCheckAt: null },
      { path: "example.com/good", lastCheckAt: null },
    ];
    const poller = createPoller({
      checker: fake.checker,
      source: { watchedModules: () => watched, recentPickups: () => [] },
      clock: () => new Date(now),
      intervalSeconds: 600,
      jitterRatio: 0,
      onError: (error, module) => errors.push({ error, module }),
    });
    expect((await poller.tick()).started.sort()).toEqual(["example.com/bad", "example.com/good"]);
    await drain(poller, fake);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ module: "example.com/bad", error: new Error("boom: example.com/bad") });
    // "good" recorded a check (its lastCheckAt moves); "bad" recorded nothing but its attempt still counts.
    watched[1] = { path: "example.com/good", lastCheckAt: new Date(now) };
    now += seconds(15);
    expect((await poller.tick()).started).toEqual([]);
    now += minutes(10);
    expect((await poller.tick()).started.sort()).toEqual(["example.com/bad", "example.com/good"]);
    await drain(poller, fake);
    expect(errors).toHaveLength(2);
  });

  it("a failing store read is reported and the tick ends quietly", async () => {
    const errors: unknown[] = [];
    const poller = createPoller({
      checker: instrumentedChecker().checker,
      source: {
        watchedModules: () => {
          throw new Error("database is locked");
        },
        recentPickups: () => [],
      },
      clock: () => T0,
      intervalSeconds: 600,
      onError: (error) => errors.push(error),
    });
    await expect(poller.tick()).resolves.toEqual({ started: [] });
    expect(errors).toEqual([new Error("database is locked")]);
  });

  it("queues a due set too large for one push(...spread) call, and checks every module of it", async () => {
    // 200,000 arguments to push() overflow the call stack; the modules were already marked pending by then.
    const watched: WatchedModule[] = Array.from({ length: 200_000 }, (_, i) => ({ path: `example.com/m${i}`, lastCheckAt: null }));
    const checked = new Set<string>();
    const poller = createPoller({
      checker: { check: async (module) => (checked.add(module), { check: { id: checked.size, module, at: T0, passive: true, mirrors: {} }, shared: null }) },
      source: { watchedModules: () => watched, recentPickups: () => [] },
      clock: () => T0,
      intervalSeconds: 600,
      concurrency: 64,
    });
    const { started } = await poller.tick();
    expect(started).toHaveLength(200_000);
    await poller.idle();
    expect(checked.size).toBe(200_000);
  });

  it("start() ticks on a timer until stop(), and stop() waits for running checks", async () => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
    try {
      let now = T0.getTime();
      const watched: WatchedModule[] = [{ path: "example.com/a", lastCheckAt: null }];
      const fake = instrumentedChecker();
      const poller = createPoller({
        checker: fake.checker,
        source: { watchedModules: () => watched, recentPickups: () => [] },
        clock: () => new Date(now),
        intervalSeconds: 60,
        jitterRatio: 0,
      });
      poller.start();
      poller.start(); // a second start is a no-op, not a second loop
      await vi.advanceTimersByTimeAsync(0);
      expect(fake.calls).toHaveLength(1);
      fake.finishAll();
      await poller.idle();
      watched[0] = { path: "example.com/a", lastCheckAt: new Date(now) };
      now += seconds(61);
      await vi.advanceTimersByTimeAsync(seconds(15)); // default tick: a quarter of 60 s
      expect(fake.calls).toHaveLength(2);
      let stopped = false;
      const stopping = poller.stop().then(() => (stopped = true));
      await settle();
      expect(stopped).toBe(false); // the second check is still running
      fake.finishAll();
      await stopping;
      now += minutes(10);
      await vi.advanceTimersByTimeAsync(minutes(1));
      expect(fake.calls).toHaveLength(2);
    } finally {
      vi.useRealTimers();
    }
  });
});

// Against the simulated mirrors and a real (in-memory) database, with the stepped sim clock.
const MOD = "github.com/Example/Polled";
const gomod = (path = MOD) => `module ${path}\n\ngo 1.21\n`;

function scenario(modules: string[] = [MOD]): Scenario {
  return {
    start: T0,
    reference: "ref",
    modules: modules.map((path) => ({
      path,
      versions: [
        { version: "v1.0.0", time: "2026-02-01T00:00:00Z", gomod: gomod(path) },
        { version: "v1.1.0", time: "2026-02-10T00:00:00Z", gomod: gomod(path) },
      ],
    })),
    mirrors: [
      { name: "fast", style: "goproxy" },
      { name: "slow", style: "goproxy", lagSeconds: 15 * 60 },
      // Pull-through like proxy.golang.org: only a passive probe leaves its pickup time alone.
      { name: "ref", style: "proxy.golang.org", fetchOnDemand: true, lagSeconds: 5 * 60 },
    ],
  };
}

let sim: MirrorSim | undefined;
afterEach(async () => {
  await sim?.close();
  sim = undefined;
});

async function setupSim(s: Scenario = scenario()) {
  const clock = createSimClock(T0);
  sim = await startMirrorSim(s, { clock });
  const test = createTestService({ mirrorsEnv: sim.mirrorsEnv, reference: "ref", clock: clock.now });
  return { sim, clock, ...test };
}

/** Rate-cap time on the sim clock: a sleep moves the clock to its wake-up time (never backwards). */
function simCap(clock: SimClock, requestsPerSecond: number) {
  return createMirrorRateCap({
    requestsPerSecond,
    now: () => clock.now().getTime(),
    sleep: async (ms) => {
      const target = clock.now().getTime() + ms;
      await new Promise<void>((resolve) => setImmediate(resolve));
      if (clock.now().getTime() < target) clock.set(new Date(target));
    },
  });
}

describe("the poller against simulated mirrors", () => {
  it("re-checks a module hot after a first appearance, so the lagging mirror's pickup is timed within the hot interval", async () => {
    const { sim, clock, service, store, config } = await setupSim();
    await service.runCheck(MOD, { trigger: "api" }); // 10:00: someone looked, so it is watched
    const { poller, checker } = createStoredPoller({ store, config, clock: clock.now, rateCap: simCap(clock, 0), intervalSeconds: 600, jitterRatio: 0 });
    clock.advance(minutes(1));
    sim.addVersion(MOD, { version: "v1.2.0", gomod: gomod() }); // 10:01: fast has it at once, ref at 10:06, slow 10:16
    sim.clearLog();

    const pollChecks: Date[] = [];
    // Step the sim clock 15 s at a time (the production tick) from 10:01 to 10:40.
    while (clock.now().getTime() < T0.getTime() + minutes(40)) {
      const { started } = await poller.tick();
      if (started.length > 0) pollChecks.push(clock.now());
      await poller.idle();
      await checker.idle();
      clock.advance(seconds(15));
    }
    // 10:10 is the regular re-check; fast and ref have it, slow not yet, so the module is hot from then on.
    expect(pollChecks[0]).toEqual(new Date(T0.getTime() + minutes(10)));
    expect(pollChecks.length).toBeGreaterThan(20);

    const result = await service.timeline(MOD);
    if (!result.ok) throw new Error(result.message);
    const row = result.timeline.versions.find((v) => v.version === "v1.2.0")!;
    const firstSeen = (m: string) => new Date(row.mirrors[m]!.firstSeen!).getTime();
    // Nothing is hot before the first appearance is seen: ref (visible 10:06) is seen at the 10:10 check.
    expect(firstSeen("ref")).toBe(T0.getTime() + minutes(10));
    // From then on the module is hot: slow (visible 10:16) is seen within one hot interval plus one tick.
    expect(firstSeen("slow") - (T0.getTime() + minutes(16))).toBeGreaterThanOrEqual(0);
    expect(firstSeen("slow") - (T0.getTime() + minutes(16))).toBeLessThanOrEqual(seconds(75));
    // Every poll request was passive, so the pull-through reference was never made to fetch early.
    const polled = sim.log().filter((e) => e.kind === "list" || e.kind === "latest" || e.kind === "mod");
    expect(polled.length).toBeGreaterThan(0);
    expect(polled.every((e) => e.disableModuleFetch)).toBe(true);
    expect(sim.log().some((e) => e.pulled)).toBe(false);
  });

  it("keeps each mirror under the request-rate cap, .info follow-ups included, with the concurrency cap", async () => {
    const paths = Array.from({ length: 12 }, (_, i) => `github.com/example/rate${i}`);
    const { sim, clock, service, store, config } = await setupSim(scenario(paths));
    await Promise.all(paths.map((p) => service.runCheck(p, { trigger: "api" })));
    await service.checker.idle();
    // New versions everywhere, so the poll checks also fetch go.mod files and .info times.
    clock.advance(minutes(20));
    for (const p of paths) sim.addVersion(p, { version: "v1.2.0", gomod: gomod(p) });
    clock.advance(minutes(20));
    sim.clearLog();

    const released: { mirror: string; at: number }[] = [];
    const baseUrls = new Map(sim.mirrors.map((m) => [m.baseUrl, m.name]));
    const countingFetch = ((input: string | URL | Request, init?: RequestInit) => {
      const url = String(input);
      const mirror = [...baseUrls].find(([base]) => url.startsWith(base))?.[1] ?? "?";
      released.push({ mirror, at: clock.now().getTime() });
      return fetch(input, init);
    }) as typeof fetch;
    let running = 0;
    let maxRunning = 0;
    const rps = 3;
    const { poller, checker } = createStoredPoller({
      store,
      config,
      clock: clock.now,
      rateCap: simCap(clock, rps),
      fetch: countingFetch,
      intervalSeconds: 600,
      concurrency: 2,
    });
    const counted = createPoller({
      checker: {
        async check(module, options) {
          running += 1;
          maxRunning = Math.max(maxRunning, running);
          try {
            return await checker.check(module, options);
          } finally {
            running -= 1;
          }
        },
      },
      source: { watchedModules: () => paths.map((path) => ({ path, lastCheckAt: null })), recentPickups: () => [] },
      clock: clock.now,
      intervalSeconds: 600,
      concurrency: 2,
    });
    // The stored poller decides what is due from the database; the counting one shares its capped checker.
    expect((await poller.tick()).started.sort()).toEqual([...paths].sort());
    await poller.idle();
    await checker.idle();
    expect((await counted.tick()).started).toHaveLength(12);
    await counted.idle();
    await checker.idle();

    expect(maxRunning).toBe(2);
    const log = sim.log();
    expect(log.filter((e) => e.kind === "info").length).toBeGreaterThan(0);
    expect(released).toHaveLength(log.length);
    for (const mirror of ["fast", "slow", "ref"]) {
      const starts = released.filter((r) => r.mirror === mirror).map((r) => r.at).sort((a, b) => a - b);
      expect(starts.length).toBeGreaterThan(rps);
      for (let i = rps; i < starts.length; i++) expect(starts[i]! - starts[i - rps]!).toBeGreaterThanOrEqual(1000);
    }
  });

  it("a failing mirror is recorded by the check and does not stop later ticks", async () => {
    const s = scenario();
    s.mirrors[1] = { name: "slow", style: "goproxy", faults: [{ effect: { type: "status", status: 502 } }] };
    const { clock, service, store, config } = await setupSim(s);
    await service.runCheck(MOD, { trigger: "api" });
    const errors: unknown[] = [];
    const { poller, checker } = createStoredPoller({
      store,
      config,
      clock: clock.now,
      rateCap: simCap(clock, 5),
      intervalSeconds: 600,
      jitterRatio: 0,
      onError: (error) => errors.push(error),
    });
    const ids: number[] = [];
    for (let round = 0; round < 3; round++) {
      clock.advance(minutes(10));
      expect((await poller.tick()).started).toEqual([MOD]);
      await poller.idle();
      await checker.idle();
      const t = await service.timeline(MOD);
      if (!t.ok) throw new Error(t.message);
      ids.push(t.timeline.asOf.checkId);
      expect(t.timeline.summaries.find((m) => m.name === "slow")).toMatchObject({ outcome: "error" });
    }
    expect(new Set(ids).size).toBe(3);
    expect(errors).toEqual([]);
  });

  it("skips un-watched modules, and a new poller on the same database picks up the stored schedule", async () => {
    const other = "github.com/example/other";
    const { clock, service, store, config } = await setupSim(scenario([MOD, other]));
    await service.runCheck(MOD, { trigger: "api" });
    await service.runCheck(other, { trigger: "api" });
    expect(await service.setWatched(other, false)).toBe(true);
    const make = () =>
      createStoredPoller({ store, config, clock: clock.now, rateCap: simCap(clock, 5), intervalSeconds: 600, jitterRatio: 0 });

    const first = make();
    clock.advance(minutes(10));
    expect((await first.poller.tick()).started).toEqual([MOD]);
    await first.poller.idle();
    await first.poller.stop();
    await first.checker.idle();

    // "Restart": nothing is remembered but the database, which says MOD was just checked.
    const second = make();
    clock.advance(minutes(5));
    expect((await second.poller.tick()).started).toEqual([]);
    clock.advance(minutes(5));
    expect((await second.poller.tick()).started).toEqual([MOD]);
    await second.poller.stop();
    await second.checker.idle();
  });
});
