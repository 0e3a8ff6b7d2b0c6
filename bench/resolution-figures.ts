import { join } from "node:path";
import type { Scenario, SimModule } from "@/e2e/mirror-sim";
import { startApp, watchMemory } from "./app-server";
import { timedFetch } from "./http-load";
import type { RemoteSim } from "./remote-sim";
import { median, round, sleep } from "./stats";

export const RESOLUTION_REQUIREMENTS = 500;
export const RESOLUTION_ROUND_TRIP_MS = 100;
/** The app's default USER_MIRROR_RPS, the cap every user-started request shares: the bench runs with the defaults. */
export const DEFAULT_MIRROR_RPS = 10;
/** lib/server's USER_CAP_GUARD_MS: one second's requests and the next's are this much further apart. */
export const USER_CAP_GUARD_MS = 300;

export type ResolutionFiguresResult = {
  requirements: number;
  mirrors: number;
  wallMs: number;
  /** The least time the per-mirror cap lets 2 requests per requirement take: the last slot's start plus one answer. */
  capAllowedMs: number;
  ratio: number;
  /** Requests each mirror received, by kind, and per requirement. */
  requestsPerMirror: Record<string, { total: number; perRequirement: number; byKind: Record<string, number> }>;
  memory: { baselineMb: number; peakMb: number; growthMb: number };
  /** GET /api/resolutions/<id> of the finished resolution, as the page's permalink reads it. */
  read: { n: number; medianMs: number; bytes: number };
  resolves: Record<string, number>;
};

const READS = 10;
const T0 = new Date("2026-03-01T12:00:00Z");

function requirementModules(n: number): SimModule[] {
  return Array.from({ length: n }, (_, i) => {
    const path = `example.com/bench/resolve/m${i}`;
    return { path, versions: [{ version: `v1.${i % 7}.${i % 3}`, time: new Date(T0.getTime() - 86_400_000 - i * 1000), gomod: `module ${path}\n\ngo 1.22\n` }] };
  });
}

/**
 * Figure 8 (issue 8/11): a go.mod of 500 requirements checked over HTTP against 3 mirrors whose every answer (and the
 * checksum database's) takes 100 ms, with the app's default caps: wall time against what the per-mirror request cap
 * allows, requests per mirror (2 per requirement without zips), and the server's peak resident memory meanwhile.
 */
export async function measureResolution(sim: RemoteSim, options: { dir: string; register: (stop: () => Promise<void>) => void }): Promise<ResolutionFiguresResult> {
  const latency = [{ effect: { type: "latency" as const, ms: RESOLUTION_ROUND_TRIP_MS } }];
  const modules = requirementModules(RESOLUTION_REQUIREMENTS);
  const scenario: Scenario = {
    start: T0,
    reference: "ref",
    sumdb: { latencyMs: RESOLUTION_ROUND_TRIP_MS },
    modules,
    mirrors: [
      { name: "mirror-a", style: "goproxy", faults: latency },
      { name: "mirror-b", style: "goproxy", faults: latency },
      { name: "ref", style: "proxy.golang.org", faults: latency },
    ],
  };
  const started = await sim.start(scenario);
  if (!started.sumdb) throw new Error("resolution figures: the simulator has no checksum database");
  const app = await startApp({
    MIRRORS: started.mirrorsEnv,
    REFERENCE_MIRROR: "ref",
    SUMDB: started.sumdb.gosumdb,
    DATABASE_PATH: join(options.dir, "resolutions.db"),
    REQUEST_TIMEOUT_MS: "10000",
    USER_MIRROR_RPS: String(DEFAULT_MIRROR_RPS),
  });
  options.register(() => app.stop());
  try {
    const gomod = `module example.com/bench/app\n\ngo 1.22\n\nrequire (\n${modules.map((m) => `\t${m.path} ${m.versions[0]?.version}\n`).join("")})\n`;
    await sleep(500);
    const before = watchMemory(app.pid, 50).stop();
    await sim.clearLog();
    const memory = watchMemory(app.pid, 50);
    const t0 = performance.now();
    const posted = await timedFetch(`${app.baseUrl}/api/resolutions`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ gomod }) }, true);
    if (posted.status !== 202 || !posted.body) throw new Error(`resolution figures: POST /api/resolutions: ${posted.status} ${posted.error ?? posted.body ?? ""}`);
    const id = (JSON.parse(posted.body) as { resolution: { id: number } }).resolution.id;
    type Dto = { status: string; done: number; total: number; mirrors: Record<string, { resolves: number }> };
    let dto: Dto | null = null;
    // Polled as the page polls it; each read is small next to the ~100 s the cap needs.
    for (;;) {
      const read = await timedFetch(`${app.baseUrl}/api/resolutions/${id}`, {}, true);
      if (read.status !== 200 || !read.body) throw new Error(`resolution figures: GET /api/resolutions/${id}: ${read.status}`);
      dto = (JSON.parse(read.body) as { resolution: Dto }).resolution;
      if (dto.status !== "running") break;
      await sleep(250);
    }
    const wallMs = performance.now() - t0;
    const peak = memory.stop();
    if (dto.status !== "done" || dto.done !== RESOLUTION_REQUIREMENTS) throw new Error(`resolution figures: ended ${dto.status} with ${dto.done}/${dto.total}`);
    const reads: number[] = [];
    let bytes = 0;
    for (let i = 0; i < READS; i++) {
      const read = await timedFetch(`${app.baseUrl}/api/resolutions/${id}`, {}, true);
      if (read.status !== 200 || !read.body) throw new Error(`resolution figures: GET /api/resolutions/${id}: ${read.status}`);
      reads.push(read.ms);
      bytes = read.body.length;
    }
    const counts = await sim.counts();
    const requestsPerMirror: ResolutionFiguresResult["requestsPerMirror"] = {};
    for (const mirror of ["mirror-a", "mirror-b", "ref"]) {
      const byKind = counts[mirror] ?? {};
      const total = Object.values(byKind).reduce((a, b) => a + b, 0);
      requestsPerMirror[mirror] = { total, perRequirement: round(total / RESOLUTION_REQUIREMENTS, 2), byKind };
    }
    const requests = 2 * RESOLUTION_REQUIREMENTS;
    const capAllowedMs = Math.ceil(requests / DEFAULT_MIRROR_RPS - 1) * (1000 + USER_CAP_GUARD_MS) + RESOLUTION_ROUND_TRIP_MS;
    const peakMb = Math.max(peak.peakSampledMb, peak.peakHwmMb);
    return {
      requirements: RESOLUTION_REQUIREMENTS,
      mirrors: started.mirrors.length,
      wallMs: Math.round(wallMs),
      capAllowedMs,
      ratio: round(wallMs / capAllowedMs, 2),
      requestsPerMirror,
      read: { n: READS, medianMs: round(median(reads), 1), bytes },
      memory: { baselineMb: before.peakSampledMb, peakMb, growthMb: peakMb - before.peakSampledMb },
      resolves: Object.fromEntries(Object.entries(dto.mirrors).map(([name, t]) => [name, t.resolves])),
    };
  } finally {
    await app.stop();
  }
}
