// `npm run demo`: the dashboard against the local mirror simulator, with days of history, offline.
import { spawn } from "node:child_process";
import { appServerArgs } from "../support/app-command";
import { startSimWithHistory } from "./sim-with-history";

const HISTORY_HOURS = 60;

async function main(): Promise<void> {
  const port = Number(process.env.PORT ?? "3000");
  const databasePath = process.env.DEMO_DATABASE_PATH ?? "data/demo.db";
  console.log(`demo: replaying ${HISTORY_HOURS} h of polling against simulated goproxy.cn, proxy.golang.com.cn and proxy.golang.org…`);
  const { sim, env, checks, seconds } = await startSimWithHistory({ databasePath, historyHours: HISTORY_HOURS, env: { POLL_INTERVAL_SECONDS: "120", MIN_RECHECK_SECONDS: "10" } });
  console.log(`demo: ${checks} checks recorded in ${seconds.toFixed(1)} s; mirrors: ${sim.mirrors.map((m) => `${m.name}=${m.baseUrl}`).join(", ")}`);

  const server = spawn(process.execPath, appServerArgs(port, process.env.HOST ?? "127.0.0.1"), {
    stdio: "inherit",
    env: { ...process.env, ...env, PORT: String(port), NEXT_TELEMETRY_DISABLED: "1", NEXT_MANUAL_SIG_HANDLE: "true" },
  });
  console.log(`\n  mirrorlag demo: open http://localhost:${port}/  (try http://localhost:${port}/m/github.com/golang-jwt/jwt/v4)\n`);
  const stop = () => {
    server.kill("SIGTERM");
    void sim.close().then(() => process.exit(0));
  };
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
  server.on("exit", (code) => void sim.close().then(() => process.exit(code ?? 0)));
}

main().catch((error: unknown) => {
  console.error("demo:", error);
  process.exit(1);
});
