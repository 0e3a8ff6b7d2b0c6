import { spawn } from "node:child_process";
import type { ChildProcess } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { E2E_PORT, E2E_STATE_FILE } from "./e2e-state";
import { appServerArgs } from "./support/app-command";
import type { E2eState } from "./e2e-state";

// Long enough to include jwt/v4@v4.4.1, whose go.mod retracts v4.4.0 (published 48 h before start).
const HISTORY_HOURS = "52";

/**
 * Starts the demo scenario's simulated mirrors with a replayed history (a child process: the database code is
 * server-only), then the built app against both. The returned function stops everything.
 */
export default async function globalSetup(): Promise<() => Promise<void>> {
  const dir = mkdtempSync(join(tmpdir(), "mirrorlag-e2e-"));
  const sim = spawn(process.execPath, ["node_modules/tsx/dist/cli.mjs", "--conditions=react-server", "e2e/demo/sim-server.ts", join(dir, "e2e.db"), HISTORY_HOURS], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  const ready = await firstLine(sim, 180_000);
  const { env, mirrors, modules } = JSON.parse(ready) as { env: Record<string, string>; mirrors: string[]; modules: string[] };

  const state: E2eState = { baseUrl: `http://localhost:${E2E_PORT}`, mirrors, reference: env.REFERENCE_MIRROR ?? "", modules, startedAt: new Date().toISOString() };
  mkdirSync("test-results/screens", { recursive: true });
  writeFileSync(E2E_STATE_FILE, JSON.stringify(state, null, 2));

  // READ_RATE_LIMIT_PER_MINUTE=0: every spec reads from 127.0.0.1; e2e/read-budget.spec.ts starts its own app to test it.
  // TRUST_PROXY=loopback: the specs stand in for a reverse proxy on loopback, each request's X-Forwarded-For its client.
  const server = spawn(process.execPath, appServerArgs(E2E_PORT), {
    env: { ...process.env, ...env, RATE_LIMIT_PER_MINUTE: "30", READ_RATE_LIMIT_PER_MINUTE: "0", REQUEST_TIMEOUT_MS: "3000", PORT: String(E2E_PORT), NEXT_TELEMETRY_DISABLED: "1", NEXT_MANUAL_SIG_HANDLE: "true", TRUST_PROXY: "loopback" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const output: string[] = [];
  server.stdout?.on("data", (chunk: Buffer) => output.push(chunk.toString()));
  server.stderr?.on("data", (chunk: Buffer) => output.push(chunk.toString()));
  await waitForServer(`${state.baseUrl}/`, server, output);
  return async () => {
    await stop(server);
    await stop(sim);
    rmSync(dir, { recursive: true, force: true });
  };
}

function firstLine(child: ChildProcess, timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("the simulator did not start in time")), timeoutMs);
    child.once("exit", (code) => reject(new Error(`the simulator exited with code ${code}`)));
    if (!child.stdout) return reject(new Error("no stdout"));
    createInterface({ input: child.stdout }).once("line", (line) => {
      clearTimeout(timer);
      resolve(line);
    });
  });
}

async function waitForServer(url: string, server: ChildProcess, output: string[]): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (server.exitCode !== null) throw new Error(`the app exited with code ${server.exitCode}:\n${output.join("")}`);
    try {
      const response = await fetch(url);
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`the app did not answer ${url} within 60 s:\n${output.join("")}`);
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise((resolve) => child.once("exit", resolve));
  child.kill("SIGTERM");
  await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 5000))]);
  if (child.exitCode === null) child.kill("SIGKILL");
}
