import { afterEach, describe, expect, it } from "vitest";
import { createSimClock, startMirrorSim } from "@/e2e/mirror-sim";
import type { MirrorSim, Scenario } from "@/e2e/mirror-sim";
import { moduleState } from "./module-state";
import { createTestService } from "@/e2e/support/test-service";

const T0 = new Date("2026-03-01T10:00:00Z");
const LAGGY = "github.com/Home/Laggy";
const STEADY = "github.com/home/steady";
const FLAKY = "github.com/home/flaky";
const minutes = (n: number) => n * 60_000;
const gomod = (path: string) => `module ${path}\n\ngo 1.21\n`;
const versions = (path: string) => [
  { version: "v1.0.0", time: "2026-02-01T00:00:00Z", gomod: gomod(path) },
  { version: "v1.1.0", time: "2026-02-10T00:00:00Z", gomod: gomod(path) },
];

function scenario(): Scenario {
  return {
    start: T0,
    reference: "ref",
    modules: [LAGGY, STEADY, FLAKY].map((path) => ({ path, versions: versions(path) })),
    mirrors: [
      { name: "fast", style: "goproxy", faults: [{ module: FLAKY, kinds: ["list", "latest"], effect: { type: "status", status: 502 } }] },
      { name: "slow", style: "goproxy", lagSeconds: 15 * 60 },
      { name: "ref", style: "proxy.golang.org" },
    ],
  };
}

let sim: MirrorSim | undefined;
afterEach(async () => {
  await sim?.close();
  sim = undefined;
});

async function setup() {
  const clock = createSimClock(T0);
  sim = await startMirrorSim(scenario(), { clock });
  const { service, db, store } = createTestService({ mirrorsEnv: sim.mirrorsEnv, reference: "ref", clock: clock.now });
  return { sim, clock, service, db, store };
}

describe("the home summary over real checks", () => {
  it("lists recent modules with their state and measures each mirror's health", async () => {
    const { sim, clock, service, db } = await setup();
    for (const m of [LAGGY, STEADY, FLAKY]) await service.runCheck(m, { trigger: "user" });
    await service.runCheck("example.com/nobody/has-this", { trigger: "user" });

    clock.advance(minutes(5));
    sim.addVersion(LAGGY, { version: "v1.2.0", gomod: gomod(LAGGY) });
    clock.advance(minutes(1));
    await service.runCheck(LAGGY, { trigger: "poll" }); // 10:06: ref and fast list v1.2.0, slow does not

    let home = await service.home();
    expect(home.recent.map((r) => [r.module, r.state])).toEqual([
      [LAGGY, "behind"],
      ["example.com/nobody/has-this", "not_found"],
      [FLAKY, "error"],
      [STEADY, "in_sync"],
    ]);
    expect(home.recent[0]?.checkedAt).toBe("2026-03-01T10:06:00.000Z");
    const slowNow = home.mirrors.find((m) => m.name === "slow");
    // The unknown module is left out; slow is behind on LAGGY only.
    expect(slowNow?.inSync).toEqual({ count: 2, of: 3 });
    expect(slowNow?.focus).toEqual({ kind: "behind", module: LAGGY, missingCount: 1, latest: "v1.1.0", referenceLatest: "v1.2.0" });
    expect(home.mirrors.find((m) => m.name === "fast")?.focus).toMatchObject({ kind: "error", module: FLAKY });

    clock.advance(minutes(10));
    await service.runCheck(LAGGY, { trigger: "poll" }); // 10:16: slow still missing it
    clock.advance(minutes(10));
    await service.runCheck(LAGGY, { trigger: "poll" }); // 10:26: slow has it
    await service.checker.idle();

    home = await service.home();
    expect(home.mirrors.map((m) => m.name)).toEqual(["fast", "slow", "ref"]);
    const [fast, slow, ref] = home.mirrors;
    expect(slow).toMatchObject({ position: 1, isReference: false, inSync: { count: 3, of: 3 }, lag: { samples: 1, medianSeconds: 1200, p90Seconds: 1200 } });
    expect(slow?.focus).toEqual({ kind: "slowest", module: LAGGY, version: "v1.2.0", lagSeconds: 1200 });
    expect(fast).toMatchObject({ inSync: { count: 2, of: 3 }, lag: { samples: 1, medianSeconds: 0, p90Seconds: 0 } });
    expect(ref).toMatchObject({ isReference: true, lag: null, inSync: { count: 3, of: 3 } });

    // The home page's light load gives each module the same state as its full timeline (its page).
    for (const item of home.recent) {
      const full = await service.timeline(item.module);
      if (!full.ok) throw new Error(full.message);
      expect(item.state).toBe(moduleState(full.timeline.summaries));
    }

    // The SQL lag samples agree with the module's own timeline (the chart's points).
    const timeline = await service.timeline(LAGGY);
    if (!timeline.ok) throw new Error(timeline.message);
    expect(timeline.timeline.lagPoints.map((p) => [p.mirror, p.lagSeconds]).sort()).toEqual([
      ["fast", 0],
      ["slow", 1200],
    ]);

    // 7 checks: fast failed FLAKY once; the unknown module's 404s are answers, not errors.
    expect(fast?.answers).toEqual({ total: 7, errors: 1 });
    expect(slow?.answers).toEqual({ total: 7, errors: 0 });

    // Compacted outcome rows count when their period starts inside the window, and only then.
    const fastId = (db.$client.prepare("select id from mirrors where name = 'fast'").get() as { id: number }).id;
    const insert = db.$client.prepare(
      "insert into outcome_aggregates (module_id, mirror_id, period, period_start, outcome, count, latency_sum_ms, latency_max_ms) values (1, ?, 'day', ?, ?, ?, 0, 0)",
    );
    insert.run(fastId, T0.getTime() - 2 * 86_400_000, "error", 3);
    insert.run(fastId, T0.getTime() - 2 * 86_400_000, "ok", 10);
    insert.run(fastId, T0.getTime() - 30 * 86_400_000, "error", 100);
    expect((await service.home()).mirrors[0]?.answers).toEqual({ total: 20, errors: 4 });
  });

  it("judges only watched modules, and forgets lags older than 7 days", async () => {
    const { sim, clock, service } = await setup();
    await service.runCheck(LAGGY, { trigger: "user" });
    await service.runCheck(STEADY, { trigger: "user" });
    sim.addVersion(LAGGY, { version: "v1.2.0", gomod: gomod(LAGGY) });
    clock.advance(minutes(1));
    await service.runCheck(LAGGY, { trigger: "poll" });
    expect((await service.home()).mirrors[1]?.inSync).toEqual({ count: 1, of: 2 });

    await service.setWatched(LAGGY, false);
    let home = await service.home();
    expect(home.watchedCount).toBe(1);
    expect(home.mirrors[1]?.inSync).toEqual({ count: 1, of: 1 });
    // Unwatched modules still show among the recently checked.
    expect(home.recent.map((r) => r.module)).toEqual([LAGGY, STEADY]);

    clock.advance(minutes(30));
    await service.runCheck(LAGGY, { trigger: "user" });
    expect((await service.home()).mirrors[1]?.lag).toMatchObject({ samples: 1 });
    clock.advance(8 * 24 * 60 * minutes(1));
    home = await service.home();
    expect(home.mirrors[1]?.lag).toEqual({ samples: 0, medianSeconds: null, p90Seconds: null });
    expect(home.mirrors[1]?.answers).toEqual({ total: 0, errors: 0 });
  });

  it("is empty before the first check, and limits the recent list", async () => {
    const { service, store } = await setup();
    const empty = await service.home();
    expect(empty).toMatchObject({ recent: [], watchedCount: 0 });
    expect(empty.mirrors.map((m) => [m.name, m.inSync, m.answers, m.focus])).toEqual([
      ["fast", { count: 0, of: 0 }, { total: 0, errors: 0 }, null],
      ["slow", { count: 0, of: 0 }, { total: 0, errors: 0 }, null],
      ["ref", { count: 0, of: 0 }, { total: 0, errors: 0 }, null],
    ]);
    await service.runCheck(STEADY, { trigger: "user" });
    await service.runCheck(LAGGY, { trigger: "user" });
    await service.runCheck(STEADY, { trigger: "user" });
    // Distinct modules, ordered by their newest check.
    expect((await store.recentModules({ limit: 1 })).map((r) => r.module)).toEqual([STEADY]);
    expect((await store.recentModules()).map((r) => r.module)).toEqual([STEADY, LAGGY]);
  });
});
