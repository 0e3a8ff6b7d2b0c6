import { spawn } from "node:child_process";
import type { ChildProcess } from "node:child_process";
import { appServerArgs } from "./app-command";

/** A second app server (the built app, as `npm start` runs it) for tests that stop or kill it, on its own port and database. */
export type AppProcess = { child: ChildProcess; baseUrl: string; output: string[] };

export function startAppProcess(port: number, env: Record<string, string>, output: string[] = [], options: { hostname?: string } = {}): AppProcess {
  const child = spawn(process.execPath, appServerArgs(port, options.hostname), {
    env: {
      ...process.env,
      // The specs stand in for a reverse proxy on loopback: their X-Forwarded-For names the client.
      TRUST_PROXY: "loopback",
      POLL_INTERVAL_SECONDS: "0",
      RATE_LIMIT_PER_MINUTE: "0",
      // Off unless a spec sets it: a spec reads far more than a person would (e2e/read-budget.spec.ts sets it).
      READ_RATE_LIMIT_PER_MINUTE: "0",
      MIN_RECHECK_SECONDS: "0",
      REQUEST_TIMEOUT_MS: "5000",
      NEXT_TELEMETRY_DISABLED: "1",
      // As `npm start` runs it: Next leaves SIGTERM to the app, which finishes running checks first.
      NEXT_MANUAL_SIG_HANDLE: "true",
      ...env,
      PORT: String(port),
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  child.stdout?.on("data", (chunk: Buffer) => output.push(chunk.toString()));
  child.stderr?.on("data", (chunk: Buffer) => output.push(chunk.toString()));
  return { child, baseUrl: `http://localhost:${port}`, output };
}

export async function waitForApp(app: AppProcess): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (app.child.exitCode !== null || app.child.signalCode !== null) throw new Error(`the app exited:\n${app.output.join("")}`);
    try {
      if ((await fetch(`${app.baseUrl}/api/suggest?q=x`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`the app did not answer within 30 s:\n${app.output.join("")}`);
}

/** Resolves with the exit code (or signal) once the process has ended. */
export function exited(child: ChildProcess): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve({ code: child.exitCode, signal: child.signalCode });
  return new Promise((resolve) => child.once("exit", (code, signal) => resolve({ code, signal })));
}
