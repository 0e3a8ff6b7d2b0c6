import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { migrateDatabase, openDatabase } from "@/db/client";
import { createTestService } from "@/lib/testing/test-service";
import { synthesiseYear, YEAR_CHECKS } from "./synth-year";
const dir = mkdtempSync(join(tmpdir(), "mlbench-"));
const file = join(dir, "year.db");
const db = openDatabase(file); migrateDatabase(db);
const M = "example.com/bench/year";
synthesiseYear(db, { module: M, mirrors: ["mirror-a", "mirror-b", "ref"], versions: 2000, checks: YEAR_CHECKS, end: new Date(Date.now() - 60000) });
db.$client.pragma("wal_checkpoint(TRUNCATE)");
const { service } = createTestService({ mirrorsEnv: "mirror-a=http://127.0.0.1:1,mirror-b=http://127.0.0.1:2,ref=http://127.0.0.1:3", reference: "ref", clock: () => new Date(), db });
for (let i = 0; i < 10; i++) service.timeline(M);
const t0 = performance.now();
const N = Number(process.argv[2] ?? 60);
for (let i = 0; i < N; i++) { const r = service.timeline(M); if (r.ok) JSON.stringify(r.timeline); }
console.log("mean ms", ((performance.now() - t0) / N).toFixed(1));
