import { createSqliteStore } from "@/db/sqlite";
import type { Db } from "@/db/sqlite";
import type { Config } from "@/lib/server";
import { createMirrorRateCap, createStoredPoller } from "@/lib/polling";
import { seededRandom } from "@/e2e/support/seeded-random";
import type { SimClock } from "../mirror-sim";

export type FillOptions = {
  db: Db;
  config: Config;
  clock: SimClock;
  modules: string[];
  from: Date;
  to: Date;
  /** How far the clock moves between poller ticks. */
  stepSeconds?: number;
  intervalSeconds?: number;
};


/**
 * Replays simulated days of polling: the real poller, driven tick by tick over the simulator's clock, checks
 * the modules as it would have in production. Returns the number of checks made.
 */
export async function fillHistory(options: FillOptions): Promise<number> {
  const { db, config, clock } = options;
  clock.set(options.from);
  // The replay must not wait in real time; the production cap is exercised by its own tests.
  const rateCap = createMirrorRateCap({ requestsPerSecond: 0, now: () => clock.now().getTime(), sleep: async () => {} });
  const store = createSqliteStore(db);
  const { poller, checker } = createStoredPoller({
    store,
    config,
    clock: clock.now,
    rateCap,
    intervalSeconds: options.intervalSeconds ?? 600,
    random: seededRandom(42),
  });
  for (const path of options.modules) await checker.check(path, { trigger: "poll", passive: true });
  const step = (options.stepSeconds ?? 60) * 1000;
  while (clock.now().getTime() < options.to.getTime()) {
    clock.advance(step);
    await poller.tick();
    await poller.idle();
  }
  await checker.idle();
  const row = db.$client.prepare("select count(*) as n from checks").get() as { n: number };
  return row.n;
}
