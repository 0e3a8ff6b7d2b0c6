import { createSimClock } from "@/e2e/mirror-sim";
import type { Scenario } from "@/e2e/mirror-sim";
import { authoritativeVersion, createMirrorClient } from "@/lib/goproxy";
import { createTestService } from "@/e2e/support/test-service";
import type { RemoteSim } from "./remote-sim";
import { benchModule } from "./sim-modules";
import { median, round } from "./stats";

export const ROUND_TRIP_MS = 100;
/** The protocol's critical path: @v/list and @latest together, then the authoritative go.mod. */
export const CRITICAL_PATH_MS = 2 * ROUND_TRIP_MS;

export type CheckLatencyResult = {
  versions: number;
  mirrors: number;
  repetitions: number;
  /** The very first check in the process (JIT-cold, fresh connections): reported, not in the median. */
  coldProductMs: number;
  productMs: number[];
  naiveMs: number[];
  productMedianMs: number;
  naiveMedianMs: number;
  productRatio: number;
  naiveRatio: number;
};

const MODULE = "example.com/bench/latency";
const T0 = new Date("2026-03-01T12:00:00Z");

/**
 * Figure 1: one check of a 500-version module on 3 mirrors whose every answer takes 100 ms, against the same
 * questions asked one after another the way a shell loop of curl does. Each repetition gets a fresh simulator
 * and a fresh database, so the product fetches the go.mod every time (nothing is served from its store).
 */
export async function measureCheckLatency(sim: RemoteSim, options: { versions: number; repetitions: number }): Promise<CheckLatencyResult> {
  const latency = [{ effect: { type: "latency" as const, ms: ROUND_TRIP_MS } }];
  const scenario: Scenario = {
    start: T0,
    reference: "ref",
    modules: [benchModule(MODULE, options.versions, T0)],
    mirrors: [
      { name: "mirror-a", style: "goproxy", faults: latency },
      { name: "mirror-b", style: "goproxy", faults: latency },
      { name: "ref", style: "proxy.golang.org", faults: latency },
    ],
  };
  const productMs: number[] = [];
  const naiveMs: number[] = [];
  let coldProductMs = Number.NaN;
  // Repetition -1 warms up: a server checks many modules, so the median is of warm runs.
  for (let rep = -1; rep < options.repetitions; rep++) {
    const clock = createSimClock(T0);
    const started = await sim.start(scenario);
    const { service, db } = createTestService({ mirrorsEnv: started.mirrorsEnv, reference: "ref", clock: clock.now, env: { REQUEST_TIMEOUT_MS: "10000" } });
    try {
      // The baseline first: the product's background .info look-ups (after its check returns) must not overlap it.
      let t0 = performance.now();
      await naiveCheck(started.mirrors.map((m) => m.baseUrl), MODULE);
      if (rep >= 0) naiveMs.push(performance.now() - t0);

      t0 = performance.now();
      const { check } = await service.runCheck(MODULE, { trigger: "api" });
      if (rep >= 0) productMs.push(performance.now() - t0);
      else coldProductMs = performance.now() - t0;
      const failed = Object.entries(check.mirrors).filter(([, m]) => m.outcome !== "ok");
      if (failed.length > 0) throw new Error(`figure 1: a mirror did not answer: ${JSON.stringify(failed)}`);
    } finally {
      // Closing the simulator ends the background .info look-ups quickly (they fail, which a check tolerates).
      await sim.stopMirrors();
      await service.checker.idle();
      db.$client.close();
    }
  }
  const productMedianMs = median(productMs);
  const naiveMedianMs = median(naiveMs);
  return {
    versions: options.versions,
    mirrors: scenario.mirrors.length,
    repetitions: options.repetitions,
    coldProductMs: round(coldProductMs),
    productMs: productMs.map((v) => round(v)),
    naiveMs: naiveMs.map((v) => round(v)),
    productMedianMs: round(productMedianMs),
    naiveMedianMs: round(naiveMedianMs),
    productRatio: round(productMedianMs / CRITICAL_PATH_MS, 2),
    naiveRatio: round(naiveMedianMs / CRITICAL_PATH_MS, 2),
  };
}

/** What `for m in mirrors; do curl list; curl @latest; curl go.mod; done` does: every request waits for the last. */
async function naiveCheck(baseUrls: string[], module: string): Promise<void> {
  for (const baseUrl of baseUrls) {
    const client = createMirrorClient({ baseUrl, timeoutMs: 10_000 });
    const list = await client.list(module);
    const latest = await client.latest(module);
    const version = authoritativeVersion(list.outcome === "ok" ? list.data.versions : [], latest.outcome === "ok" ? latest.data.version : null);
    if (!version) throw new Error(`figure 1 baseline: ${baseUrl} named no version`);
    const mod = await client.mod(module, version);
    if (mod.outcome !== "ok") throw new Error(`figure 1 baseline: go.mod from ${baseUrl}: ${mod.outcome}`);
  }
}
