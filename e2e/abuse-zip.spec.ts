import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect, test } from "@playwright/test";
import { startMirrorSim } from "./mirror-sim";
import type { MirrorSim } from "./mirror-sim";
import { exited, startAppProcess, waitForApp } from "./support/app-process";
import type { AppProcess } from "./support/app-process";
import { requestFrom, statusCounts } from "./support/loopback-client";
import { seededRandom } from "./support/seeded-random";

/*
 * Abuse suite (issue 9/11): a burst of probes of one module whose zip is 10 MiB, from 20 real loopback addresses at
 * once. The figures it must hold: each client gets its own per-minute budget and no more; the mirrors send the zip
 * once each, not once per request; the app's memory does not grow with the burst; a reader is served throughout.
 */

const PORT = 3119;
const LIMIT = 5;
const CLIENTS = 20;
const PER_CLIENT = LIMIT + 1;
const MODULE = "github.com/abuse-test/bigzip";
const MiB = 1024 * 1024;

let sim: MirrorSim;
let app: AppProcess;
let dir: string;

/** Base64 of seeded random bytes: deflate leaves it at ¾ of its length, so the zip is about `zipBytes`. */
function incompressibleText(zipBytes: number): string {
  const random = seededRandom(9);
  const bytes = Buffer.alloc(Math.ceil((zipBytes * 4) / 3 / 4) * 3);
  for (let i = 0; i < bytes.length; i++) bytes[i] = Math.floor(random() * 256);
  return bytes.toString("base64");
}

/** Resident memory of a process in bytes: now and its high-water mark since it started (Linux /proc). */
function memoryOf(pid: number): { rss: number; peak: number } {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const kib = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, "m").exec(status)?.[1] ?? NaN) * 1024;
  return { rss: kib("VmRSS"), peak: kib("VmHWM") };
}

/** Resets the process's high-water mark to its current RSS (clear_refs "5"), so the peak measured is the burst's. */
function resetPeak(pid: number): void {
  writeFileSync(`/proc/${pid}/clear_refs`, "5");
}

test.beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "mirrorlag-abuse-zip-"));
  sim = await startMirrorSim({
    start: new Date("2026-03-01T10:00:00Z"),
    reference: "ref",
    sumdb: {},
    modules: [
      {
        path: MODULE,
        versions: [{ version: "v1.0.0", time: "2026-02-01T00:00:00Z", gomod: `module ${MODULE}\n\ngo 1.21\n`, files: { "blob.txt": incompressibleText(10 * MiB) } }],
      },
    ],
    mirrors: [
      { name: "ref", style: "proxy.golang.org" },
      { name: "cn", style: "goproxy" },
    ],
  });
  if (!sim.sumdb) throw new Error("the scenario has a checksum database");
  // The peer is the client (TRUST_PROXY off, as `npm start` runs); a probe reused for 30 s, as by default.
  app = startAppProcess(PORT, {
    MIRRORS: sim.mirrorsEnv,
    REFERENCE_MIRROR: "ref",
    SUMDB: sim.sumdb.gosumdb,
    DATABASE_PATH: join(dir, "abuse-zip.db"),
    RATE_LIMIT_PER_MINUTE: String(LIMIT),
    MIN_RECHECK_SECONDS: "30",
    TRUST_PROXY: "",
  });
  await waitForApp(app);
});

test.afterAll(async () => {
  app.child.kill("SIGTERM");
  await exited(app.child);
  await sim.close();
  rmSync(dir, { recursive: true, force: true });
});

test("a burst of probes of one 10 MiB zip: per-client budgets hold, each mirror sends the zip once, memory stays flat", async () => {
  test.setTimeout(120_000);
  expect(sim.zipFor(MODULE, "v1.0.0").length).toBeGreaterThan(10 * MiB);
  const pid = app.child.pid;
  if (pid === undefined) throw new Error("the app has a pid");
  // The module exists before the burst, so the reader below has a timeline to read.
  expect((await requestFrom("127.0.0.2", PORT, "POST", "/api/checks", { module: MODULE })).status).toBe(200);
  sim.clearLog();
  resetPeak(pid);
  const before = memoryOf(pid);

  const probe = (from: string) => requestFrom(from, PORT, "POST", "/api/probes", { module: MODULE, version: "v1.0.0", fetch: true });
  const clients = Array.from({ length: CLIENTS }, (_, i) => `127.0.0.${10 + i}`);
  const started = Date.now();
  const burst = Promise.all(clients.flatMap((from) => Array.from({ length: PER_CLIENT }, () => probe(from))));
  // Another client reads while the burst runs.
  const readerStatuses: number[] = [];
  const reading = (async () => {
    for (let i = 0; i < 5; i++) readerStatuses.push((await requestFrom("127.0.0.90", PORT, "GET", `/api/modules/${MODULE}`)).status);
  })();
  const [answers] = await Promise.all([burst, reading]);
  const seconds = (Date.now() - started) / 1000;

  const statuses = answers.map((a) => a.status);
  const zipRequests = Object.fromEntries(["ref", "cn"].map((m) => [m, sim.log(m).filter((e) => e.kind === "zip").length]));
  const after = memoryOf(pid);
  const figures = {
    requests: statuses.length,
    statuses: statusCounts(statuses),
    seconds: Number(seconds.toFixed(1)),
    zipRequestsPerMirror: zipRequests,
    rssBeforeMiB: Math.round(before.rss / MiB),
    rssAfterMiB: Math.round(after.rss / MiB),
    peakGrowthMiB: Math.round((after.peak - before.rss) / MiB),
    reader: statusCounts(readerStatuses),
  };
  console.log(`abuse: 10 MiB zip probe burst: ${JSON.stringify(figures)}`);

  // Each client: its budget, then 429 with Retry-After.
  expect(statuses.filter((s) => s === 200)).toHaveLength(CLIENTS * LIMIT);
  expect(statuses.filter((s) => s === 429)).toHaveLength(CLIENTS * (PER_CLIENT - LIMIT));
  for (const a of answers.filter((x) => x.status === 429)) expect(Number(a.headers["retry-after"])).toBeGreaterThanOrEqual(1);
  // One zip download per mirror: concurrent probes join the running one, later ones reuse it.
  expect(zipRequests).toEqual({ ref: 1, cn: 1 });
  // The zip is streamed to a file and hashed from there: the burst may not cost memory in proportion to its size.
  expect(after.peak - before.rss).toBeLessThan(100 * MiB);
  expect(readerStatuses).toEqual([200, 200, 200, 200, 200]);
  // Every 200 is the same probe, with the zip's hash checked against the checksum database.
  const ids = new Set(answers.filter((a) => a.status === 200).map((a) => (JSON.parse(a.body) as { probe: { id: number } }).probe.id));
  expect(ids.size).toBe(1);
});
