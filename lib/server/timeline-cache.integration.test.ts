import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { describe, expect, it } from "vitest";
import { createTestService } from "@/e2e/support/test-service";
import type { MirrorObservation } from "@/lib/store";

/*
 * Issue 12: a distinct `?at=` per request must not grow any cache without bound. A small module's timelines weigh
 * little, so the weight budget alone would keep thousands of them, each with its list of 100 checks and its answers.
 */

setFlagsFromString("--expose-gc");
const gc = runInNewContext("gc") as () => void;
const heapAfterGc = () => {
  gc();
  gc();
  return process.memoryUsage().heapUsed;
};

const MOD = "example.com/cache/small";
const T0 = Date.UTC(2026, 0, 1);
const CHECKS = 2_000;

function observation(mirror: string): MirrorObservation {
  return {
    mirror,
    outcome: "ok",
    listOutcome: "ok",
    status: 200,
    latencyMs: 10,
    message: null,
    cacheControl: null,
    age: null,
    latestVersion: "v1.0.0",
    listedVersions: ["v1.0.0"],
    authoritativeVersion: null,
    gomod: null,
    requests: 2,
    passive: true,
  };
}

describe("the derived-timeline cache under a distinct ?at= per request", () => {
  it(`reads each of ${CHECKS} checks of a small module once: the heap after all of them is the heap after the first 600`, async () => {
    const { service, store } = createTestService({ mirrorsEnv: "a=http://127.0.0.1:9,ref=http://127.0.0.1:9", reference: "ref", clock: () => new Date(T0) });
    const ids: number[] = [];
    for (let i = 0; i < CHECKS; i++) {
      const { check } = await store.recordCheck({ module: MOD, at: new Date(T0 + i * 600_000), trigger: "poll", observations: [observation("a"), observation("ref")] });
      ids.push(check.id);
    }
    const read = async (id: number) => {
      const result = await service.timeline(MOD, id);
      if (!result.ok) throw new Error(result.message);
      expect(result.timeline.asOf.checkId).toBe(id);
    };
    // Past the cache's 500 entries: from here on every new entry replaces one.
    for (const id of ids.slice(0, 600)) await read(id);
    const before = heapAfterGc();
    for (const id of ids.slice(600)) await read(id);
    const growth = heapAfterGc() - before;
    console.log(`${CHECKS - 600} more distinct ?at= reads after 600: heap growth ${(growth / 1024 / 1024).toFixed(1)} MiB`);
    // Kept, each of the 1,400 would hold its 100 checks twice (the derivation's and the answer's): 11 MB measured.
    expect(growth).toBeLessThan(6 * 1024 * 1024);
  }, 120_000);
});
