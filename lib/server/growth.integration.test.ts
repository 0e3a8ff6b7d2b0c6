import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import { createSimClock, startMirrorSim } from "@/e2e/mirror-sim";
import type { MirrorSim, Scenario } from "@/e2e/mirror-sim";
import { createTestService } from "@/e2e/support/test-service";
import { createMirrorRateCap, createStoredPoller } from "@/lib/polling";
import { createService, INTEREST_THROTTLE_MS } from "./service";

/*
 * Bounded growth through the Service and the stored poller, against simulated mirrors on the sim clock: the cap on
 * what checks watch and the home page's figures, expiry of what nobody looks at (with `now` from the clock), the
 * throttled interest, and the operator's delete forgetting what the service cached.
 */

const T0 = new Date("2026-03-01T10:00:00Z");
const HOUR = 3600_000;
const DAY = 24 * HOUR;
const gomod = (path: string) => `module ${path}\n\ngo 1.21\n`;

function scenario(paths: string[]): Scenario {
  return {
    start: T0,
    reference: "ref",
    modules: paths.map((path) => ({ path, versions: [{ version: "v1.0.0", time: "2026-02-01T00:00:00Z", gomod: gomod(path) }] })),
    mirrors: [{ name: "ref", style: "proxy.golang.org" }],
  };
}

let sim: MirrorSim | undefined;
let dir: string | undefined;
let close: (() => Promise<void>) | undefined;
afterEach(async () => {
  await sim?.close();
  sim = undefined;
  await close?.();
  close = undefined;
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});

async function setup(paths: string[], env: Record<string, string>) {
  const clock = createSimClock(T0);
  sim = await startMirrorSim(scenario(paths), { clock });
  // A database file in a temporary folder, as the server opens it.
  dir = mkdtempSync(join(tmpdir(), "mirrorlag-growth-service-"));
  const test = createTestService({ mirrorsEnv: sim.mirrorsEnv, reference: "ref", clock: clock.now, env, databasePath: join(dir, "growth.db") });
  close = () => test.store.close();
  const rateCap = createMirrorRateCap({ requestsPerSecond: 0, now: () => clock.now().getTime(), sleep: async () => undefined });
  const { poller } = createStoredPoller({ store: test.store, config: test.config, clock: clock.now, rateCap, checker: test.service.checker, intervalSeconds: 6 * 3600, jitterRatio: 0 });
  return { clock, poller, ...test };
}

describe("MAX_WATCHED_MODULES through the service", () => {
  it("the third served module is checked but not watched, and the home page's figures say the cap is reached", async () => {
    const paths = ["example.com/cap/a", "example.com/cap/b", "example.com/cap/c"];
    const { service, clock } = await setup(paths, { MAX_WATCHED_MODULES: "2" });
    for (const path of paths) {
      await service.runCheck(path, { trigger: "api" });
      clock.advance(60_000);
    }
    const c = await service.timeline("example.com/cap/c");
    if (!c.ok) throw new Error(c.message);
    expect(c.watched).toBe(false);
    expect(c.timeline.versions.map((v) => v.version)).toEqual(["v1.0.0"]);
    const home = await service.home();
    expect(home.growth).toEqual({ watched: 2, polled: 2, maxWatched: 2, expiryDays: 30, capReached: true });
    expect(home.watchedCount).toBe(2);
    expect(home.watched.map((w) => w.module)).toEqual(["example.com/cap/b", "example.com/cap/a"]);
  });

  it("lists at most 50 watched modules on the home page, with the total", async () => {
    const paths = Array.from({ length: 55 }, (_, i) => `example.com/many/m${i}`);
    const { service } = await setup(paths, {});
    for (const path of paths) await service.runCheck(path, { trigger: "api" });
    const home = await service.home();
    expect(home.watchedCount).toBe(55);
    expect(home.watched).toHaveLength(50);
    expect(home.growth.capReached).toBe(false);
  });
});

describe("WATCH_EXPIRY_DAYS through the poller", () => {
  it("stops polling an auto-watched module nobody looked at, never the operator's watch; a view resumes it", async () => {
    const paths = ["example.com/expiry/looked-at", "example.com/expiry/operator"];
    const { service, clock, poller } = await setup(paths, { WATCH_EXPIRY_DAYS: "2" });
    for (const path of paths) await service.runCheck(path, { trigger: "user" });
    expect(await service.setWatched("example.com/expiry/operator", true)).toBe(true);

    const polledOn: Record<string, number[]> = {};
    const run = async (hours: number) => {
      for (let h = 0; h < hours; h++) {
        clock.advance(HOUR);
        const { started } = await poller.tick();
        await poller.idle();
        for (const path of started) (polledOn[path] ??= []).push(Math.floor((clock.now().getTime() - T0.getTime()) / HOUR));
      }
    };
    await run(4 * 24);
    // Polled every 6 h while its interest lasted (checked at hour 0: until hour 48), never after; the operator's all along.
    expect(polledOn["example.com/expiry/looked-at"]).toEqual([6, 12, 18, 24, 30, 36, 42, 48]);
    expect(polledOn["example.com/expiry/operator"]?.length).toBe(16);

    const before = await service.timeline("example.com/expiry/looked-at");
    if (!before.ok) throw new Error(before.message);
    expect(before.polling).toEqual({ kind: "expired", since: new Date(T0.getTime() + 2 * DAY), days: 2 });
    // The data stays, and a view resumes polling at the next tick due.
    expect(before.timeline.checks.length).toBe(9);
    await service.noteInterest("example.com/expiry/looked-at");
    const after = await service.timeline("example.com/expiry/looked-at");
    expect(after.ok && after.polling).toEqual({ kind: "polled" });
    polledOn["example.com/expiry/looked-at"] = [];
    await run(1);
    expect(polledOn["example.com/expiry/looked-at"]).toEqual([97]);
  });
});

describe("interest and delete in the service", () => {
  it("notes interest in the store at most once per throttle, whatever the number of views", async () => {
    const { store, config, clock } = await setup(["example.com/interest/m"], {});
    const spy = vi.spyOn(store, "noteInterest");
    const fresh = createService({ store, config, clock: clock.now });
    await fresh.runCheck("example.com/interest/m", { trigger: "user" });
    for (let i = 0; i < 200; i++) {
      await fresh.noteInterest("example.com/interest/m");
      clock.advance(1000);
    }
    // 200 views over 200 s: one call reaches the store (the first); the next after the throttle.
    expect(spy).toHaveBeenCalledTimes(1);
    clock.advance(INTEREST_THROTTLE_MS);
    await fresh.noteInterest("example.com/interest/m");
    expect(spy).toHaveBeenCalledTimes(2);
    // Service as the API uses it: an unknown module is not remembered, so it costs a look-up each time, not a write.
    await fresh.noteInterest("example.com/interest/unknown");
    await fresh.noteInterest("example.com/interest/unknown");
    expect(spy).toHaveBeenCalledTimes(4);
  });

  it("deleting forgets the module everywhere: its timeline, the home lists, and a later check starts afresh", async () => {
    const paths = ["example.com/delete/doomed", "example.com/delete/kept"];
    const { service, clock, db } = await setup(paths, {});
    for (const path of paths) {
      await service.runCheck(path, { trigger: "user" });
      clock.advance(60_000);
    }
    await service.runCheck("example.com/delete/doomed", { trigger: "user" });
    // Warm every cache: the timeline (and its facts), the home page's snapshots.
    expect((await service.timeline("example.com/delete/doomed")).ok).toBe(true);
    expect((await service.home()).recent.map((r) => r.module)).toContain("example.com/delete/doomed");

    expect(await service.deleteModule("example.com/delete/doomed")).toBe(true);
    expect(await service.timeline("example.com/delete/doomed")).toMatchObject({ ok: false, code: "unknown_module" });
    const home = await service.home();
    expect(home.recent.map((r) => r.module)).toEqual(["example.com/delete/kept"]);
    expect(home.watched.map((r) => r.module)).toEqual(["example.com/delete/kept"]);
    expect(await service.suggest("doomed")).toEqual([]);
    expect(await service.deleteModule("example.com/delete/doomed")).toBe(false);

    clock.advance(60_000);
    await service.runCheck("example.com/delete/doomed", { trigger: "user" });
    const again = await service.timeline("example.com/delete/doomed");
    if (!again.ok) throw new Error(again.message);
    expect(again.timeline.checks).toHaveLength(1);
    // kept's one check and the new one: the two earlier checks of doomed are gone.
    expect(db.$client.prepare("select count(*) as n from checks").get()).toEqual({ n: 2 });
  });
});
