import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { createSimClock, startMirrorSim } from "@/e2e/mirror-sim";
import type { MirrorSim, Scenario } from "@/e2e/mirror-sim";
import { createTestService } from "@/e2e/support/test-service";
import { createMirrorRateCap, createStoredPoller, wallSleep } from "@/lib/polling";

// Defects found by reading the code (issue 6/11), each pinned by a test that failed before its fix.

const T0 = new Date("2026-03-01T10:00:00Z");
const MOD = "github.com/Example/Defects";
const gomod = (extra = "") => `module ${MOD}\n\ngo 1.21\n${extra}`;
const minutes = (n: number) => n * 60_000;

let sim: MirrorSim | undefined;
afterEach(async () => {
  await sim?.close();
  sim = undefined;
});

async function setup(s: Scenario, env: Record<string, string> = {}) {
  const clock = createSimClock(T0);
  sim = await startMirrorSim(s, { clock });
  return { sim, clock, ...createTestService({ mirrorsEnv: sim.mirrorsEnv, reference: "ref", clock: clock.now, env }) };
}

describe("a check whose @v/list failed records no go.mod state", () => {
  // v1.2.0 retracts itself: the list's authoritative go.mod (v1.2.0) carries the retraction, while @latest
  // (highest non-retracted) names v1.1.0, whose go.mod has none. The go command fails when the list fails.
  const scenario = (): Scenario => ({
    start: T0,
    reference: "ref",
    modules: [
      {
        path: MOD,
        versions: [
          { version: "v1.0.0", time: "2026-02-01T00:00:00Z", gomod: gomod() },
          { version: "v1.1.0", time: "2026-02-10T00:00:00Z", gomod: gomod() },
          { version: "v1.2.0", time: "2026-02-20T00:00:00Z", gomod: gomod("retract v1.2.0 // published by mistake\n") },
        ],
      },
    ],
    mirrors: [
      { name: "flaky", style: "goproxy", faults: [{ kinds: ["list"], from: new Date(T0.getTime() + minutes(5)), until: new Date(T0.getTime() + minutes(15)), effect: { type: "status", status: 503 } }] },
      { name: "ref", style: "proxy.golang.org" },
    ],
  });

  it("keeps the retract set, the retraction's first-seen and its single 'reached' event", async () => {
    const { clock, service, db } = await setup(scenario());
    await service.runCheck(MOD, { trigger: "poll" });
    const states = (db.$client.prepare("select count(*) as n from gomod_states").get() as { n: number }).n;
    clock.advance(minutes(10));
    const failed = await service.runCheck(MOD, { trigger: "poll" });
    expect(failed.check.mirrors.flaky?.outcome).toBe("error");
    clock.advance(minutes(10));
    await service.runCheck(MOD, { trigger: "poll" });

    expect((db.$client.prepare("select count(*) as n from gomod_states").get() as { n: number }).n).toBe(states);
    const result = await service.timeline(MOD);
    if (!result.ok) throw new Error(result.message);
    const retraction = result.timeline.retractions.find((r) => r.low === "v1.2.0");
    expect(retraction?.mirrors.flaky?.firstSeen).toBe(T0.toISOString());
    expect(result.timeline.events.filter((e) => e.kind === "retraction_reached" && e.mirror === "flaky")).toEqual([]);
    const summary = result.timeline.summaries.find((s) => s.name === "flaky");
    expect(summary?.latest).toBe("v1.1.0");
  });
});

describe("single-flight and the recent-check reuse keep a check's mode", () => {
  const scenario = (): Scenario => ({
    start: T0,
    reference: "ref",
    modules: [{ path: MOD, versions: [{ version: "v1.0.0", time: "2026-02-01T00:00:00Z", gomod: gomod() }] }],
    // Slow enough that a second caller arrives while the first check is still asking.
    mirrors: [{ name: "ref", style: "proxy.golang.org", latencyMs: 150 }],
  });
  const listRequests = () => sim?.log("ref").filter((e) => e.kind === "list") ?? [];

  it("a user's check arriving during a passive poll check asks the mirrors itself, actively (and the reverse)", async () => {
    const { service } = await setup(scenario());
    const [poll, user] = await Promise.all([service.runCheck(MOD, { trigger: "poll", passive: true }), service.runCheck(MOD, { trigger: "user" })]);
    expect(user.shared).toBeNull();
    expect(user.check.id).not.toBe(poll.check.id);
    expect(listRequests().map((e) => e.disableModuleFetch).sort()).toEqual([false, true]);

    const [user2, poll2] = await Promise.all([service.runCheck(MOD, { trigger: "user" }), service.runCheck(MOD, { trigger: "poll", passive: true })]);
    expect(poll2.shared).toBeNull();
    expect(poll2.check.id).not.toBe(user2.check.id);
    // Callers of one mode still share one check.
    const [a, b] = await Promise.all([service.runCheck(MOD, { trigger: "user" }), service.runCheck(MOD, { trigger: "api" })]);
    expect([a.shared, b.shared]).toEqual([null, "running"]);
    expect(b.check.id).toBe(a.check.id);
  });

  it("a recent passive check is not reused for an active caller, nor an active one for the poller", async () => {
    const { clock, service } = await setup(scenario(), { MIN_RECHECK_SECONDS: "30" });
    const poll = await service.runCheck(MOD, { trigger: "poll", passive: true });
    clock.advance(5_000);
    const user = await service.runCheck(MOD, { trigger: "user" });
    expect(user.shared).toBeNull();
    expect(user.check.id).not.toBe(poll.check.id);
    clock.advance(5_000);
    expect(await service.runCheck(MOD, { trigger: "api" })).toMatchObject({ shared: "recent", check: { id: user.check.id } });
    const poll2 = await service.runCheck(MOD, { trigger: "poll", passive: true });
    expect(poll2.shared).toBeNull();
    expect(listRequests().map((e) => e.disableModuleFetch)).toEqual([true, false, true]);
  });
});

describe("the per-mirror rate cap's wait is not part of a request's timeout or latency", () => {
  it("a backlog behind the cap delays requests instead of recording timeouts on requests never sent", async () => {
    const s: Scenario = {
      start: T0,
      reference: "ref",
      modules: [{ path: MOD, versions: [{ version: "v1.0.0", time: "2026-02-01T00:00:00Z", gomod: gomod() }] }],
      mirrors: [{ name: "ref", style: "proxy.golang.org" }],
    };
    // One request a second, a 400 ms timeout: the check's list, @latest and go.mod wait up to 2 s for slots.
    const { clock, store, config } = await setup(s, { REQUEST_TIMEOUT_MS: "400" });
    const rateCap = createMirrorRateCap({ requestsPerSecond: 1, now: Date.now, sleep: wallSleep });
    const { checker } = createStoredPoller({ store, config, clock: clock.now, rateCap, intervalSeconds: 600 });
    const started = performance.now();
    const { check } = await checker.check(MOD, { trigger: "poll", passive: true });
    expect(performance.now() - started).toBeGreaterThan(1900);
    expect(check.mirrors.ref).toMatchObject({ outcome: "ok", message: null });
    // Latency is what the mirror took, from each request's sending: not the second spent waiting for a slot.
    expect(check.mirrors.ref?.latencyMs).toBeLessThan(400);
  });
});

describe("a mirror added to MIRRORS later", () => {
  it("was not asked by the checks before it: its cells there say not_asked, not error", async () => {
    const s: Scenario = {
      start: T0,
      reference: "ref",
      modules: [{ path: MOD, versions: [{ version: "v1.0.0", time: "2026-02-01T00:00:00Z", gomod: gomod() }] }],
      mirrors: [{ name: "ref", style: "proxy.golang.org" }, { name: "added", style: "goproxy" }],
    };
    const { clock, db } = await setup(s);
    const refOnly = sim!.mirrors.filter((m) => m.name === "ref").map((m) => `${m.name}=${m.baseUrl}`).join(",");
    const before = createTestService({ mirrorsEnv: refOnly, reference: "ref", clock: clock.now, db });
    const old = await before.service.runCheck(MOD, { trigger: "poll" });
    clock.advance(minutes(10));
    const after = createTestService({ mirrorsEnv: sim!.mirrorsEnv, reference: "ref", clock: clock.now, db });
    await after.service.runCheck(MOD, { trigger: "poll" });

    const then = await after.service.timeline(MOD, old.check.id);
    if (!then.ok) throw new Error(then.message);
    expect(then.timeline.versions[0]?.mirrors.added?.state).toBe("not_asked");
    expect(then.timeline.summaries.find((m) => m.name === "added")?.outcome).toBe("not_asked");
    const now = await after.service.timeline(MOD);
    if (!now.ok) throw new Error(now.message);
    expect(now.timeline.versions[0]?.mirrors.added?.state).toBe("present");
  });
});

describe("a mirror that redirects its answers", () => {
  it("is checked through the redirect, and the evidence says where the list came from", async () => {
    const clock = createSimClock(T0);
    sim = await startMirrorSim(
      { start: T0, reference: "ref", modules: [{ path: MOD, versions: [{ version: "v1.0.0", time: "2026-02-01T00:00:00Z", gomod: gomod() }] }], mirrors: [{ name: "ref", style: "proxy.golang.org" }] },
      { clock },
    );
    const ref = sim.mirrors[0];
    if (!ref) throw new Error("no mirror");
    // A mirror on loopback whose every answer is a 302 to the simulated one (loopback to loopback is followed).
    const front = createServer((req, res) => {
      res.writeHead(302, { location: `${ref.baseUrl}${req.url ?? "/"}` });
      res.end();
    });
    await new Promise<void>((resolve) => front.listen(0, "127.0.0.1", resolve));
    try {
      const { port } = front.address() as AddressInfo;
      const { service } = createTestService({ mirrorsEnv: `ref=${ref.baseUrl},moved=http://127.0.0.1:${port}`, reference: "ref", clock: clock.now });
      const { check } = await service.runCheck(MOD, { trigger: "user" });
      expect(check.mirrors.moved?.outcome).toBe("ok");
      const result = await service.timeline(MOD);
      if (!result.ok) throw new Error(result.message);
      const summary = (name: string) => result.timeline.summaries.find((s) => s.name === name);
      expect(summary("moved")).toMatchObject({ outcome: "ok", listedCount: 1, finalUrl: `${ref.baseUrl}/github.com/%21example/%21defects/@v/list` });
      expect(summary("ref")?.finalUrl).toBeNull();
      await service.checker.stop();
    } finally {
      await new Promise<void>((resolve) => front.close(() => resolve()));
    }
  });
});
