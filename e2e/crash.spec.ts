import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect, test } from "@playwright/test";
import Database from "better-sqlite3";
import { startMirrorSim } from "./mirror-sim";
import type { MirrorSim, Scenario } from "./mirror-sim";
import { exited, startAppProcess, waitForApp } from "./support/app-process";
import type { AppProcess } from "./support/app-process";

/*
 * Crash safety: a second app server on its own database and its own simulated mirrors (one answers 300 ms late,
 * so checks are in flight) is SIGKILLed in the middle of a stream of checks, then restarted on the same file.
 */

const PORT = 3108;
const BASE = `http://localhost:${PORT}`;
const startApp = (sim: MirrorSim, databasePath: string, output: string[]): AppProcess =>
  // No outbound budget for user work: the stream of checks must be in flight at the kill, not queued for slots.
  startAppProcess(PORT, { MIRRORS: sim.mirrorsEnv, REFERENCE_MIRROR: "ref", DATABASE_PATH: databasePath, USER_MIRROR_RPS: "0" }, output);
const MODULES = Array.from({ length: 24 }, (_, i) => `github.com/crash-test/mod${i}`);
const MIRRORS = ["fast", "slow", "ref"];

function scenario(): Scenario {
  const gomod = (path: string) => `module ${path}\n\ngo 1.21\n`;
  return {
    start: new Date("2026-03-01T10:00:00Z"),
    reference: "ref",
    modules: MODULES.map((path) => ({
      path,
      versions: ["v1.0.0", "v1.1.0", "v1.2.0"].map((version, i) => ({ version, time: `2026-02-0${i + 1}T00:00:00Z`, gomod: gomod(path) })),
    })),
    mirrors: [
      { name: "fast", style: "goproxy" },
      { name: "slow", style: "goproxy", faults: [{ effect: { type: "latency", ms: 300 } }] },
      { name: "ref", style: "proxy.golang.org" },
    ],
  };
}

type DbReport = { integrity: string; checks: number; maxCheckId: number; incomplete: number[]; dangling: number; ids: Set<number> };

/** Opens the file the way a fresh process would (recovering the WAL) and reports what a reader can see. */
function inspect(databasePath: string): DbReport {
  const db = new Database(databasePath);
  try {
    const integrity = (db.pragma("integrity_check", { simple: true }) as string) ?? "";
    const ids = new Set((db.prepare("select id from checks").all() as { id: number }[]).map((r) => r.id));
    // A check with fewer or more outcome rows than mirrors would be a half-written check.
    const incomplete = (
      db
        .prepare("select c.id as id from checks c left join check_outcomes o on o.check_id = c.id group by c.id having count(o.check_id) <> ?")
        .all(MIRRORS.length) as { id: number }[]
    ).map((r) => r.id);
    const dangling =
      (db.prepare("select count(*) as n from check_outcomes o where not exists (select 1 from checks c where c.id = o.check_id)").get() as { n: number }).n +
      (db.prepare("select count(*) as n from listings l where not exists (select 1 from checks c where c.id = l.from_check_id)").get() as { n: number }).n +
      (db.prepare("select count(*) as n from gomod_states s where not exists (select 1 from checks c where c.id = s.from_check_id)").get() as { n: number }).n;
    return { integrity, checks: ids.size, maxCheckId: Math.max(0, ...ids), incomplete, dangling, ids };
  } finally {
    db.close();
  }
}

test("SIGKILL in the middle of checks: the database opens intact, no half-written check, checking resumes", async () => {
  test.setTimeout(120_000);
  const dir = mkdtempSync(join(tmpdir(), "mirrorlag-crash-"));
  const databasePath = join(dir, "crash.db");
  const sim = await startMirrorSim(scenario());
  const output: string[] = [];
  let app: AppProcess | undefined;
  try {
    app = startApp(sim, databasePath, output);
    await waitForApp(app);

    // A steady stream of checks, each in flight for 600 ms or more (the slow mirror's list/latest, then go.mod).
    const answered: number[] = [];
    let failed = 0;
    const inFlight: Promise<void>[] = [];
    const started = Date.now();
    let killed = false;
    for (let i = 0; !killed; i++) {
      const target = MODULES[i % MODULES.length] ?? "";
      inFlight.push(
        fetch(`${BASE}/api/checks`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ module: target }) })
          .then(async (res) => {
            if (res.status !== 200) throw new Error(`status ${res.status}`);
            answered.push(((await res.json()) as { check: { id: number } }).check.id);
          })
          .catch(() => {
            failed++;
          }),
      );
      await new Promise((resolve) => setTimeout(resolve, 15));
      if (Date.now() - started > 1500) {
        app.child.kill("SIGKILL");
        killed = true;
      }
    }
    await exited(app.child);
    await Promise.all(inFlight);
    expect(answered.length, "some checks completed before the kill").toBeGreaterThan(0);
    expect(failed, "some checks were cut off by the kill").toBeGreaterThan(0);

    const afterCrash = inspect(databasePath);
    expect(afterCrash.integrity).toBe("ok");
    expect(afterCrash.incomplete).toEqual([]);
    expect(afterCrash.dangling).toBe(0);
    // Every check the server confirmed was committed before it answered: none may be lost.
    for (const id of answered) expect(afterCrash.ids.has(id), `confirmed check ${id}`).toBe(true);

    app = startApp(sim, databasePath, output);
    await waitForApp(app);
    const target = MODULES[0] ?? "";
    const res = await fetch(`${BASE}/api/checks`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ module: target }) });
    expect(res.status).toBe(200);
    const { check } = (await res.json()) as { check: { id: number; mirrors: Record<string, { outcome: string }> } };
    expect(check.id).toBeGreaterThan(afterCrash.maxCheckId);
    expect(Object.fromEntries(Object.entries(check.mirrors).map(([m, o]) => [m, o.outcome]))).toEqual({ fast: "ok", slow: "ok", ref: "ok" });
    const timeline = await fetch(`${BASE}/api/modules/${target}`);
    expect(timeline.status).toBe(200);
    expect(((await timeline.json()) as { latest: Record<string, string> }).latest).toEqual({ fast: "v1.2.0", slow: "v1.2.0", ref: "v1.2.0" });

    app.child.kill("SIGTERM");
    await Promise.race([exited(app.child), new Promise((resolve) => setTimeout(resolve, 5000))]);
    const afterRestart = inspect(databasePath);
    expect(afterRestart.integrity).toBe("ok");
    expect(afterRestart.incomplete).toEqual([]);
    expect(afterRestart.ids.has(check.id)).toBe(true);
  } finally {
    if (app && app.child.exitCode === null && app.child.signalCode === null) {
      app.child.kill("SIGKILL");
      await exited(app.child);
    }
    await sim.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
