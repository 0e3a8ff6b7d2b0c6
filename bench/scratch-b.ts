import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { measureRecheckCost } from "./recheck-cost";
import { startRemoteSim } from "./remote-sim";
const dir = mkdtempSync(join(tmpdir(), "mlbench-"));
const sim = await startRemoteSim();
try {
console.log(await measureRecheckCost(sim, { dir, versions: 2000, rechecks: 60 }));
} finally { await sim.close(); }
