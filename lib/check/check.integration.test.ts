import { afterEach, describe, expect, it } from "vitest";
import { sql } from "drizzle-orm";
import { createSimClock, startMirrorSim } from "@/e2e/mirror-sim";
import type { MirrorSim, Scenario } from "@/e2e/mirror-sim";
import { createTestService } from "@/e2e/support/test-service";

const T0 = new Date("2026-03-01T10:00:00Z");
const MOD = "github.com/Example/Lib";

const gomod = (extra = "") => `module ${MOD}\n\ngo 1.21\n${extra}`;

function scenario(): Scenario {
  return {
    start: T0,
    reference: "ref",
    modules: [
      {
        path: MOD,
        versions: [
          { version: "v1.0.0", time: "2026-02-01T00:00:00Z", gomod: gomod() },
          { version: "v1.1.0", time: "2026-02-10T00:00:00Z", gomod: gomod() },
        ],
      },
    ],
    mirrors: [
      { name: "fast", style: "goproxy" },
      { name: "slow", style: "goproxy", lagSeconds: 15 * 60 },
      { name: "ref", style: "proxy.golang.org" },
    ],
  };
}

const minutes = (n: number) => n * 60_000;
let sim: MirrorSim | undefined;
afterEach(async () => {
  await sim?.close();
  sim = undefined;
});

async function setup(s: Scenario = scenario(), env: Record<string, string> = {}) {
  const clock = createSimClock(T0);
  sim = await startMirrorSim(s, { clock });
  const { service, db } = createTestService({ mirrorsEnv: sim.mirrorsEnv, reference: "ref", clock: clock.now, env });
  return { sim, clock, service, db };
}

const rowCount = (db: ReturnType<typeof createTestService>["db"], table: string) =>
  db.$client.prepare(`select count(*) as n from ${table}`).get() as { n: number };

describe("a check against simulated mirrors", () => {
  it("measures a lagging mirror's pickup: firstSeen, lastMissing and lag against the reference", async () => {
    const { sim, clock, service } = await setup();
    await service.runCheck(MOD, { trigger: "api" });
    clock.advance(minutes(5));
    sim.addVersion(MOD, { version: "v1.2.0", gomod: gomod() }); // published at 10:05
    const publishedAt = clock.now();
    clock.advance(minutes(1));
    const second = await service.runCheck(MOD, { trigger: "poll" }); // 10:06: ref + fast have it, slow not
    clock.advance(minutes(10));
    const third = await service.runCheck(MOD, { trigger: "poll" }); // 10:16: slow still missing (needs 10:20)
    clock.advance(minutes(10));
    const fourth = await service.runCheck(MOD, { trigger: "poll" }); // 10:26: slow has it
    await service.checker.idle();

    const result = await service.timeline(MOD);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const t = result.timeline;
    expect(t.mirrors).toEqual(["fast", "slow", "ref"]);
    expect(t.asOf.checkId).toBe(fourth.check.id);
    expect(t.versions.map((v) => v.version)).toEqual(["v1.2.0", "v1.1.0", "v1.0.0"]);
    const row = t.versions[0]!;
    expect(row.time).toBe(publishedAt.toISOString());
    expect(row.mirrors.ref).toMatchObject({ state: "present", firstSeen: second.check.at.toISOString(), lastMissing: T0.toISOString(), lagSeconds: null });
    expect(row.mirrors.fast).toMatchObject({ state: "present", firstSeen: second.check.at.toISOString(), lagSeconds: 0 });
    expect(row.mirrors.slow).toMatchObject({
      state: "present",
      firstSeen: fourth.check.at.toISOString(),
      lastMissing: third.check.at.toISOString(),
      lagSeconds: 20 * 60,
    });
    // Versions there before our first look have no measured lag.
    expect(t.versions[1]!.mirrors.slow).toMatchObject({ state: "present", lastMissing: null, lagSeconds: null });
    expect(t.latest).toEqual({ fast: "v1.2.0", slow: "v1.2.0", ref: "v1.2.0" });
    expect(t.events.find((e) => e.kind === "version_appeared" && e.mirror === "slow")).toMatchObject({ version: "v1.2.0", lagSeconds: 1200 });

    // As of the third check the slow mirror was missing it, and that answer never changes.
    const asOfThird = await service.timeline(MOD, third.check.id);
    if (!asOfThird.ok) throw new Error(asOfThird.message);
    expect(asOfThird.timeline.versions[0]!.mirrors.slow).toMatchObject({ state: "missing", firstSeen: null, lagSeconds: null });
    expect(asOfThird.timeline.latest.slow).toBe("v1.1.0");
    expect(asOfThird.timeline.summaries.find((s) => s.name === "slow")?.missingCount).toBe(1);
  });

  it("an unchanged re-check costs exactly 2 requests per mirror and adds no per-version rows", async () => {
    const { sim, clock, service, db } = await setup();
    await service.runCheck(MOD, { trigger: "api" });
    await service.checker.idle();
    const before = { listings: rowCount(db, "listings").n, states: rowCount(db, "gomod_states").n, versions: rowCount(db, "versions").n };
    sim.clearLog();
    clock.advance(minutes(10));
    await service.runCheck(MOD, { trigger: "poll" });
    await service.checker.idle();
    for (const mirror of ["fast", "slow", "ref"]) {
      expect(sim.log(mirror).map((e) => e.kind).sort()).toEqual(["latest", "list"]);
    }
    expect({ listings: rowCount(db, "listings").n, states: rowCount(db, "gomod_states").n, versions: rowCount(db, "versions").n }).toEqual(before);
    expect(rowCount(db, "check_outcomes").n).toBe(6);
  });

  it("first check fetches the authoritative go.mod once per mirror and .info times from the reference", async () => {
    const { sim, service } = await setup();
    const { check } = await service.runCheck(MOD, { trigger: "api" });
    // Read before the .info look-ups land: the derived timeline must not be served stale from the cache after.
    const early = await service.timeline(MOD, check.id);
    await service.checker.idle();
    const late = await service.timeline(MOD, check.id);
    if (!early.ok || !late.ok) throw new Error("timeline missing");
    expect(early.timeline.versions.map((v) => v.time)).toEqual([null, null]);
    expect(late.timeline.versions.map((v) => v.time)).toEqual(["2026-02-10T00:00:00.000Z", "2026-02-01T00:00:00.000Z"]);
    const mods = sim.log().filter((e) => e.kind === "mod");
    expect(mods.map((e) => `${e.mirror} ${e.version}`).sort()).toEqual(["fast v1.1.0", "ref v1.1.0", "slow v1.1.0"]);
    const infos = sim.log().filter((e) => e.kind === "info");
    expect(infos.every((e) => e.mirror === "ref")).toBe(true);
    expect(infos.map((e) => e.version).sort()).toEqual(["v1.0.0", "v1.1.0"]);
  });

  it("records when a retraction reaches each mirror", async () => {
    const { sim, clock, service } = await setup();
    await service.runCheck(MOD, { trigger: "api" });
    clock.advance(minutes(1));
    sim.addVersion(MOD, { version: "v1.1.1", gomod: gomod("\n// Broken build.\nretract v1.1.0\n") });
    clock.advance(minutes(1));
    const c2 = await service.runCheck(MOD, { trigger: "poll" });
    clock.advance(minutes(20));
    const c3 = await service.runCheck(MOD, { trigger: "poll" });
    const result = await service.timeline(MOD);
    if (!result.ok) throw new Error(result.message);
    const t = result.timeline;
    expect(t.retractions).toEqual([
      {
        low: "v1.1.0",
        high: "v1.1.0",
        rationale: "Broken build.",
        mirrors: { fast: { firstSeen: c2.check.at.toISOString() }, slow: { firstSeen: c3.check.at.toISOString() }, ref: { firstSeen: c2.check.at.toISOString() } },
      },
    ]);
    expect(t.versions.find((v) => v.version === "v1.1.0")?.mirrors.fast).toMatchObject({ retracted: true, rationale: "Broken build." });
    expect(t.latest).toEqual({ fast: "v1.1.1", slow: "v1.1.1", ref: "v1.1.1" });
    expect(t.events.filter((e) => e.kind === "retraction_reached").map((e) => e.mirror).sort()).toEqual(["fast", "ref", "slow"]);
    const before = await service.timeline(MOD, c2.check.id);
    if (!before.ok) throw new Error(before.message);
    expect(before.timeline.retractions[0]?.mirrors.slow).toEqual({ firstSeen: null });
    expect(before.timeline.latest.slow).toBe("v1.1.0");
  });

  it("a 404/410 period is not_found with the server's message, and a hang is an error that delays nothing beyond the timeout", async () => {
    const s = scenario();
    s.mirrors[0] = { name: "fast", style: "goproxy", faults: [{ kinds: ["list", "latest"], until: new Date(T0.getTime() + minutes(30)), effect: { type: "status", status: 410 } }] };
    s.mirrors[1] = { name: "slow", style: "goproxy", faults: [{ effect: { type: "hang" } }] };
    const { clock, service } = await setup(s, { REQUEST_TIMEOUT_MS: "300" });
    const started = performance.now();
    const { check } = await service.runCheck(MOD, { trigger: "api" });
    const elapsed = performance.now() - started;
    expect(elapsed).toBeLessThan(2000);
    expect(check.mirrors.fast).toMatchObject({ outcome: "not_found", status: 410 });
    expect(check.mirrors.fast?.message).toMatch(/not found/);
    expect(check.mirrors.slow).toMatchObject({ outcome: "error", status: null });
    expect(check.mirrors.slow?.message).toMatch(/timed out after 300 ms/);
    expect(check.mirrors.ref).toMatchObject({ outcome: "ok", status: 200 });
    const t = await service.timeline(MOD);
    if (!t.ok) throw new Error(t.message);
    expect(t.timeline.versions[0]?.mirrors).toMatchObject({ fast: { state: "not_found" }, slow: { state: "error" }, ref: { state: "present" } });

    clock.advance(minutes(31));
    const later = await service.runCheck(MOD, { trigger: "poll" });
    expect(later.check.mirrors.fast).toMatchObject({ outcome: "ok" });
    const after = await service.timeline(MOD);
    if (!after.ok) throw new Error(after.message);
    // The 404 answer counts as "answered without the version", so its time bounds the pickup window.
    expect(after.timeline.versions[0]?.mirrors.fast).toMatchObject({ state: "present", lastMissing: T0.toISOString() });
  });

  it("shares one running check between concurrent callers and reuses a recent one", async () => {
    const { sim, clock, service } = await setup(scenario(), { MIN_RECHECK_SECONDS: "30" });
    const results = await Promise.all([service.runCheck(MOD, { trigger: "api" }), service.runCheck(MOD, { trigger: "api" }), service.runCheck(MOD, { trigger: "api" })]);
    expect(new Set(results.map((r) => r.check.id)).size).toBe(1);
    expect(results.map((r) => r.shared)).toEqual([null, "running", "running"]);
    expect(sim.log("ref").filter((e) => e.kind === "list")).toHaveLength(1);
    clock.advance(10_000);
    const recent = await service.runCheck(MOD, { trigger: "api" });
    expect(recent).toMatchObject({ shared: "recent", check: { id: results[0]!.check.id } });
    clock.advance(30_000);
    expect((await service.runCheck(MOD, { trigger: "api" })).shared).toBeNull();
  });

  it("?at= answers stay identical after more checks", async () => {
    const { sim, clock, service } = await setup();
    const first = await service.runCheck(MOD, { trigger: "api" });
    await service.checker.idle();
    const snapshot = await service.timeline(MOD, first.check.id);
    if (!snapshot.ok) throw new Error(snapshot.message);
    for (let i = 0; i < 3; i++) {
      clock.advance(minutes(7));
      sim.addVersion(MOD, { version: `v1.3.${i}`, gomod: gomod(i === 2 ? "retract v1.0.0\n" : "") });
      await service.runCheck(MOD, { trigger: "poll" });
    }
    await service.checker.idle();
    const again = await service.timeline(MOD, first.check.id);
    const live = await service.timeline(MOD);
    if (!again.ok || !live.ok) throw new Error("timeline missing");
    expect(JSON.stringify(again.timeline)).toBe(JSON.stringify(snapshot.timeline));
    expect(live.timeline.versions).toHaveLength(snapshot.timeline.versions.length + 3);
    expect(again.newest.checkId).toBe(live.timeline.asOf.checkId);
  });

  it("an invalid path is refused before anything is stored", async () => {
    const { service, db } = await setup();
    await expect(service.runCheck("Github.com/x/y", { trigger: "api" })).rejects.toThrow(/malformed module path/);
    expect(rowCount(db, "modules").n).toBe(0);
    expect(db.get<{ n: number }>(sql`select count(*) as n from checks`)?.n).toBe(0);
  });
});
