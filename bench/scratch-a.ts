import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { measureCheckLatency } from "./check-latency";
import { measureRecheckCost } from "./recheck-cost";
import { startRemoteSim } from "./remote-sim";
const dir = mkdtempSync(join(tmpdir(), "mlbench-"));
const sim = await startRemoteSim();
try {
let t = performance.now();
console.log(await measureCheckLatency(sim, { versions: 500, repetitions: 5 }), performance.now() - t);
t = performance.now();
console.log(await measureRecheckCost(sim, { dir, versions: 100, rechecks: 200 }), performance.now() - t);
t = performance.now();
console.log(await measureRecheckCost(sim, { dir, versions: 2000, rechecks: 200 }), performance.now() - t);
} finally { await sim.close(); }
