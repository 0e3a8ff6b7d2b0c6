import { spawn } from "node:child_process";
import type { ChildProcess } from "node:child_process";
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { appServerArgs } from "@/e2e/support/app-command";
import { sleep } from "./stats";

export type AppServer = { baseUrl: string; pid: number; output: () => string; stop: () => Promise<void> };

/** A free loopback port: bind port 0, read it, release it. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** The built app (as `npm start` and e2e/global-setup.ts run it) on loopback, with the poller off. */
export async function startApp(env: Record<string, string>, options: { nodeArgs?: string[] } = {}): Promise<AppServer> {
  const port = await freePort();
  // nodeArgs: e.g. ["--cpu-prof"] to see where a request's time goes (NODE_OPTIONS refuses that flag).
  const child: ChildProcess = spawn(process.execPath, [...(options.nodeArgs ?? []), ...appServerArgs(port)], {
    env: {
      ...process.env,
      POLL_INTERVAL_SECONDS: "0",
      MIN_RECHECK_SECONDS: "0",
      RATE_LIMIT_PER_MINUTE: "0",
      READ_RATE_LIMIT_PER_MINUTE: "0",
      // The figures measure the server, not the outbound cap (figure 8, which measures it, sets it back).
      USER_MIRROR_RPS: "0",
      NEXT_TELEMETRY_DISABLED: "1",
      NEXT_MANUAL_SIG_HANDLE: "true",
      ...env,
      PORT: String(port),
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const chunks: string[] = [];
  child.stdout?.on("data", (chunk: Buffer) => chunks.push(chunk.toString()));
  child.stderr?.on("data", (chunk: Buffer) => chunks.push(chunk.toString()));
  const output = () => chunks.join("").slice(-4000);
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
    child.kill("SIGTERM");
    await Promise.race([exited, sleep(5000)]);
    if (child.exitCode === null && child.signalCode === null) {
      child.kill("SIGKILL");
      await exited;
    }
  };
  const baseUrl = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the app exited with code ${child.exitCode}:\n${output()}`);
    try {
      const response = await fetch(`${baseUrl}/api/suggest?q=x`);
      await response.arrayBuffer();
      if (response.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`the app did not answer within 60 s:\n${output()}`);
    }
    await sleep(200);
  }
  if (child.pid === undefined) throw new Error("the app has no pid");
  return { baseUrl, pid: child.pid, output, stop };
}

/** The process and every descendant (should Next ever fork workers), from /proc. */
export function processTree(root: number): number[] {
  const parents = new Map<number, number[]>();
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      // The command name may contain spaces and parentheses: the parent pid is the 2nd field after the last ")".
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      const children = parents.get(ppid) ?? [];
      children.push(Number(entry));
      parents.set(ppid, children);
    } catch {
      // the process ended meanwhile
    }
  }
  const tree: number[] = [];
  const queue = [root];
  for (let pid = queue.shift(); pid !== undefined; pid = queue.shift()) {
    tree.push(pid);
    queue.push(...(parents.get(pid) ?? []));
  }
  return tree;
}

function statusKb(pid: number, field: "VmRSS" | "VmHWM"): number {
  try {
    const match = new RegExp(`^${field}:\\s+(\\d+) kB`, "m").exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    return match ? Number(match[1]) : 0;
  } catch {
    return 0;
  }
}

/**
 * Samples the resident memory of a process tree every `everyMs` until stopped. The kernel's own peak (VmHWM) is
 * reset first where allowed (writing 5 to clear_refs), so it covers the sampled period and catches spikes between samples.
 */
export function watchMemory(root: number, everyMs = 50): { stop: () => { peakSampledMb: number; peakHwmMb: number; samples: number } } {
  for (const pid of processTree(root)) {
    try {
      writeFileSync(`/proc/${pid}/clear_refs`, "5");
    } catch {
      // not permitted here: VmHWM then covers the process's whole life
    }
  }
  let peakKb = 0;
  let samples = 0;
  const sample = () => {
    const total = processTree(root).reduce((sum, pid) => sum + statusKb(pid, "VmRSS"), 0);
    peakKb = Math.max(peakKb, total);
    samples++;
  };
  sample();
  const timer = setInterval(sample, everyMs);
  return {
    stop() {
      clearInterval(timer);
      sample();
      const hwmKb = processTree(root).reduce((sum, pid) => sum + statusKb(pid, "VmHWM"), 0);
      return { peakSampledMb: Math.round(peakKb / 1024), peakHwmMb: Math.round(hwmKb / 1024), samples };
    },
  };
}
