import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect, test } from "@playwright/test";
import Database from "better-sqlite3";
import { startMirrorSim } from "./mirror-sim";
import type { Scenario } from "./mirror-sim";
import { exited, startAppProcess, waitForApp } from "./support/app-process";

/*
 * SIGTERM while a check is in flight (one mirror answers 1.5 s late) and the poller runs: the server stops the
 * poller, lets the check finish and answer, records it, closes the database and exits 0.
 */

const PORT = 3109;
const MODULE = "github.com/shutdown-test/mod";

function scenario(): Scenario {
  const gomod = `module ${MODULE}\n\ngo 1.21\n`;
  return {
    start: new Date("2026-03-01T10:00:00Z"),
    reference: "ref",
    modules: [{ path: MODULE, versions: [{ version: "v1.0.0", time: "2026-02-01T00:00:00Z", gomod }] }],
    mirrors: [
      { name: "slow", style: "goproxy", faults: [{ effect: { type: "latency", ms: 1500 } }] },
      { name: "ref", style: "proxy.golang.org" },
    ],
  };
}

test("SIGTERM mid-check: the poller stops, the running check finishes and is recorded, the database closes, exit 0", async () => {
  test.setTimeout(60_000);
  const dir = mkdtempSync(join(tmpdir(), "mirrorlag-shutdown-"));
  const databasePath = join(dir, "shutdown.db");
  const sim = await startMirrorSim(scenario());
  const app = startAppProcess(PORT, { MIRRORS: sim.mirrorsEnv, REFERENCE_MIRROR: "ref", DATABASE_PATH: databasePath, POLL_INTERVAL_SECONDS: "600" });
  try {
    await waitForApp(app);
    const answer = fetch(`${app.baseUrl}/api/checks`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ module: MODULE }) });
    await new Promise((resolve) => setTimeout(resolve, 400));
    const signalledAt = Date.now();
    app.child.kill("SIGTERM");

    const response = await answer;
    expect(response.status).toBe(200);
    const { check } = (await response.json()) as { check: { id: number; mirrors: Record<string, { outcome: string }> } };
    expect(check.mirrors.slow?.outcome).toBe("ok");
    const { code, signal } = await exited(app.child);
    expect({ code, signal }).toEqual({ code: 0, signal: null });
    expect(Date.now() - signalledAt).toBeLessThan(15_000);
    const output = app.output.join("");
    expect(output).toContain("mirrorlag: SIGTERM: stopping the poller and finishing running checks");
    expect(output).toMatch(/mirrorlag: stopped in \d+ ms; every running check was recorded/);

    const db = new Database(databasePath, { readonly: true });
    try {
      expect(db.pragma("integrity_check", { simple: true })).toBe("ok");
      expect((db.prepare("select count(*) as n from check_outcomes where check_id = ?").get(check.id) as { n: number }).n).toBe(2);
    } finally {
      db.close();
    }
  } finally {
    if (app.child.exitCode === null && app.child.signalCode === null) {
      app.child.kill("SIGKILL");
      await exited(app.child);
    }
    await sim.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
