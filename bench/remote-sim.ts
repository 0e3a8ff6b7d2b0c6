import { fork } from "node:child_process";
import type { ChildProcess } from "node:child_process";
import type { MirrorInfo, NewVersion, Scenario, SumdbInfo } from "@/e2e/mirror-sim";

export type SimRequest =
  | { op: "start"; scenario: Scenario; clock?: "sim" | "wall" }
  | { op: "counts" }
  | { op: "arrivals" }
  | { op: "clearLog" }
  | { op: "addVersion"; module: string; version: NewVersion }
  | { op: "close" };

export type SimResponse = { id: number; ok: true; result: unknown } | { id: number; ok: false; error: string };

export type Arrival = { at: number; kind: string; module: string | null };

/** Requests each mirror received since the log was last cleared, by request kind (list, latest, mod, info, …). */
export type RequestCounts = Record<string, Record<string, number>>;

export type RemoteSim = {
  /** clock "wall": the simulator follows real time, so arrivals() are real arrival times (default: a frozen sim clock). */
  start(scenario: Scenario, clock?: "sim" | "wall"): Promise<{ mirrors: MirrorInfo[]; mirrorsEnv: string; sumdb?: SumdbInfo }>;
  counts(): Promise<RequestCounts>;
  /** Each mirror's requests (arrival in ms since the epoch on the simulator's clock, kind, module), since the log was last cleared. */
  arrivals(): Promise<Record<string, Arrival[]>>;
  clearLog(): Promise<void>;
  addVersion(module: string, version: NewVersion): Promise<void>;
  /** Stops the simulated mirrors; the process stays for the next start. */
  stopMirrors(): Promise<void>;
  /** Stops the process. Safe to call twice. */
  close(): Promise<void>;
  pid: number | undefined;
};

const TIMEOUT_MS = 60_000;

/** Starts bench/sim-child.ts (through tsx, like the e2e harness) and talks to it over IPC. */
export async function startRemoteSim(): Promise<RemoteSim> {
  const child: ChildProcess = fork("bench/sim-child.ts", [], {
    execPath: process.execPath,
    execArgv: ["--conditions=react-server", "--import", "tsx"],
    stdio: ["ignore", "inherit", "inherit", "ipc"],
    // Structured clone keeps the scenario's Dates as Dates.
    serialization: "advanced",
  });
  const pending = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void; timer: NodeJS.Timeout }>();
  let nextId = 1;
  const ready = new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("the simulator process did not start within 60 s")), TIMEOUT_MS);
    pending.set(0, { resolve: () => resolve(), reject, timer });
  });
  child.on("message", (message: SimResponse) => {
    const waiter = pending.get(message.id);
    if (!waiter) return;
    pending.delete(message.id);
    clearTimeout(waiter.timer);
    if (message.ok) waiter.resolve(message.result);
    else waiter.reject(new Error(`simulator: ${message.error}`));
  });
  child.on("exit", (code) => {
    for (const waiter of pending.values()) {
      clearTimeout(waiter.timer);
      waiter.reject(new Error(`the simulator process exited (code ${code})`));
    }
    pending.clear();
  });
  await ready;

  const call = <T>(request: SimRequest): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      if (child.exitCode !== null || !child.connected) return reject(new Error("the simulator process is gone"));
      const id = nextId++;
      const timer = setTimeout(() => {
        pending.delete(id);
        reject(new Error(`simulator: ${request.op} took over 60 s`));
      }, TIMEOUT_MS);
      pending.set(id, { resolve: (value) => resolve(value as T), reject, timer });
      child.send({ ...request, id });
    });

  return {
    pid: child.pid,
    start: (scenario, clock) => call({ op: "start", scenario, clock }),
    counts: () => call({ op: "counts" }),
    arrivals: () => call({ op: "arrivals" }),
    clearLog: () => call({ op: "clearLog" }),
    addVersion: (module, version) => call({ op: "addVersion", module, version }),
    stopMirrors: () => call({ op: "close" }),
    async close() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
      if (child.connected) child.disconnect();
      const killTimer = setTimeout(() => child.kill("SIGKILL"), 3000);
      await exited;
      clearTimeout(killTimer);
    },
  };
}
