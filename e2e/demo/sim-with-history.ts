import { rmSync } from "node:fs";
import { migrateDatabase, openDatabase } from "@/db/sqlite";
import { parseConfig } from "@/lib/server";
import { startMirrorSim, wallClock } from "../mirror-sim";
import type { MirrorSim } from "../mirror-sim";
import { DEMO_DOCTOR_EXAMPLES, DEMO_REFERENCE, demoPolledModules, demoScenario } from "../mirror-sim/scenarios/demo";
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
  if (!sim.sumdb) throw new Error("the demo scenario has no checksum database");
  const env = {
    MIRRORS: sim.mirrorsEnv,
    REFERENCE_MIRROR: DEMO_REFERENCE,
    DATABASE_PATH: options.databasePath,
    MIN_RECHECK_SECONDS: "0",
    // The simulated checksum database, as GOSUMDB would name it with its URL; probes verify against it.
    SUMDB: sim.sumdb.gosumdb,
    DOCTOR_EXAMPLES: [...new Set(DEMO_DOCTOR_EXAMPLES.map((e) => `${e.module}@${e.version}`))].join(","),
    ...options.env,
  };
  const db = openDatabase(options.databasePath);
  migrateDatabase(db);
  const modules = demoPolledModules(scenario);
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
