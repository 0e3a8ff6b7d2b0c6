import { afterEach, describe, expect, it } from "vitest";
import { createSimClock, startMirrorSim } from "@/e2e/mirror-sim";
import type { MirrorSim, Scenario } from "@/e2e/mirror-sim";
import { createTestService } from "@/e2e/support/test-service";

const T0 = new Date("2026-03-01T10:00:00Z");
const MOD = "example.com/paged/lib";
const version = (i: number) => `v1.${Math.floor(i / 100)}.${i % 100}`;

function scenario(count: number): Scenario {
  return {
    start: T0,
    reference: "ref",
    modules: [{ path: MOD, versions: Array.from({ length: count }, (_, i) => ({ version: version(i), time: new Date(T0.getTime() - (count - i) * 3_600_000), gomod: `module ${MOD}\n` })) }],
    mirrors: [
      { name: "a", style: "goproxy" },
      { name: "ref", style: "proxy.golang.org" },
    ],
  };
}

let sim: MirrorSim | undefined;
afterEach(async () => {
  await sim?.close();
  sim = undefined;
});

async function ok(result: Promise<Awaited<ReturnType<ReturnType<typeof createTestService>["service"]["timeline"]>>>) {
  const r = await result;
  if (!r.ok) throw new Error(r.message);
  return r.timeline;
}

describe("a large module's timeline in pages", () => {
  it("pages 60 versions at a time, all pages of one check add up to the module, and a page of a permalink never changes", async () => {
    const clock = createSimClock(T0);
    sim = await startMirrorSim(scenario(140), { clock });
    const { service } = createTestService({ mirrorsEnv: sim.mirrorsEnv, reference: "ref", clock: clock.now });
    const { check } = await service.runCheck(MOD, { trigger: "api" });
    await service.checker.idle();

    const first = await ok(service.timeline(MOD, check.id));
    expect(first.versions).toHaveLength(60);
    expect(first.versions[0]?.version).toBe(version(139));
    expect(first.page).toMatchObject({ number: 1, of: 3, versions: { from: 0, count: 60, total: 140 } });
    const third = await ok(service.timeline(MOD, check.id, { page: 3 }));
    expect(third.versions.map((v) => v.version)).toEqual(Array.from({ length: 20 }, (_, i) => version(19 - i)));
    // The envelope (summaries, latest, checks) is the same on every page.
    expect({ ...third, versions: [], events: [], lagPoints: [], page: null }).toEqual({ ...first, versions: [], events: [], lagPoints: [], page: null });

    const missing = await service.timeline(MOD, check.id, { page: 4 });
    expect(missing).toMatchObject({ ok: false, code: "unknown_page" });
    if (!missing.ok) expect(missing.message).toBe(`page 4 does not exist: the timeline of ${MOD} as of check ${check.id} has 3 pages`);

    const one = await ok(service.timeline(MOD, check.id, { version: version(7) }));
    expect(one.versions.map((v) => v.version)).toEqual([version(7)]);
    expect(one.page).toMatchObject({ number: 1, of: 1 });

    const before = JSON.stringify(await ok(service.timeline(MOD, check.id, { page: 2 })));
    clock.advance(600_000);
    sim.addVersion(MOD, { version: "v2.0.0", gomod: `module ${MOD}\n` });
    clock.advance(600_000);
    await service.runCheck(MOD, { trigger: "api" });
    await service.checker.idle();
    expect(JSON.stringify(await ok(service.timeline(MOD, check.id, { page: 2 })))).toBe(before);
    expect((await ok(service.timeline(MOD))).page.versions.total).toBe(141);
  });
});

describe("permalinks derived from a module's newest facts", () => {
  it("equal the timeline derived from facts loaded as of each check, for every check of a history", async () => {
    const clock = createSimClock(T0);
    const s = scenario(8);
    // "a" lags 25 minutes, hides retracted versions and once fails its list: pickups, a removal, an error.
    s.mirrors = [
      { name: "a", style: "goproxy", lagSeconds: 25 * 60, hideRetracted: true, faults: [{ kinds: ["list"], from: new Date(T0.getTime() + 45 * 60_000), until: new Date(T0.getTime() + 55 * 60_000), effect: { type: "status", status: 502 } }] },
      { name: "ref", style: "proxy.golang.org" },
    ];
    sim = await startMirrorSim(s, { clock });
    const { service, store, config } = createTestService({ mirrorsEnv: sim.mirrorsEnv, reference: "ref", clock: clock.now });
    for (let i = 0; i < 12; i++) {
      if (i === 2) sim.addVersion(MOD, { version: "v2.0.0", gomod: `module ${MOD}\n` });
      if (i === 5) sim.addVersion(MOD, { version: "v2.1.0", gomod: `module ${MOD}\n\nretract v2.0.0 // broken\n` });
      await service.runCheck(MOD, { trigger: "poll", passive: true });
      await service.checker.idle();
      clock.advance(10 * 60_000);
    }
    const row = (await store.findModule(MOD))!;
    const checks = await store.listChecks(row.id, { limit: 100 });
    expect(checks).toHaveLength(12);
    const names = config.mirrors.map((m) => m.name);
    const { deriveTimeline, toTimelineDto } = await import("@/lib/timeline");
    for (const asOf of checks) {
      const fresh = toTimelineDto(deriveTimeline(await store.timelineFacts(row, asOf, names, "ref")), {
        checks: await store.listChecks(row.id, { upTo: asOf.id, limit: 100 }),
        checksUpToAsOf: await store.countChecks(row.id, asOf.id),
      });
      expect(JSON.stringify(await ok(service.timeline(MOD, asOf.id))), `check ${asOf.id}`).toBe(JSON.stringify(fresh));
    }
    const live = await ok(service.timeline(MOD));
    expect(live.events.some((e) => e.kind === "version_removed")).toBe(true);
    expect(live.events.some((e) => e.kind === "version_appeared" && e.mirror === "a")).toBe(true);
  });
});
