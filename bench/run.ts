// `npm run bench`: every figure of issue 6, measured side by side in one run against the mirror simulator, printed
// as one table and written to bench/results/latest.json with the machine it ran on. Loopback only; every process
// it starts is stopped at the end, also on failure, Ctrl-C or the overall deadline.
import { mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { cpus, loadavg, platform, release, tmpdir, totalmem } from "node:os";
import { join } from "node:path";
import { measureApp } from "./app-figures";
import type { AppFiguresResult } from "./app-figures";
import { CRITICAL_PATH_MS, measureCheckLatency } from "./check-latency";
import type { CheckLatencyResult } from "./check-latency";
import { measureDemoPage } from "./demo-page";
import type { DemoPageResult } from "./demo-page";
import { measureFirstCheck } from "./first-check";
import type { FirstCheckResult } from "./first-check";
import { measureRecheckCost } from "./recheck-cost";
import type { RecheckCostResult } from "./recheck-cost";
import { PROBE_ROUND_TRIP_MS, measureProbes } from "./probe-figures";
import type { ProbeFiguresResult } from "./probe-figures";
import { DEFAULT_MIRROR_RPS, RESOLUTION_ROUND_TRIP_MS, USER_CAP_GUARD_MS, measureResolution } from "./resolution-figures";
import type { ResolutionFiguresResult } from "./resolution-figures";
import { startRemoteSim } from "./remote-sim";
import type { RemoteSim } from "./remote-sim";
import { round } from "./stats";

/** Generous: a normal run takes about ten minutes on 2 cores; past this something hangs, and everything is stopped. */
const DEADLINE_MS = 25 * 60_000;
const SETTINGS = {
  checkLatency: { versions: 500, repetitions: 7 },
  firstCheck: { sizes: [10, 100, 500, 2000], repetitions: 5 },
  rechecks: 200,
  timelineRequests: 200,
  pageRequests: 40,
  probeRepetitions: 5,
};

type Row = { figure: string; value: string; target: string; met: "yes" | "no" | "—" };

const cleanups: (() => Promise<void>)[] = [];
const register = (stop: () => Promise<void>) => cleanups.push(stop);

async function cleanUp(): Promise<void> {
  while (cleanups.length > 0) {
    const stop = cleanups.pop();
    try {
      await stop?.();
    } catch (error) {
      console.error("bench: clean-up step failed:", error);
    }
  }
}

function machine() {
  const cpuList = cpus();
  return {
    cpus: cpuList.length,
    model: cpuList[0]?.model.trim() ?? "unknown",
    node: process.version,
    totalMemoryGb: round(totalmem() / 1024 ** 3, 1),
    os: `${platform()} ${release()}`,
  };
}

const ms = (v: number) => `${Math.round(v)} ms`;
const yes = (ok: boolean): Row["met"] => (ok ? "yes" : "no");

function rows(first: FirstCheckResult, latency: CheckLatencyResult, small: RecheckCostResult, large: RecheckCostResult, app: AppFiguresResult, demo: DemoPageResult): Row[] {
  const requests = [small, large].flatMap((r) => Object.entries(r.requestsPerRecheck));
  const perMirror = Object.entries(large.requestsPerRecheck)
    .map(([mirror, n]) => `${mirror} ${n}`)
    .join(", ");
  const sizeDrift = small.bytesPerRecheck === 0 ? 0 : (large.bytesPerRecheck - small.bytesPerRecheck) / small.bytesPerRecheck;
  const load = app.load;
  const render = app.modulePageRender;
  const kb = (bytes: number) => `${round(bytes / 1024, 0)} KB`;
  return [
    ...first.sizes.map((size): Row => {
      const targeted = size.versions === 500 || size.versions === 2000;
      return {
        figure: `1. First check of a never-seen module over HTTP, server warm: ${size.versions.toLocaleString("en")} versions, ${first.mirrors} mirrors, every answer +100 ms (median of ${first.repetitions})`,
        value: `${ms(size.medianMs)} = ${size.ratio}× the critical path (${CRITICAL_PATH_MS} ms)`,
        target: targeted ? "≤ 1.3×" : "—",
        met: targeted ? yes(size.ratio <= 1.3) : "—",
      };
    }),
    {
      figure: `1. In-process check, fresh database each time: ${latency.versions} versions, ${latency.mirrors} mirrors, every answer +100 ms (median of ${latency.repetitions}; cold first ${ms(latency.coldProductMs)})`,
      value: `${ms(latency.productMedianMs)} = ${latency.productRatio}× the critical path (${CRITICAL_PATH_MS} ms)`,
      target: "≤ 1.3×",
      met: yes(latency.productRatio <= 1.3),
    },
    {
      figure: "1. Baseline: same questions one mirror after another (list, @latest, go.mod), like a curl loop",
      value: `${ms(latency.naiveMedianMs)} = ${latency.naiveRatio}× (mirrorlag ${round(latency.naiveMedianMs / latency.productMedianMs, 1)}× faster)`,
      target: "baseline",
      met: "—",
    },
    {
      figure: "2. Requests per unchanged re-check, per mirror",
      value: perMirror,
      target: "2",
      met: yes(requests.every(([, n]) => n === 2)),
    },
    {
      figure: `3. Database bytes per unchanged re-check, 100 versions (${small.rechecks} re-checks)`,
      value: `${small.bytesPerRecheck} B`,
      target: "< 2 KB",
      met: yes(small.bytesPerRecheck < 2048),
    },
    {
      figure: `3. Database bytes per unchanged re-check, 2,000 versions (${large.rechecks} re-checks)`,
      value: `${large.bytesPerRecheck} B (${sizeDrift >= 0 ? "+" : ""}${round(sizeDrift * 100, 0)}% vs 100 versions)`,
      // Growth with the version count is what must not happen; page-granular file growth can come out smaller.
      target: "< 2 KB, not more (≤ +10%)",
      met: yes(large.bytesPerRecheck < 2048 && sizeDrift <= 0.1),
    },
    {
      figure: `4. GET /api/modules/… 2,000 versions, 3 mirrors, ${app.year.checks.toLocaleString("en")} checks (a year / 10 min), ${app.timelineApi.n} sequential (live timeline, derived once per check)`,
      value: `p50 ${ms(app.timelineApi.p50)}, p95 ${ms(app.timelineApi.p95)} (${round(app.timelineApi.bytes / 1024 ** 2, 1)} MB JSON)`,
      target: "p95 < 50 ms",
      met: yes(app.timelineApi.p95 < 50),
    },
    {
      figure: `4. Same module, ${app.timelineApiUncached.n} sequential ?at= reads over 100 different checks (each derived from the database)`,
      value: `p50 ${ms(app.timelineApiUncached.p50)}, p95 ${ms(app.timelineApiUncached.p95)}`,
      target: "p95 ≤ 50 ms",
      met: yes(app.timelineApiUncached.p95 <= 50),
    },
    {
      figure: `4. Those ?at= reads, server started with node ${app.timelineApiLargerYoungGen.nodeArgs.join(" ")} (deployment flag)`,
      value: `p50 ${ms(app.timelineApiLargerYoungGen.p50)}, p95 ${ms(app.timelineApiLargerYoungGen.p95)}`,
      target: "(p95 < 50 ms)",
      met: "—",
    },
    {
      figure: `4. Module page GET /m/… server render, same module, ${app.modulePage.n} sequential`,
      value: `p50 ${ms(app.modulePage.p50)}, p95 ${ms(app.modulePage.p95)}`,
      target: "—",
      met: "—",
    },
    {
      figure: "4. That module page's first render: the HTML document (markup + inline React payload), uncompressed (gzip)",
      value: `${kb(render.documentBytes)} (${kb(render.documentGzipBytes)})`,
      target: "≤ 300 KB",
      met: yes(render.documentBytes <= 300 * 1024),
    },
    {
      figure: `4. That module page in chromium: navigation to hydrated (median of ${render.runs}; DOMContentLoaded, load, blocking time)`,
      value: `${ms(render.hydratedMs)} (${ms(render.domContentLoadedMs)}, ${ms(render.loadMs)}, TBT ${ms(render.totalBlockingMs)})`,
      target: "—",
      met: "—",
    },
    {
      figure: `4. Demo (npm run demo, 60 h): biggest module ${demo.module} (${demo.versions} versions) in chromium: navigation to hydrated; document size`,
      value: `${ms(demo.hydratedMs)} (TBT ${ms(demo.totalBlockingMs)}); ${kb(demo.documentBytes)}`,
      target: "—",
      met: "—",
    },
    {
      figure: `5. ${load.checks} concurrent first checks of ${load.checks} modules + ${load.reads} concurrent timeline reads: completion`,
      value: `${round(load.completionMs / 1000, 1)} s (checks p50 ${ms(load.checkMs.p50)}, reads p50 ${ms(load.readMs.p50)})`,
      target: "—",
      met: "—",
    },
    {
      figure: "5. Errors during that load (HTTP, and mirror answers recorded as errors)",
      value: `${load.httpErrors} HTTP, ${load.mirrorErrors} mirror`,
      target: "0",
      met: yes(load.httpErrors === 0 && load.mirrorErrors === 0),
    },
    {
      figure: `5. Home page GET / during that load, every 50 ms (${load.home.n} samples; idle p50 ${ms(app.homeIdle.p50)})`,
      value: `p50 ${ms(load.home.p50)}, p95 ${ms(load.home.p95)}, max ${ms(load.home.max)}`,
      target: "p95 ≤ 200 ms",
      met: yes(load.home.p95 <= 200),
    },
    {
      figure: `5. The same, sampled from a process of its own, not the one generating the load (${load.homeApart.n} samples)`,
      value: `p50 ${ms(load.homeApart.p50)}, p95 ${ms(load.homeApart.p95)}, max ${ms(load.homeApart.max)}`,
      target: "p95 ≤ 200 ms",
      met: yes(load.homeApart.p95 <= 200),
    },
    {
      figure: "6. Peak RSS of the server during 5 (process tree)",
      value: `${Math.max(app.memory.peakHwmMb, app.memory.peakSampledMb)} MB`,
      target: "—",
      met: "—",
    },
  ];
}

function probeRows(p: ProbeFiguresResult): Row[] {
  const mb = (bytes: number) => `${round(bytes / 1024 ** 2, 0)} MiB`;
  return [
    {
      figure: `7. Probe of one version over HTTP (POST /api/probes): ${mb(p.wall.zipBytes)} zip, ${p.wall.mirrors} mirrors and the checksum database, every answer +${PROBE_ROUND_TRIP_MS} ms (median of ${p.wall.repetitions})`,
      value: `${ms(p.wall.medianMs)} = ${p.wall.ratio}× the critical path (${p.wall.criticalPathMs} ms: /supported, lookup, tiles)`,
      target: "≤ 1.3×",
      met: yes(p.wall.ratio <= 1.3),
    },
    {
      figure: `7. Server resident memory while ${p.memory.probes} probes of ${mb(p.memory.zipBytes)} zips run at once (${p.memory.probes * 3} zip downloads; took ${round(p.memory.wallMs / 1000, 1)} s)`,
      value: `${p.memory.baselineMb} → ${p.memory.peakMb} MB: +${p.memory.growthMb} MB`,
      target: "< +100 MiB",
      met: yes(p.memory.growthMb < 100 * 1.048576),
    },
    ...p.verify.map(
      (v): Row => ({
        figure: `7. Checksum-database verification of one lookup (signed note, record, tile proof), tree of ${v.treeSize.toLocaleString("en")} records, in-process (${v.runs} runs)`,
        value: `median ${v.medianMs} ms, p95 ${v.p95Ms} ms`,
        target: "—",
        met: "—",
      }),
    ),
  ];
}

function resolutionRows(r: ResolutionFiguresResult): Row[] {
  const perMirror = Object.entries(r.requestsPerMirror);
  const worst = Math.max(...perMirror.map(([, m]) => m.perRequirement));
  return [
    {
      figure: `8. A go.mod of ${r.requirements} requirements over HTTP (POST then GET /api/resolutions), ${r.mirrors} mirrors and the checksum database, every answer +${RESOLUTION_ROUND_TRIP_MS} ms, default caps (${DEFAULT_MIRROR_RPS} requests/s per mirror, 8 probes at once)`,
      value: `${ms(r.wallMs)} = ${r.ratio}× what the cap allows (${ms(r.capAllowedMs)}: ${2 * r.requirements} requests at ${DEFAULT_MIRROR_RPS} per ${(1000 + USER_CAP_GUARD_MS) / 1000} s)`,
      target: "≤ 1.3×",
      met: yes(r.ratio <= 1.3),
    },
    {
      figure: "8. Requests per mirror during it, per requirement (no zips)",
      value: perMirror.map(([name, m]) => `${name} ${m.total} (${m.perRequirement}: ${Object.entries(m.byKind).map(([k, n]) => `${k} ${n}`).join(", ")})`).join("; "),
      target: "≤ 2 per requirement",
      met: yes(worst <= 2),
    },
    {
      figure: `8. GET /api/resolutions/<id> of that finished resolution (median of ${r.read.n} sequential; what the page and the permalink read)`,
      value: `${ms(r.read.medianMs)}, ${round(r.read.bytes / 1024, 0)} KiB`,
      target: "—",
      met: "—",
    },
    {
      figure: "8. Server resident memory during it (process tree)",
      value: `${r.memory.baselineMb} → ${r.memory.peakMb} MB: +${r.memory.growthMb} MB`,
      target: "—",
      met: "—",
    },
  ];
}

function table(list: Row[]): string {
  const header: Row = { figure: "figure", value: "value", target: "target", met: "—" };
  const cells = (r: Row) => [r.figure, r.value, r.target, r === header ? "met?" : r.met];
  const widths = [0, 1, 2, 3].map((i) => Math.max(...[header, ...list].map((r) => [...(cells(r)[i] ?? "")].length)));
  const line = (values: string[]) => `| ${values.map((v, i) => v + " ".repeat((widths[i] ?? 0) - [...v].length)).join(" | ")} |`;
  return [line(cells(header)), line(widths.map((w) => "-".repeat(w))), ...list.map((r) => line(cells(r)))].join("\n");
}

async function main(): Promise<void> {
  const started = Date.now();
  const deadline = setTimeout(() => {
    console.error(`bench: not done after ${DEADLINE_MS / 60_000} min; stopping everything`);
    void cleanUp().finally(() => process.exit(1));
  }, DEADLINE_MS);
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    process.once(signal, () => {
      void cleanUp().finally(() => process.exit(130));
    });
  }
  const dir = mkdtempSync(join(tmpdir(), "mirrorlag-bench-"));
  register(async () => rmSync(dir, { recursive: true, force: true }));
  const loadBefore = loadavg().map((v) => round(v, 2));

  const sim: RemoteSim = await startRemoteSim();
  register(() => sim.close());
  // `npm run bench -- --only=resolutions`: figure 8 alone (about four minutes: the cap sets the pace).
  if (process.argv.includes("--only=resolutions")) {
    console.error("bench: resolutions only …");
    const resolution = await measureResolution(sim, { dir, register });
    console.log(table(resolutionRows(resolution)));
    clearTimeout(deadline);
    return;
  }
  // `npm run bench -- --only=probes`: the version doctor's figures alone (a minute instead of several).
  if (process.argv.includes("--only=probes")) {
    console.error("bench: probes only …");
    const probes = await measureProbes(sim, { dir, repetitions: SETTINGS.probeRepetitions, register });
    console.log(table(probeRows(probes)));
    clearTimeout(deadline);
    return;
  }
  console.error("bench: 1/6 first checks over HTTP against a 100 ms round trip …");
  const first = await measureFirstCheck(sim, { dir, ...SETTINGS.firstCheck, register });
  const latency = await measureCheckLatency(sim, SETTINGS.checkLatency);
  console.error("bench: 2/6 unchanged re-checks at 100 and 2,000 versions …");
  const small = await measureRecheckCost(sim, { dir, versions: 100, rechecks: SETTINGS.rechecks });
  const large = await measureRecheckCost(sim, { dir, versions: 2000, rechecks: SETTINGS.rechecks });
  console.error("bench: 3/6 a year of history, then the built app over HTTP …");
  const app = await measureApp(sim, { dir, timelineRequests: SETTINGS.timelineRequests, pageRequests: SETTINGS.pageRequests, register });
  console.error("bench: 4/6 the demo's biggest module page in chromium …");
  const demo = await measureDemoPage({ dir, register });
  console.error("bench: 5/6 probes of the version doctor …");
  const probes = await measureProbes(sim, { dir, repetitions: SETTINGS.probeRepetitions, register });
  console.error("bench: 6/6 a 500-requirement go.mod (about four minutes: the per-mirror cap sets the pace) …");
  const resolution = await measureResolution(sim, { dir, register });

  const list = [...rows(first, latency, small, large, app, demo), ...probeRows(probes), ...resolutionRows(resolution)];
  const result = {
    generatedAt: new Date().toISOString(),
    machine: { ...machine(), loadAverageBefore: loadBefore, loadAverageAfter: loadavg().map((v) => round(v, 2)) },
    durationSeconds: round((Date.now() - started) / 1000, 0),
    settings: SETTINGS,
    table: list,
    figures: { firstCheck: first, checkLatency: latency, recheck100: small, recheck2000: large, app, demoPage: demo, probes, resolution },
  };
  // Written next to its final name and renamed, so a failed run never leaves half a file (*.tmp is git-ignored).
  mkdirSync("bench/results", { recursive: true });
  writeFileSync("bench/results/latest.json.tmp", `${JSON.stringify(result, null, 2)}\n`);
  renameSync("bench/results/latest.json.tmp", "bench/results/latest.json");

  const m = result.machine;
  console.log(table(list));
  console.log(`\nmachine: ${m.cpus} × ${m.model}, ${m.totalMemoryGb} GB, Node ${m.node}, ${m.os}; load average before ${loadBefore.join(" ")}`);
  console.log(`took ${result.durationSeconds} s; written to bench/results/latest.json`);
  clearTimeout(deadline);
}

try {
  await main();
} catch (error) {
  console.error("bench: failed:", error);
  process.exitCode = 1;
} finally {
  await cleanUp();
}
