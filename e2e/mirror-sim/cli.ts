// Starts a scenario's mirrors in wall-clock mode for the demo:
//   npx tsx e2e/mirror-sim/cli.ts --scenario demo [--port-base N] [--start ISO]
// Prints one JSON line when ready ({"mirrorsEnv", "reference", ..., "sumdb"}) and runs until SIGTERM/SIGINT.
import { wallClock } from "./clock";
import { startMirrorSim } from "./sim";
import type { Scenario } from "./types";
import { demoScenario } from "./scenarios/demo";
import { doctorScenario } from "./scenarios/doctor";

const SCENARIOS: Record<string, (start: Date) => Scenario> = { demo: demoScenario, doctor: doctorScenario };

function parseArgs(argv: string[]): { scenario: string; portBase?: number; start?: Date } {
  const out: { scenario: string; portBase?: number; start?: Date } = { scenario: "demo" };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? "";
    const [flag, inline] = arg.includes("=") ? [arg.slice(0, arg.indexOf("=")), arg.slice(arg.indexOf("=") + 1)] : [arg, undefined];
    const value = (): string => {
      const v = inline ?? argv[++i];
      if (v === undefined) throw new Error(`${flag} needs a value`);
      return v;
    };
    if (flag === "--scenario") out.scenario = value();
    else if (flag === "--port-base") {
      const n = Number(value());
      if (!Number.isInteger(n) || n < 1 || n > 65535) throw new Error("--port-base must be a port number");
      out.portBase = n;
    } else if (flag === "--start") {
      const d = new Date(value());
      if (Number.isNaN(d.getTime())) throw new Error("--start must be a date");
      out.start = d;
    } else throw new Error(`unknown argument ${arg}`);
  }
  return out;
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const build = SCENARIOS[args.scenario];
  if (!build) throw new Error(`unknown scenario ${args.scenario} (known: ${Object.keys(SCENARIOS).join(", ")})`);
  const clock = wallClock();
  const start = args.start ?? clock.now();
  const sim = await startMirrorSim(build(start), {
    clock,
    ...(args.portBase !== undefined ? { portBase: args.portBase } : {}),
  });
  process.stdout.write(
    JSON.stringify({ mirrorsEnv: sim.mirrorsEnv, reference: sim.reference ?? null, start: start.toISOString(), mirrors: sim.mirrors, sumdb: sim.sumdb ?? null }) + "\n",
  );
  let closing = false;
  const stop = (): void => {
    if (closing) return;
    closing = true;
    void sim.close().then(() => process.exit(0));
  };
  process.on("SIGTERM", stop);
  process.on("SIGINT", stop);
}

main().catch((err: unknown) => {
  process.stderr.write(`mirror-sim: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
