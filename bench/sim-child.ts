// The mirror simulator in its own process, driven over IPC by bench/remote-sim.ts. Real mirrors are other
// machines: their CPU (the simulator hashes and sorts every list it serves) must not be charged to the product.
import { createSimClock, startMirrorSim, wallClock } from "@/e2e/mirror-sim";
import type { MirrorSim, NewVersion, Scenario } from "@/e2e/mirror-sim";
import type { Arrival, SimRequest, SimResponse } from "./remote-sim";

let sim: MirrorSim | undefined;

async function handle(request: SimRequest): Promise<unknown> {
  switch (request.op) {
    case "start": {
      await sim?.close();
      const scenario = request.scenario as Scenario;
      sim = await startMirrorSim(scenario, { clock: request.clock === "wall" ? wallClock() : createSimClock(scenario.start ?? new Date()) });
      return { mirrors: sim.mirrors, mirrorsEnv: sim.mirrorsEnv, sumdb: sim.sumdb };
    }
    case "counts": {
      const counts: Record<string, Record<string, number>> = {};
      for (const entry of current().log()) {
        const perMirror = (counts[entry.mirror] ??= {});
        perMirror[entry.kind] = (perMirror[entry.kind] ?? 0) + 1;
      }
      return counts;
    }
    case "arrivals": {
      const arrivals: Record<string, Arrival[]> = {};
      for (const entry of current().log()) (arrivals[entry.mirror] ??= []).push({ at: entry.at.getTime(), kind: entry.kind, module: entry.module ?? null });
      return arrivals;
    }
    case "clearLog":
      current().clearLog();
      return null;
    case "addVersion":
      current().addVersion(request.module, request.version as NewVersion);
      return null;
    case "close":
      await sim?.close();
      sim = undefined;
      return null;
  }
}

function current(): MirrorSim {
  if (!sim) throw new Error("no simulator running");
  return sim;
}

process.on("message", (message: SimRequest & { id: number }) => {
  handle(message).then(
    (result) => process.send?.({ id: message.id, ok: true, result } satisfies SimResponse),
    (error: unknown) => process.send?.({ id: message.id, ok: false, error: error instanceof Error ? error.message : String(error) } satisfies SimResponse),
  );
});
// The bench is gone (finished or killed): nothing may outlive it.
process.on("disconnect", () => {
  void (sim?.close() ?? Promise.resolve()).finally(() => process.exit(0));
});
process.send?.({ id: 0, ok: true, result: "ready" } satisfies SimResponse);
