import { createSimClock } from "@/e2e/mirror-sim";
import { createTestService } from "@/lib/testing/test-service";
import { startRemoteSim } from "./remote-sim";
import { benchModule } from "./sim-modules";
const T0 = new Date("2026-03-01T12:00:00Z");
const MODULE = "example.com/bench/latency";
const sim = await startRemoteSim();
const latency = [{ effect: { type: "latency" as const, ms: 100 } }];
try {
  for (let rep = 0; rep < 8; rep++) {
    const clock = createSimClock(T0);
    const started = await sim.start({ start: T0, reference: "ref", modules: [benchModule(MODULE, 500, T0)], mirrors: [
      { name: "mirror-a", style: "goproxy", faults: latency }, { name: "mirror-b", style: "goproxy", faults: latency }, { name: "ref", style: "proxy.golang.org", faults: latency }] });
    const { service, db } = createTestService({ mirrorsEnv: started.mirrorsEnv, reference: "ref", clock: clock.now, env: { REQUEST_TIMEOUT_MS: "10000" } });
    const t0 = performance.now();
    const { check } = await service.runCheck(MODULE, { trigger: "api" });
    const total = performance.now() - t0;
    console.log(Math.round(total), Object.values(check.mirrors).map((m) => m.latencyMs));
    await sim.stopMirrors(); await service.checker.idle(); db.$client.close();
  }
} finally { await sim.close(); }
