import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { expect, test } from "@playwright/test";
import { startRemoteSim } from "../bench/remote-sim";
import type { RemoteSim } from "../bench/remote-sim";
import { exited, startAppProcess, waitForApp } from "./support/app-process";
import type { AppProcess } from "./support/app-process";
import { requestFrom, statusCounts } from "./support/loopback-client";

/*
 * Abuse suite (issue 9/11): a burst of 1,000 checks of made-up module paths from 50 real loopback addresses, sent in
 * waves of 25 every half second for 20 s (100 requests a second per mirror wanted, ten times the cap). The figures it must
 * hold: no mirror receives more than USER_MIRROR_RPS requests in any second, whatever the burst; excess work is
 * refused at once (503 with Retry-After) or by the client's own limit (429); not one made-up path is watched or
 * suggested; another client's reads are served throughout.
 */

const PORT = 3120;
const USER_MIRROR_RPS = 10;
const LIMIT = 15;
const CLIENTS = 50;
const PER_CLIENT = 20;
const WAVES = 40;
const KNOWN = "github.com/abuse-test/known";
const MIRRORS = ["ref", "cn", "cn2"];

let sim: RemoteSim;
let app: AppProcess;
let dir: string;

/**
 * The most requests one mirror received in any one second (arrival times on the wall clock); the window is 980 ms so
 * that two requests started a second apart but a few milliseconds apart in transit still count as a second apart.
 */
function peakPerSecond(times: number[]): number {
  const sorted = [...times].sort((a, b) => a - b);
  let peak = 0;
  for (let i = 0, j = 0; i < sorted.length; i++) {
    while ((sorted[i] ?? 0) - (sorted[j] ?? 0) >= 980) j++;
    peak = Math.max(peak, i - j + 1);
  }
  return peak;
}

test.beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "mirrorlag-abuse-burst-"));
  // In its own process, on the wall clock: arrival times are not bunched by this process's burst of 1,000 requests.
  sim = await startRemoteSim();
  const started = await sim.start(
    {
      start: new Date(),
      reference: "ref",
      modules: [{ path: KNOWN, versions: [{ version: "v1.0.0", time: "2026-02-01T00:00:00Z", gomod: `module ${KNOWN}\n\ngo 1.21\n` }] }],
      mirrors: [
        { name: "ref", style: "proxy.golang.org" },
        { name: "cn", style: "goproxy" },
        { name: "cn2", style: "goproxy" },
      ],
    },
    "wall",
  );
  app = startAppProcess(PORT, {
    MIRRORS: started.mirrorsEnv,
    REFERENCE_MIRROR: "ref",
    SUMDB: "off",
    DATABASE_PATH: join(dir, "abuse-burst.db"),
    RATE_LIMIT_PER_MINUTE: String(LIMIT),
    USER_MIRROR_RPS: String(USER_MIRROR_RPS),
    USER_QUEUE_SECONDS: "3",
    // The peer is the client, as `npm start` runs.
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

test("a burst of 1,000 checks of made-up paths: the mirrors never hear more than the cap, nothing made up is watched", async () => {
  test.setTimeout(120_000);
  // A module some mirror serves exists before the burst, so the reader has a page and a timeline to read.
  expect((await requestFrom("127.0.0.2", PORT, "POST", "/api/checks", { module: KNOWN })).status).toBe(200);
  await sim.clearLog();

  const clients = Array.from({ length: CLIENTS }, (_, i) => `127.0.1.${10 + i}`);
  const check = (from: string, n: number) => requestFrom(from, PORT, "POST", "/api/checks", { module: `example.com/made-up/${from.replaceAll(".", "-")}/m${n}` });
  const started = Date.now();
  const answers: Awaited<ReturnType<typeof check>>[] = [];
  const burst = (async () => {
    const total = CLIENTS * PER_CLIENT;
    const perWave = total / WAVES;
    const inFlight: Promise<void>[] = [];
    // Check i comes from client i mod CLIENTS: every wave mixes clients, and each client sends PER_CLIENT in all.
    for (let i = 0; i < total; i++) {
      const from = clients[i % CLIENTS] ?? "";
      inFlight.push(check(from, Math.floor(i / CLIENTS)).then((a) => void answers.push(a)));
      if ((i + 1) % perWave === 0) await new Promise((resolve) => setTimeout(resolve, 500));
    }
    await Promise.all(inFlight);
  })();
  // Another client reads pages and the API for as long as the burst runs, at a person's pace (four reads a second).
  let bursting = true;
  void burst.then(
    () => (bursting = false),
    () => (bursting = false),
  );
  const reads: { status: number; ms: number }[] = [];
  const reading = (async () => {
    while (bursting) {
      for (const path of ["/", `/m/${KNOWN}`, `/api/modules/${KNOWN}`, "/api/suggest?q=abuse"]) {
        const t0 = Date.now();
        const { status } = await requestFrom("127.0.0.90", PORT, "GET", path);
        reads.push({ status, ms: Date.now() - t0 });
      }
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
  })();
  await Promise.all([burst, reading]);
  const seconds = (Date.now() - started) / 1000;

  const statuses = answers.map((a) => a.status);
  // The burst's own requests: the known module's commit-time look-up, on the poller's separate cap, may land in it too.
  const arrivals = await sim.arrivals();
  const burstArrivals = (m: string) => (arrivals[m] ?? []).filter((a) => a.module?.startsWith("example.com/made-up/")).map((a) => a.at);
  const peaks = Object.fromEntries(MIRRORS.map((m) => [m, peakPerSecond(burstArrivals(m))]));
  const requests = Object.fromEntries(MIRRORS.map((m) => [m, (arrivals[m] ?? []).length]));
  const db = new Database(join(dir, "abuse-burst.db"), { readonly: true });
  const modules = db.prepare("SELECT count(*) AS n, coalesce(sum(watched), 0) AS watched FROM modules").get() as { n: number; watched: number };
  db.close();
  const suggested = JSON.parse((await requestFrom("127.0.0.91", PORT, "GET", "/api/suggest?q=made-up")).body) as unknown;
  const readMs = reads.map((r) => r.ms).sort((a, b) => a - b);
  const figures = {
    checks: statuses.length,
    statuses: statusCounts(statuses),
    seconds: Number(seconds.toFixed(1)),
    mirrorRequests: requests,
    peakRequestsPerSecond: peaks,
    limitPerSecond: USER_MIRROR_RPS,
    modulesStored: modules.n,
    modulesWatched: modules.watched,
    reader: { statuses: statusCounts(reads.map((r) => r.status)), medianMs: readMs[Math.floor(readMs.length / 2)], maxMs: readMs[readMs.length - 1] },
  };
  console.log(`abuse: 1,000 made-up checks: ${JSON.stringify(figures)}`);

  expect(statuses).toHaveLength(CLIENTS * PER_CLIENT);
  // Every answer is one of the three, and the refusals say when to come back.
  expect(statuses.every((s) => s === 200 || s === 429 || s === 503)).toBe(true);
  for (const a of answers.filter((x) => x.status === 503)) {
    expect(Number(a.headers["retry-after"])).toBeGreaterThanOrEqual(1);
    expect((JSON.parse(a.body) as { error: string }).error).toMatch(/^busy: the mirrors already have 3 s of requests from this instance queued \(at most 10 a second each\); retry in \d+ s$/);
  }
  // The client's own limit still holds: no address got more than LIMIT checks run.
  const okPerClient = new Map<string, number>();
  for (const a of answers) {
    if (a.status !== 200) continue;
    // The path names its client: example.com/made-up/<address>/m<n>.
    const client = (JSON.parse(a.body) as { check: { module: string } }).check.module.split("/")[2] ?? "";
    okPerClient.set(client, (okPerClient.get(client) ?? 0) + 1);
  }
  expect(Math.max(...okPerClient.values())).toBeLessThanOrEqual(LIMIT);
  // The budget was the bound, not the clients: work was refused, and yet the mirrors were kept busy.
  expect(statuses.filter((s) => s === 503).length).toBeGreaterThan(0);
  expect(statuses.filter((s) => s === 200).length).toBeGreaterThan(0);
  for (const m of MIRRORS) expect(peaks[m] ?? 0, m).toBeLessThanOrEqual(USER_MIRROR_RPS);
  // Made-up paths are stored with their evidence, but no mirror served them: none is watched, none suggested.
  expect(modules.n).toBe(1 + statuses.filter((s) => s === 200).length);
  expect(modules.watched).toBe(1);
  expect(suggested).toEqual({ modules: [] });
  // The reader was served throughout.
  expect(reads.every((r) => r.status === 200)).toBe(true);
});
