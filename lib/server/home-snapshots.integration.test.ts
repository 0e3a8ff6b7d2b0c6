import { afterEach, describe, expect, it } from "vitest";
import { createSimClock, startMirrorSim } from "@/e2e/mirror-sim";
import type { MirrorSim, Scenario } from "@/e2e/mirror-sim";
import { createTestService } from "@/e2e/support/test-service";
import type { NewestCheckRow } from "@/lib/store";
import { createService } from "./service";

const T0 = new Date("2026-03-01T10:00:00Z");
const gomod = (path: string) => `module ${path}\n\ngo 1.21\n`;
const MODULES = ["example.com/home/a", "example.com/home/b", "example.com/home/c"];

let sim: MirrorSim | undefined;
afterEach(async () => {
  await sim?.close();
  sim = undefined;
});

/** MODULES at v1.0.0 on every mirror, and the store a service over those mirrors would use. */
async function setup(mirrors: Scenario["mirrors"]) {
  const clock = createSimClock(T0);
  const started = await startMirrorSim(
    { start: T0, reference: "ref", modules: MODULES.map((path) => ({ path, versions: [{ version: "v1.0.0", time: "2026-02-01T00:00:00Z", gomod: gomod(path) }] })), mirrors },
    { clock },
  );
  sim = started;
  return { sim: started, clock, ...createTestService({ mirrorsEnv: started.mirrorsEnv, reference: "ref", clock: clock.now }) };
}

describe("the home page's module snapshots", () => {
  it("loads current facts only for modules checked since the previous home, and still shows each new state", async () => {
    const { sim, clock, store, config } = await setup([
      { name: "cn", style: "goproxy", lagSeconds: 3600 },
      { name: "ref", style: "proxy.golang.org" },
    ]);
    const asked: string[][] = [];
    const spied = {
      ...store,
      currentFacts: (rows: NewestCheckRow[], mirrors: string[], reference: string) => {
        asked.push(rows.map((r) => r.module));
        return store.currentFacts(rows, mirrors, reference);
      },
    };
    const service = createService({ store: spied, config, clock: clock.now });
    for (const m of MODULES) await service.runCheck(m, { trigger: "user" });

    const first = await service.home();
    expect(first.recent.map((r) => r.state)).toEqual(["in_sync", "in_sync", "in_sync"]);
    expect(asked).toEqual([[...MODULES].reverse()]);

    await service.home();
    expect(asked).toHaveLength(1);

    // A new version the reference lists and cn does not yet: only b is loaded again, and b shows behind.
    sim.addVersion(MODULES[1] ?? "", { version: "v1.1.0", gomod: gomod(MODULES[1] ?? "") });
    clock.advance(60_000);
    await service.runCheck(MODULES[1] ?? "", { trigger: "user" });
    const after = await service.home();
    expect(asked.slice(1)).toEqual([[MODULES[1]]]);
    expect(after.recent.map((r) => [r.module, r.state])[0]).toEqual([MODULES[1], "behind"]);
  });

  it("keeps lag samples between calls, and answers what a service with nothing kept answers", async () => {
    const { sim, clock, store, config } = await setup([
      { name: "cn", style: "goproxy", lagSeconds: 20 * 60 },
      { name: "io", style: "goproxy", lagSeconds: 5 * 60 },
      { name: "ref", style: "proxy.golang.org" },
    ]);
    const kept = createService({ store, config, clock: clock.now });
    const fromScratch = () => createService({ store, config, clock: clock.now }).home();
    for (const m of MODULES) await kept.runCheck(m, { trigger: "user" });
    const homes: unknown[] = [];
    // Day by day: a new version of one module, checks every 10 minutes for an hour, home read after each.
    for (let day = 0; day < 10; day++) {
      const path = MODULES[day % MODULES.length] ?? "";
      sim.addVersion(path, { version: `v1.${day + 1}.0`, gomod: gomod(path) });
      for (let i = 0; i < 6; i++) {
        clock.advance(10 * 60_000);
        await kept.runCheck(path, { trigger: "poll" });
        const home = await kept.home();
        expect(home).toEqual(await fromScratch());
        homes.push(home.mirrors.map((m) => m.lag?.samples ?? null));
      }
      clock.advance(23 * 3600_000);
      expect(await kept.home()).toEqual(await fromScratch());
    }
    // Ten pickups per mirror were measured; the three older than 7 days left the window.
    expect((await kept.home()).mirrors.map((m) => m.lag?.samples ?? null)).toEqual([7, 7, null]);
    expect(homes.slice(0, 3)).toEqual([[0, 1, null], [1, 1, null], [1, 1, null]]);
  });
});
