import { rmSync } from "node:fs";
import { migrateDatabase, openDatabase } from "@/db/sqlite";
import { parseConfig } from "@/lib/server";
import { startMirrorSim, wallClock } from "../mirror-sim";
import type { MirrorSim } from "../mirror-sim";
import { DEMO_REFERENCE, demoScenario } from "../mirror-sim/scenarios/demo";
import { fillHistory } from "./fill-history";

export type SimWithHistory = {
  sim: MirrorSim;
  /** The environment the app needs to read this database and ask these mirrors. */
  env: Record<string, string>;
  modules: string[];
  checks: number;
  seconds: number;
};

/**
 * The demo scenario's mirrors, on a wall clock, with `historyHours` of polling replayed into a fresh database
 * at `databasePath`. Afterwards the simulator follows real time, so what the app sees keeps changing.
 */
export async function startSimWithHistory(options: { databasePath: string; historyHours: number; stepSeconds?: number; env?: Record<string, string> }): Promise<SimWithHistory> {
  for (const suffix of ["", "-wal", "-shm"]) rmSync(`${options.databasePath}${suffix}`, { force: true });
  const clock = wallClock();
  const now = clock.now();
  const scenario = demoScenario(now);
  const sim = await startMirrorSim(scenario, { clock });
  const env = { MIRRORS: sim.mirrorsEnv, REFERENCE_MIRROR: DEMO_REFERENCE, DATABASE_PATH: options.databasePath, MIN_RECHECK_SECONDS: "0", ...options.env };
  const db = openDatabase(options.databasePath);
  migrateDatabase(db);
  const modules = scenario.modules.map((m) => m.path);
  const started = Date.now();
  const checks = await fillHistory({
    db,
    config: parseConfig(env),
    clock,
    modules,
    from: new Date(now.getTime() - options.historyHours * 3_600_000),
    to: now,
    stepSeconds: options.stepSeconds,
  });
  db.$client.close();
  clock.set(new Date());
  return { sim, env, modules, checks, seconds: (Date.now() - started) / 1000 };
}
