import { afterEach, describe, expect, it } from "vitest";
import { startMirrorSim, wallClock } from "@/e2e/mirror-sim";
import type { MirrorSim } from "@/e2e/mirror-sim";
import { createTestService } from "@/e2e/support/test-service";
import { createMirrorRateCap, createWorkBudget, wallSleep } from "@/lib/polling";

const KNOWN = "example.com/budget/known";
const RPS = 4;

let sim: MirrorSim | undefined;
afterEach(async () => {
  await sim?.close();
  sim = undefined;
});

/** The most requests one mirror received in any 1000 ms window of the simulator's (wall-clock) log. */
function peakPerSecond(times: number[]): number {
  const sorted = [...times].sort((a, b) => a - b);
  let peak = 0;
  for (let i = 0, j = 0; i < sorted.length; i++) {
    while ((sorted[i] ?? 0) - (sorted[j] ?? 0) >= 1000) j++;
    peak = Math.max(peak, i - j + 1);
  }
  return peak;
}

async function setup(queueSeconds: number) {
  const clock = wallClock();
  sim = await startMirrorSim(
    {
      start: new Date(),
      reference: "ref",
      modules: [{ path: KNOWN, versions: [{ version: "v1.0.0", time: "2026-02-01T00:00:00Z", gomod: `module ${KNOWN}\n\ngo 1.21\n` }] }],
      mirrors: [
        { name: "ref", style: "proxy.golang.org" },
        { name: "cn", style: "goproxy" },
      ],
    },
    { clock },
  );
  const cap = createMirrorRateCap({ requestsPerSecond: RPS, now: Date.now, sleep: wallSleep });
  const userBudget = createWorkBudget({ cap, requestsPerSecond: RPS, queueSeconds });
  const made = createTestService({
    mirrorsEnv: sim.mirrorsEnv,
    reference: "ref",
    clock: clock.now,
    slotFor: (mirror, purpose) => (purpose === "poll" || purpose === "commit-times" ? undefined : userBudget.slot(mirror)),
    userBudget,
  });
  return { sim, userBudget, ...made };
}

describe("the outbound budget of user work", () => {
  it("refuses checks past the queue with busy and a retry time, and no mirror hears more than the cap in any second", async () => {
    const { sim, service, userBudget } = await setup(2);
    const paths = Array.from({ length: 30 }, (_, i) => `example.com/budget/made-up-${i}`);
    const results = await Promise.all(paths.map((m, i) => service.runUserWork("check", `client-${i}`, () => service.runCheck(m, { trigger: "api" }))));
    const busy = results.filter((r) => !r.ok);
    // A check may ask 3 requests per mirror: 2 s at 4 a second holds 8, so two checks fit at once.
    expect(results.filter((r) => r.ok)).toHaveLength(2);
    for (const r of busy) expect(r).toMatchObject({ ok: false, code: "busy", retryAfterSeconds: expect.any(Number) });
    for (const r of busy) if (!r.ok) expect(r.retryAfterSeconds).toBeGreaterThanOrEqual(1);
    expect(userBudget.pending()).toEqual({});
    for (const mirror of ["ref", "cn"]) expect(peakPerSecond(sim.log(mirror).map((e) => e.at.getTime()))).toBeLessThanOrEqual(RPS);
    // Refused checks asked nothing and stored nothing: only the admitted ones left a module behind.
    const stored = await Promise.all(paths.map((m) => service.timeline(m)));
    expect(stored.filter((t) => t.ok)).toHaveLength(2);
    // Once the queue has drained, the next check is admitted.
    expect((await service.runUserWork("check", "late", () => service.runCheck(paths[29] ?? "", { trigger: "api" }))).ok).toBe(true);
  });

  it("lets concurrent requests of one module join the check in flight, whatever the budget says", async () => {
    const { sim, service } = await setup(1);
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => service.runUserWork("check", `client-${i}`, () => service.runCheck(KNOWN, { trigger: "user" }))));
    expect(results.every((r) => r.ok)).toBe(true);
    expect(new Set(results.map((r) => (r.ok ? r.value.check.id : 0))).size).toBe(1);
    expect(sim.log("ref").filter((e) => e.kind === "list")).toHaveLength(1);
  });

  it("counts the client's own limit before the budget: past it, rate_limited and nothing runs", async () => {
    const sim0 = await setup(10);
    sim = sim0.sim;
    const limited = createTestService({ mirrorsEnv: sim0.sim.mirrorsEnv, reference: "ref", clock: () => new Date(), env: { RATE_LIMIT_PER_MINUTE: "1" }, userBudget: sim0.userBudget });
    let ran = 0;
    const work = () => limited.service.runCheck(KNOWN, { trigger: "api" }).then((o) => (ran++, o));
    expect((await limited.service.runUserWork("check", "a", work)).ok).toBe(true);
    expect(await limited.service.runUserWork("check", "a", work)).toMatchObject({ ok: false, code: "rate_limited" });
    expect((await limited.service.runUserWork("check", "b", work)).ok).toBe(true);
    expect(ran).toBe(2);
  });
});
