import { join } from "node:path";
import { createSqliteStore, migrateDatabase, openDatabase } from "@/db/sqlite";
import { createService, parseConfig } from "@/lib/server";
import { startApp, watchMemory } from "./app-server";
import { measurePageRender } from "./page-render";
import type { PageRenderResult } from "./page-render";
import type { AppServer } from "./app-server";
import { sampleEvery, sampleEveryApart, sequential, timedFetch } from "./http-load";
import type { RemoteSim } from "./remote-sim";
import { databaseBytes } from "./recheck-cost";
import { benchModule } from "./sim-modules";
import { round, summarise } from "./stats";
import { synthesiseYear, YEAR_CHECKS } from "./synth-year";
import type { SynthResult } from "./synth-year";

export const YEAR_MODULE = "example.com/bench/year";
const MIRRORS: [string, string, string] = ["mirror-a", "mirror-b", "ref"];
const LOAD_MODULES = 50;
const LOAD_VERSIONS = 50;
const LOAD_READS = 200;
export const LARGER_YOUNG_GENERATION = ["--max-semi-space-size=64"];
const fresh = (i: number) => `example.com/bench/load/fresh${String(i).padStart(2, "0")}`;
const warm = (i: number) => `example.com/bench/load/warm${String(i).padStart(2, "0")}`;

type Latency = { n: number; p50: number; p95: number; max: number };

export type AppFiguresResult = {
  year: SynthResult & { databaseBytes: number };
  timelineApi: Latency & { bytes: number; encoding: string | null };
  timelineApiUncached: Latency;
  /** The same requests to a server whose V8 young generation is larger (a deployment flag, not a code change). */
  timelineApiLargerYoungGen: Latency & { nodeArgs: string[] };
  modulePage: Latency & { bytes: number; encoding: string | null };
  /** The year module's page in a browser: document size and time to interactive. */
  modulePageRender: PageRenderResult;
  homeIdle: Latency;
  load: {
    checks: number;
    reads: number;
    completionMs: number;
    httpErrors: number;
    mirrorErrors: number;
    checkMs: Latency;
    readMs: Latency;
    home: Latency & { errors: number };
    /** The same, sampled from a process of its own instead of the one generating the load. */
    homeApart: Latency & { errors: number };
  };
  memory: { peakSampledMb: number; peakHwmMb: number; samples: number };
};

/**
 * Figures 4 to 6, against the built app over HTTP: a year of history for one 2,000-version module written
 * straight into the database, 50 modules checked once beforehand (the reads of figure 5 hit them) and 50 never
 * checked (figure 5 checks them for the first time, the heaviest kind of check), all on the simulator.
 */
export async function measureApp(
  sim: RemoteSim,
  options: { dir: string; timelineRequests: number; pageRequests: number; register: (stop: () => Promise<void>) => void },
): Promise<AppFiguresResult> {
  const started = await sim.start({
    reference: "ref",
    modules: Array.from({ length: LOAD_MODULES }, (_, i) => [benchModule(fresh(i), LOAD_VERSIONS, new Date()), benchModule(warm(i), LOAD_VERSIONS, new Date())]).flat(),
    mirrors: [
      { name: MIRRORS[0], style: "goproxy" },
      { name: MIRRORS[1], style: "goproxy" },
      { name: MIRRORS[2], style: "proxy.golang.org" },
    ],
  });
  const env = {
    MIRRORS: started.mirrorsEnv,
    REFERENCE_MIRROR: "ref",
    DATABASE_PATH: join(options.dir, "app.db"),
    REQUEST_TIMEOUT_MS: "10000",
    // Retention would start folding the synthetic year's old outcome rows 60 s after start, in the middle of the
    // measurements. Timelines read no old outcome rows, so the uncompacted year is the conservative case.
    RETENTION_DAYS: "36500",
  };

  const db = openDatabase(env.DATABASE_PATH);
  let year: AppFiguresResult["year"];
  try {
    migrateDatabase(db);
    const synth = synthesiseYear(db, { module: YEAR_MODULE, mirrors: MIRRORS, versions: 2000, checks: YEAR_CHECKS, end: new Date(Date.now() - 60_000) });
    const service = createService({ store: createSqliteStore(db), config: parseConfig({ ...env, MIN_RECHECK_SECONDS: "0", RATE_LIMIT_PER_MINUTE: "0" }), clock: () => new Date() });
    for (let i = 0; i < LOAD_MODULES; i++) await service.runCheck(warm(i), { trigger: "api" });
    await service.checker.idle();
    year = { ...synth, databaseBytes: databaseBytes(db) };
  } finally {
    db.$client.close();
  }

  let app: AppServer | undefined;
  try {
    app = await startApp(env);
    const running = app;
    options.register(() => running.stop());
    const base = app.baseUrl;

    // Figure 4: sequential requests after a warm-up, so each one measures the query, not JIT compilation.
    // Repeated reads of the live timeline are served from the per-check cache after the first; reads that walk
    // 100 different `?at=` checks (more than the cache holds) derive every answer from the database.
    const api = await sequential(`${base}/api/modules/${YEAR_MODULE}`, { warmup: 20, count: options.timelineRequests });
    const checkIds = ((await (await fetch(`${base}/api/modules/${YEAR_MODULE}`)).json()) as { checks: { id: number }[] }).checks.map((c) => c.id);
    const atUrl = (i: number) => `${base}/api/modules/${YEAR_MODULE}?at=${checkIds[i % checkIds.length] ?? 1}`;
    const apiUncached = await sequential(atUrl, { warmup: 20, count: options.timelineRequests });
    const page = await sequential(`${base}/m/${YEAR_MODULE}`, { warmup: 5, count: options.pageRequests });
    const homeIdle = await sequential(`${base}/`, { warmup: 3, count: 20 });
    const pageRender = await measurePageRender(base, `/m/${YEAR_MODULE}`);

    // Figures 5 and 6: everything at once, the home page sampled meanwhile, memory watched throughout.
    const memory = watchMemory(app.pid);
    const home = sampleEvery(`${base}/`, 50);
    const homeApart = await sampleEveryApart(`${base}/`, 50);
    const loadStarted = performance.now();
    const checks = Array.from({ length: LOAD_MODULES }, (_, i) =>
      timedFetch(`${base}/api/checks`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ module: fresh(i) }) }, true),
    );
    const reads = Array.from({ length: LOAD_READS }, (_, i) => timedFetch(`${base}/api/modules/${warm(i % LOAD_MODULES)}`));
    const [checkResults, readResults] = await Promise.all([Promise.all(checks), Promise.all(reads)]);
    const completionMs = performance.now() - loadStarted;
    const homeLoad = await home.stop();
    const homeApartLoad = await homeApart.stop();
    const peak = memory.stop();
    await app.stop();

    // What one V8 flag does to figure 4: a request allocates a few MB, and most of its tail is young-generation GC.
    app = await startApp(env, { nodeArgs: LARGER_YOUNG_GENERATION });
    const tuned = app;
    options.register(() => tuned.stop());
    const tunedUrl = (i: number) => `${tuned.baseUrl}/api/modules/${YEAR_MODULE}?at=${checkIds[i % checkIds.length] ?? 1}`;
    const apiTuned = await sequential(tunedUrl, { warmup: 20, count: options.timelineRequests });

    let mirrorErrors = 0;
    for (const r of checkResults) {
      if (r.status !== 200 || !r.body) continue;
      const body = JSON.parse(r.body) as { check?: { mirrors?: Record<string, { outcome: string }> } };
      mirrorErrors += Object.values(body.check?.mirrors ?? {}).filter((m) => m.outcome !== "ok").length;
    }
    const httpErrors = [...checkResults, ...readResults].filter((r) => r.status !== 200).length;
    const failures = [...checkResults, ...readResults].filter((r) => r.status !== 200).slice(0, 3);
    if (failures.length > 0) console.error("bench: failed requests during the load:", failures.map((f) => `${f.status} ${f.error ?? f.body ?? ""}`.slice(0, 200)));

    return {
      year,
      timelineApi: { ...summarise(api.ms), bytes: api.bytes, encoding: api.encoding },
      timelineApiUncached: summarise(apiUncached.ms),
      timelineApiLargerYoungGen: { ...summarise(apiTuned.ms), nodeArgs: LARGER_YOUNG_GENERATION },
      modulePage: { ...summarise(page.ms), bytes: page.bytes, encoding: page.encoding },
      modulePageRender: pageRender,
      homeIdle: summarise(homeIdle.ms),
      load: {
        checks: LOAD_MODULES,
        reads: LOAD_READS,
        completionMs: round(completionMs, 0),
        httpErrors,
        mirrorErrors,
        checkMs: summarise(checkResults.map((r) => r.ms)),
        readMs: summarise(readResults.map((r) => r.ms)),
        home: { ...summarise(homeLoad.ms), errors: homeLoad.errors },
        homeApart: { ...summarise(homeApartLoad.ms), errors: homeApartLoad.errors },
      },
      memory: peak,
    };
  } finally {
    await app?.stop();
    await sim.stopMirrors();
  }
}
