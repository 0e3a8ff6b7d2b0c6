import { join } from "node:path";
import { openDatabase } from "@/db/sqlite";
import type { Db } from "@/db/sqlite";
import { createSimClock } from "@/e2e/mirror-sim";
import { createTestService } from "@/e2e/support/test-service";
import type { RemoteSim } from "./remote-sim";
import { benchModule } from "./sim-modules";
import { round } from "./stats";

export type RecheckCostResult = {
  versions: number;
  rechecks: number;
  /** Requests each mirror received per unchanged re-check (from the simulator's log). */
  requestsPerRecheck: Record<string, number>;
  bytesBefore: number;
  bytesAfter: number;
  bytesPerRecheck: number;
  recheckMsMean: number;
};

const T0 = new Date("2026-03-01T12:00:00Z");

/** The database file's size with everything in it: the WAL folded back in and truncated first. */
export function databaseBytes(db: Db): number {
  db.$client.pragma("wal_checkpoint(TRUNCATE)");
  const pages = db.$client.pragma("page_count", { simple: true }) as number;
  const size = db.$client.pragma("page_size", { simple: true }) as number;
  return pages * size;
}

/**
 * Figures 2 and 3: a module with `versions` versions is checked once, then re-checked `rechecks` times ten
 * simulated minutes apart with nothing changed. Counts what each re-check costs the mirrors and the database.
 */
export async function measureRecheckCost(sim: RemoteSim, options: { dir: string; versions: number; rechecks: number }): Promise<RecheckCostResult> {
  const modulePath = `example.com/bench/recheck${options.versions}`;
  const clock = createSimClock(T0);
  const started = await sim.start({
    start: T0,
    reference: "ref",
    modules: [benchModule(modulePath, options.versions, T0)],
    mirrors: [
      { name: "mirror-a", style: "goproxy" },
      { name: "mirror-b", style: "goproxy" },
      { name: "ref", style: "proxy.golang.org" },
    ],
  });
  const db = openDatabase(join(options.dir, `recheck-${options.versions}.db`));
  try {
    const { service } = createTestService({ mirrorsEnv: started.mirrorsEnv, reference: "ref", clock: clock.now, db });
    await service.runCheck(modulePath, { trigger: "api" });
    // The first check's .info look-ups are part of the first check, not of the re-checks measured next.
    await service.checker.idle();
    const bytesBefore = databaseBytes(db);
    await sim.clearLog();
    const t0 = performance.now();
    for (let i = 0; i < options.rechecks; i++) {
      clock.advance(10 * 60_000);
      const { check } = await service.runCheck(modulePath, { trigger: "poll" });
      if (Object.values(check.mirrors).some((m) => m.outcome !== "ok")) throw new Error(`figure 3: re-check ${i} had a failing mirror`);
    }
    const elapsed = performance.now() - t0;
    await service.checker.idle();
    const bytesAfter = databaseBytes(db);
    const counts = await sim.counts();
    const requestsPerRecheck: Record<string, number> = {};
    for (const mirror of started.mirrors) {
      const total = Object.values(counts[mirror.name] ?? {}).reduce((sum, n) => sum + n, 0);
      requestsPerRecheck[mirror.name] = round(total / options.rechecks, 2);
    }
    return {
      versions: options.versions,
      rechecks: options.rechecks,
      requestsPerRecheck,
      bytesBefore,
      bytesAfter,
      bytesPerRecheck: round((bytesAfter - bytesBefore) / options.rechecks, 0),
      recheckMsMean: round(elapsed / options.rechecks, 2),
    };
  } finally {
    db.$client.close();
    await sim.stopMirrors();
  }
}
