import { join } from "node:path";
import type { Scenario } from "@/e2e/mirror-sim";
import { startApp } from "./app-server";
import { timedFetch } from "./http-load";
import type { RemoteSim } from "./remote-sim";
import { benchModule } from "./sim-modules";
import { median, round, sleep } from "./stats";

export const ROUND_TRIP_MS = 100;
/** The protocol's critical path: @v/list and @latest together, then the authoritative go.mod. */
export const CRITICAL_PATH_MS = 2 * ROUND_TRIP_MS;

export type FirstCheckSize = {
  versions: number;
  /** Wall time of each POST /api/checks, as the client saw it. */
  ms: number[];
  medianMs: number;
  ratio: number;
};

export type FirstCheckResult = { mirrors: number; repetitions: number; sizes: FirstCheckSize[] };

const T0 = new Date("2026-03-01T12:00:00Z");
const WARM_MODULE = "example.com/bench/first/warm";
const freshModule = (versions: number, rep: number) => `example.com/bench/first/n${versions}/r${rep}`;

/**
 * Figure 1 as a new user meets it: the built app, already warm on another module, is asked over HTTP to check a
 * module it has never seen (so every mirror's go.mod is fetched and every listing written), on 3 mirrors whose
 * every answer takes 100 ms. Each repetition is a different never-seen module; sizes run smallest first.
 */
export async function measureFirstCheck(
  sim: RemoteSim,
  options: { dir: string; sizes: number[]; repetitions: number; register: (stop: () => Promise<void>) => void },
): Promise<FirstCheckResult> {
  const latency = [{ effect: { type: "latency" as const, ms: ROUND_TRIP_MS } }];
  const modules = [benchModule(WARM_MODULE, 500, T0)];
  for (const versions of options.sizes) for (let rep = 0; rep < options.repetitions; rep++) modules.push(benchModule(freshModule(versions, rep), versions, T0));
  const scenario: Scenario = {
    start: T0,
    reference: "ref",
    modules,
    mirrors: [
      { name: "mirror-a", style: "goproxy", faults: latency },
      { name: "mirror-b", style: "goproxy", faults: latency },
      { name: "ref", style: "proxy.golang.org", faults: latency },
    ],
  };
  const started = await sim.start(scenario);
  const app = await startApp({
    MIRRORS: started.mirrorsEnv,
    REFERENCE_MIRROR: "ref",
    DATABASE_PATH: join(options.dir, "first-check.db"),
    REQUEST_TIMEOUT_MS: "10000",
    RETENTION_DAYS: "36500",
  });
  options.register(() => app.stop());
  const check = async (module: string): Promise<number> => {
    const r = await timedFetch(`${app.baseUrl}/api/checks`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ module }) }, true);
    if (r.status !== 200 || !r.body) throw new Error(`figure 1: POST /api/checks ${module}: ${r.status} ${r.error ?? r.body ?? ""}`);
    const mirrors = (JSON.parse(r.body) as { check: { mirrors: Record<string, { outcome: string }> } }).check.mirrors;
    const failed = Object.entries(mirrors).filter(([, m]) => m.outcome !== "ok");
    if (failed.length > 0) throw new Error(`figure 1: a mirror did not answer for ${module}: ${JSON.stringify(failed)}`);
    return r.ms;
  };
  try {
    // Warm: the server has compiled its check path, its pages and its API on another module.
    for (let i = 0; i < 3; i++) await check(WARM_MODULE);
    for (const path of [`/api/modules/${WARM_MODULE}`, `/m/${WARM_MODULE}`, "/"]) await timedFetch(`${app.baseUrl}${path}`);
    await sleep(1000);
    const sizes: FirstCheckSize[] = [];
    for (const versions of options.sizes) {
      const ms: number[] = [];
      for (let rep = 0; rep < options.repetitions; rep++) {
        ms.push(await check(freshModule(versions, rep)));
        // Commit-time look-ups of the check just made go on in the background, as they would for a user.
        await sleep(500);
      }
      const medianMs = median(ms);
      sizes.push({ versions, ms: ms.map((v) => round(v)), medianMs: round(medianMs), ratio: round(medianMs / CRITICAL_PATH_MS, 2) });
    }
    return { mirrors: scenario.mirrors.length, repetitions: options.repetitions, sizes };
  } finally {
    await app.stop();
    await sim.stopMirrors();
  }
}
