// The demo's "Try the doctor" examples: each staged version gets the diagnosis the home page promises, on the
// mirror named, through the same service and simulator `npm run demo` runs.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createSimClock, startMirrorSim } from "@/e2e/mirror-sim";
import type { MirrorSim } from "@/e2e/mirror-sim";
import { DEMO_DOCTOR_EXAMPLES, DEMO_REFERENCE, demoScenario } from "@/e2e/mirror-sim/scenarios/demo";
import { createTestService } from "@/e2e/support/test-service";
import { toProbeDto } from "@/lib/doctor";
import type { Service } from "@/lib/server";

const START = new Date("2026-06-10T09:00:00Z");
let sim: MirrorSim;
let service: Service;

beforeAll(async () => {
  const clock = createSimClock(START);
  sim = await startMirrorSim(demoScenario(START), { clock });
  if (!sim.sumdb) throw new Error("the demo has no checksum database");
  ({ service } = createTestService({ mirrorsEnv: sim.mirrorsEnv, reference: DEMO_REFERENCE, clock: clock.now, env: { SUMDB: sim.sumdb.gosumdb } }));
});
afterAll(async () => {
  await service.prober.stop();
  await service.checker.stop();
  await sim.close();
});

describe("the demo's doctor examples", () => {
  it("cover every diagnosis code", () => {
    expect(new Set(DEMO_DOCTOR_EXAMPLES.map((e) => e.expect)).size).toBe(10);
  });

  it.each(DEMO_DOCTOR_EXAMPLES)("$module@$version: $expect on $mirror", async ({ module, version, mirror, expect: code }) => {
    const outcome = await service.runProbe(module, version, true);
    if (!outcome.ok) throw new Error(outcome.message);
    const dto = toProbeDto(outcome.probe, "en");
    expect(dto.mirrors[mirror]?.diagnosis.code, dto.mirrors[mirror]?.diagnosis.text).toBe(code);
  });
});
