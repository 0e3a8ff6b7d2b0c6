// For the browser tests: starts the simulated mirrors with a replayed history, prints one JSON line
// ({"env", "mirrors", "modules", "checks"}) when ready, and serves until SIGTERM.
import { startSimWithHistory } from "./sim-with-history";

const [databasePath, hours] = process.argv.slice(2);
if (!databasePath || !hours) {
  console.error("usage: sim-server.ts <database path> <history hours>");
  process.exit(2);
}
const { sim, env, modules, checks } = await startSimWithHistory({ databasePath, historyHours: Number(hours), stepSeconds: 120, env: { POLL_INTERVAL_SECONDS: "0" } });
process.stdout.write(`${JSON.stringify({ env, mirrors: sim.mirrors.map((m) => m.name), modules, checks })}\n`);
const stop = () => void sim.close().then(() => process.exit(0));
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
