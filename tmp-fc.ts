import { createSimClock, startMirrorSim } from "@/e2e/mirror-sim";
import { benchModule } from "@/bench/sim-modules";
import { createTestService } from "@/e2e/support/test-service";
import { openDatabase } from "@/db/sqlite";
const T0 = new Date("2026-03-01T12:00:00Z");
const mods = Array.from({ length: 12 }, (_, i) => benchModule(`example.com/fc/m${i}`, 2000, T0));
const sim = await startMirrorSim({ start: T0, reference: "ref", modules: mods, mirrors: [{ name: "a", style: "goproxy" }, { name: "b", style: "goproxy" }, { name: "ref", style: "proxy.golang.org" }] }, { clock: createSimClock(T0) });
const { service, store } = createTestService({ mirrorsEnv: sim.mirrorsEnv, reference: "ref", clock: () => new Date(), db: openDatabase("/tmp/ml/fc.db") });
const orig = store.recordCheck; let rec = 0;
store.recordCheck = async (r) => { const t = performance.now(); const x = await orig(r); rec += performance.now() - t; return x; };
for (let i = 0; i < 12; i++) {
  rec = 0; const t = performance.now();
  await service.runCheck(`example.com/fc/m${i}`, { trigger: "api" });
  console.log(i, "total", (performance.now() - t).toFixed(1), "record", rec.toFixed(1));
  await service.checker.idle();
}
await sim.close();
