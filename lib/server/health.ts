// GET /healthz for load balancers: cheap, unauthenticated, nothing private in it.

/** A poller that has not read its due modules for this long has stopped (it ticks every 15 s at most). */
export const POLLER_STALE_MS = 120_000;

export type Health = {
  status: "ok" | "failing";
  database: "writable" | "failing";
  poller: { enabled: boolean; lastTickAt: string | null; lastTickAgeSeconds: number | null; alive: boolean };
  uptimeSeconds: number;
};

/** Pure: the report from what was measured; failing when the database refuses a write or the poller went quiet. */
export function healthOf(input: { databaseWritable: boolean; pollerEnabled: boolean; lastTickAt: number | null; startedAt: number; now: number }): Health {
  const age = input.lastTickAt === null ? null : Math.max(0, input.now - input.lastTickAt);
  // Before its first tick, a poller that started less than POLLER_STALE_MS ago is still alive.
  const alive = !input.pollerEnabled || (age !== null ? age <= POLLER_STALE_MS : input.now - input.startedAt <= POLLER_STALE_MS);
  return {
    status: input.databaseWritable && alive ? "ok" : "failing",
    database: input.databaseWritable ? "writable" : "failing",
    poller: {
      enabled: input.pollerEnabled,
      lastTickAt: input.lastTickAt === null ? null : new Date(input.lastTickAt).toISOString(),
      lastTickAgeSeconds: age === null ? null : Math.round(age / 1000),
      alive,
    },
    uptimeSeconds: Math.round((input.now - input.startedAt) / 1000),
  };
}
