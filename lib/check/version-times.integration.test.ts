import { afterEach, describe, expect, it } from "vitest";
import { createSimClock, startMirrorSim, wallClock } from "@/e2e/mirror-sim";
import type { MirrorSim, Scenario } from "@/e2e/mirror-sim";
import { createTestService } from "@/e2e/support/test-service";
import { createMirrorRateCap, wallSleep } from "@/lib/polling";
import { createService } from "@/lib/server";

// Commit-time (.info) look-ups: bounded by the mirror's rate cap whatever triggered the check, retried with
// backoff, and resumed by the next process when one stops before they are stored (issue 6/11).

const T0 = new Date("2026-03-01T10:00:00Z");
const MOD = "example.com/times/lib";
const OTHER = "example.com/times/other";
const version = (i: number) => `v1.0.${i}`;

function scenario(count: number, faults: NonNullable<Scenario["mirrors"][number]["faults"]> = []): Scenario {
  const simModule = (path: string) => ({
    path,
    versions: Array.from({ length: count }, (_, i) => ({ version: version(i), time: new Date(T0.getTime() - (count - i) * 86_400_000), gomod: `module ${path}\n` })),
  });
  return { start: T0, reference: "ref", modules: [simModule(MOD), simModule(OTHER)], mirrors: [{ name: "ref", style: "proxy.golang.org", faults }] };
}

let sim: MirrorSim | undefined;
afterEach(async () => {
  await sim?.close();
  sim = undefined;
});

const times = (db: ReturnType<typeof createTestService>["db"], module: string) =>
  db.$client.prepare("select v.version, v.time from versions v join modules m on m.id = v.module_id where m.path = ? order by v.version").all(module) as { version: string; time: number | null }[];

describe("commit-time look-ups", () => {
  it("a failed .info is retried after its backoff, not lost", async () => {
    const clock = createSimClock(T0);
    // The mirror's .info fails for the first 90 s of the sim clock.
    sim = await startMirrorSim(scenario(3, [{ kinds: ["info"], until: new Date(T0.getTime() + 90_000), effect: { type: "status", status: 503 } }]), { clock });
    const { service, db } = createTestService({ mirrorsEnv: sim.mirrorsEnv, reference: "ref", clock: clock.now });
    await service.runCheck(MOD, { trigger: "api" });
    await service.checker.idle();
    expect(times(db, MOD).every((v) => v.time === null)).toBe(true);

    // Before the retry time nothing is asked again; after it, the next check's look-ups take the failed ones too.
    clock.advance(30_000);
    await service.runCheck(OTHER, { trigger: "api" });
    await service.checker.idle();
    expect(times(db, MOD).every((v) => v.time === null)).toBe(true);
    clock.advance(5 * 60_000);
    await service.runCheck(OTHER, { trigger: "api" });
    await service.checker.idle();
    expect(times(db, MOD).map((v) => v.time !== null)).toEqual([true, true, true]);
  });

  it("times still missing when a process stopped are asked for by the next one", async () => {
    const clock = createSimClock(T0);
    // The first process never gets an answer: its look-ups hang until the simulator closes.
    sim = await startMirrorSim(scenario(3, [{ id: "hang", kinds: ["info"], effect: { type: "hang" } }]), { clock });
    const first = createTestService({ mirrorsEnv: sim.mirrorsEnv, reference: "ref", clock: clock.now });
    await first.service.runCheck(MOD, { trigger: "api" });
    // Its look-ups have reached the mirror and hang there: it stops now, before storing anything.
    for (let waited = 0; sim.log("ref").filter((e) => e.kind === "info").length < 3; waited += 10) {
      if (waited > 2000) throw new Error("the first process's look-ups never reached the mirror");
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    sim.clearFaults("ref", "hang");
    // The next process on the same database (the first one is gone: it never stores anything).
    const next = createTestService({ mirrorsEnv: sim.mirrorsEnv, reference: "ref", clock: clock.now, db: first.db });
    await next.service.runCheck(OTHER, { trigger: "api" });
    await next.service.checker.idle();
    expect(times(first.db, MOD).map((v) => v.time !== null)).toEqual([true, true, true]);
  });

  it("a user's first check of a large module asks for its commit times within the mirror's rate cap", async () => {
    const clock = wallClock();
    sim = await startMirrorSim(scenario(30), { clock });
    const { store, config, db } = createTestService({ mirrorsEnv: sim.mirrorsEnv, reference: "ref", clock: clock.now });
    const cap = createMirrorRateCap({ requestsPerSecond: 10, now: Date.now, sleep: wallSleep });
    // As the server wires it: user checks uncapped, commit-time look-ups through the mirror's slots.
    const service = createService({ store, config, clock: clock.now, slotFor: (mirror, purpose) => (purpose === "commit-times" ? () => cap.acquire(mirror) : undefined) });
    const started = Date.now();
    await service.runCheck(MOD, { trigger: "user" });
    expect(Date.now() - started).toBeLessThan(1000);
    await service.checker.idle();
    const info = sim.log("ref").filter((e) => e.kind === "info").map((e) => e.at.getTime()).sort((a, b) => a - b);
    expect(info).toHaveLength(30);
    let busiest = 0;
    // Arrival times at the mirror, so a few milliseconds of network jitter are allowed for.
    for (let i = 0; i < info.length; i++) busiest = Math.max(busiest, info.filter((t) => t >= info[i]! && t < info[i]! + 980).length);
    expect(busiest).toBeLessThanOrEqual(10);
    expect(times(db, MOD).every((v) => v.time !== null)).toBe(true);
  });
});
