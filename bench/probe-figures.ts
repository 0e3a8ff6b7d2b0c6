import { randomBytes } from "node:crypto";
import { join } from "node:path";
import type { Scenario, SimModule } from "@/e2e/mirror-sim";
import { createMemoryChecksumDb, createTileReader, generateNoteKeys, hashGoMod, parseVerifierKey, verifyLookup } from "@/lib/goproxy";
import { startApp, watchMemory } from "./app-server";
import { timedFetch } from "./http-load";
import type { RemoteSim } from "./remote-sim";
import { median, round, sleep } from "./stats";

export const PROBE_ROUND_TRIP_MS = 100;
/**
 * The requests of a probe that must wait for one another: a mirror's /sumdb/<name>/supported, then its lookup,
 * then the tiles that prove it (one round, in parallel). .info, .mod, .zip, the direct lookup and the check
 * accompanying the probe all overlap with that chain.
 */
export const PROBE_CRITICAL_PATH_MS = 3 * PROBE_ROUND_TRIP_MS;

export type ProbeFiguresResult = {
  wall: { zipBytes: number; mirrors: number; repetitions: number; ms: number[]; medianMs: number; ratio: number; criticalPathMs: number };
  memory: { probes: number; zipBytes: number; baselineMb: number; peakMb: number; growthMb: number; wallMs: number };
  verify: { treeSize: number; runs: number; medianMs: number; p95Ms: number }[];
};

const T0 = new Date("2026-03-01T12:00:00Z");
const MiB = 1024 * 1024;

/** A module whose one version's zip is about `zipBytes`: base64 of random bytes (incompressible past 6 bits a character). */
function bigModule(path: string, zipBytes: number): SimModule {
  const payload = randomBytes(Math.ceil(zipBytes * 0.75)).toString("base64");
  return {
    path,
    versions: [{ version: "v1.0.0", time: new Date(T0.getTime() - 86_400_000), gomod: `module ${path}\n\ngo 1.22\n`, files: { "data.txt": payload } }],
  };
}

async function probe(baseUrl: string, module: string): Promise<{ ms: number; verdicts: string[] }> {
  const r = await timedFetch(`${baseUrl}/api/probes`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ module, version: "v1.0.0" }) }, true);
  if (r.status !== 200 || !r.body) throw new Error(`probe figures: POST /api/probes ${module}: ${r.status} ${r.error ?? r.body ?? ""}`);
  const dto = JSON.parse(r.body) as { probe: { sumdb: { verified: boolean }; mirrors: Record<string, { verdict: string; diagnosis: { code: string } }> } };
  if (!dto.probe.sumdb.verified) throw new Error(`probe figures: ${module}: the checksum database did not verify`);
  const verdicts = Object.values(dto.probe.mirrors).map((m) => m.diagnosis.code);
  if (verdicts.some((v) => v !== "served")) throw new Error(`probe figures: ${module}: not served everywhere: ${verdicts.join(", ")}`);
  return { ms: r.ms, verdicts };
}

/** Warms the simulator's lazily built zips and checksum records so that the measured probes only wait for answers. */
async function warm(baseUrl: string, sumdbUrl: string, modules: string[]): Promise<void> {
  for (const m of modules) {
    const zip = await fetch(`${baseUrl}/${m}/@v/v1.0.0.zip`);
    await zip.arrayBuffer();
    const lookup = await fetch(`${sumdbUrl}/lookup/${m}@v1.0.0`);
    await lookup.arrayBuffer();
  }
}

/**
 * Probe figures of issue 7/11 against the built app: (a) wall time of a probe of a version with a 1 MiB zip on 3
 * mirrors whose every answer (and the checksum database's) takes 100 ms; (b) the server's resident memory while 5
 * probes of 50 MiB zips run at once; (c) verification time of one lookup (note, record and tile proof) in-process.
 */
export async function measureProbes(
  sim: RemoteSim,
  options: { dir: string; repetitions: number; register: (stop: () => Promise<void>) => void },
): Promise<ProbeFiguresResult> {
  const latency = [{ effect: { type: "latency" as const, ms: PROBE_ROUND_TRIP_MS } }];
  const small = Array.from({ length: options.repetitions + 2 }, (_, i) => `example.com/bench/probe/small${i}`);
  const large = Array.from({ length: 5 }, (_, i) => `example.com/bench/probe/large${i}`);
  const scenario: Scenario = {
    start: T0,
    reference: "ref",
    sumdb: { latencyMs: PROBE_ROUND_TRIP_MS },
    modules: [...small.map((m) => bigModule(m, MiB)), ...large.map((m) => bigModule(m, 50 * MiB))],
    mirrors: [
      { name: "mirror-a", style: "goproxy", faults: latency },
      { name: "mirror-b", style: "goproxy", faults: latency },
      { name: "ref", style: "proxy.golang.org", faults: latency },
    ],
  };
  const started = await sim.start(scenario);
  const sumdb = started.sumdb;
  const firstMirror = started.mirrors[0];
  if (!sumdb || !firstMirror) throw new Error("probe figures: the simulator has no checksum database");
  await warm(firstMirror.baseUrl, sumdb.url, [...small, ...large]);
  const app = await startApp({
    MIRRORS: started.mirrorsEnv,
    REFERENCE_MIRROR: "ref",
    SUMDB: sumdb.gosumdb,
    DATABASE_PATH: join(options.dir, "probes.db"),
    REQUEST_TIMEOUT_MS: "10000",
  });
  options.register(() => app.stop());
  try {
    // (a) The first two probes warm the server (compiled routes, open connections); each probe is a new module.
    const ms: number[] = [];
    for (const [i, module] of small.entries()) {
      const { ms: took } = await probe(app.baseUrl, module);
      if (i >= 2) ms.push(took);
    }
    const medianMs = median(ms);
    // (b) Five at once, each its own module (one flight per version would merge probes of the same one).
    await sleep(500);
    const memory = watchMemory(app.pid, 20);
    const before = memory.stop();
    const during = watchMemory(app.pid, 20);
    const t0 = performance.now();
    await Promise.all(large.map((m) => probe(app.baseUrl, m)));
    const wallMs = performance.now() - t0;
    const peak = during.stop();
    const peakMb = Math.max(peak.peakSampledMb, peak.peakHwmMb);
    return {
      wall: { zipBytes: MiB, mirrors: started.mirrors.length, repetitions: ms.length, ms, medianMs, ratio: round(medianMs / PROBE_CRITICAL_PATH_MS, 2), criticalPathMs: PROBE_CRITICAL_PATH_MS },
      memory: { probes: large.length, zipBytes: 50 * MiB, baselineMb: before.peakSampledMb, peakMb, growthMb: peakMb - before.peakSampledMb, wallMs },
      verify: await measureVerification(),
    };
  } finally {
    await app.stop();
  }
}

/** (c) verifyLookup on trees of growing size: the proof is logarithmic, so this should barely move. */
async function measureVerification(): Promise<ProbeFiguresResult["verify"]> {
  const keys = generateNoteKeys("sum.bench.test", new Uint8Array(32).fill(9));
  const verifier = parseVerifierKey(keys.verifierKey);
  const results: ProbeFiguresResult["verify"] = [];
  const db = createMemoryChecksumDb(keys.signerKey);
  let added = 0;
  for (const treeSize of [1_000, 20_000]) {
    for (; added < treeSize; added++) await db.add(`example.com/m${added}`, "v1.0.0", hashGoMod(`zip ${added}`), hashGoMod(`module example.com/m${added}\n`));
    const runs: number[] = [];
    for (let i = 0; i < 200; i++) {
      const which = (i * 7919) % treeSize;
      const body = await db.lookup(`example.com/m${which}`, "v1.0.0");
      if (body === null) throw new Error("verification figure: lookup missing");
      const tiles = createTileReader(async (path) => db.tile(path));
      const t0 = performance.now();
      await verifyLookup({ module: `example.com/m${which}`, version: "v1.0.0", body: new TextEncoder().encode(body), verifier, tiles });
      runs.push(performance.now() - t0);
    }
    runs.sort((a, b) => a - b);
    results.push({ treeSize, runs: runs.length, medianMs: round(median(runs), 2), p95Ms: round(runs[Math.floor(runs.length * 0.95)] ?? Number.NaN, 2) });
  }
  return results;
}
