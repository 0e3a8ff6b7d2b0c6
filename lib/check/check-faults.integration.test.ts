import { afterEach, describe, expect, it, vi } from "vitest";
import { createSimClock, startMirrorSim } from "@/e2e/mirror-sim";
import type { Fault, MirrorSim, Scenario } from "@/e2e/mirror-sim";
import type { CheckResult } from "@/lib/store";
import type { Service } from "@/lib/server";
import { createTestService } from "@/e2e/support/test-service";

/*
 * One fault at a time against ONE mirror ("bad") while "good" and the reference answer normally: the bad
 * mirror's answer becomes its own outcome with a message a user can act on; the others' results stay complete.
 */

const T0 = new Date("2026-03-01T10:00:00Z");
const MOD = "github.com/example/faulty";
const TIMEOUT_MS = 400;
const gomod = `module ${MOD}\n\ngo 1.21\n`;

function scenario(faults: Fault[]): Scenario {
  return {
    start: T0,
    reference: "ref",
    modules: [
      {
        path: MOD,
        versions: [
          { version: "v1.0.0", time: "2026-02-01T00:00:00Z", gomod },
          { version: "v1.1.0", time: "2026-02-10T00:00:00Z", gomod },
        ],
      },
    ],
    mirrors: [
      { name: "bad", style: "goproxy", faults },
      { name: "good", style: "goproxy" },
      { name: "ref", style: "proxy.golang.org" },
    ],
  };
}

let sim: MirrorSim | undefined;
afterEach(async () => {
  vi.restoreAllMocks();
  await sim?.close();
  sim = undefined;
});

async function checkWith(faults: Fault[]): Promise<{ check: CheckResult; service: Service; elapsedMs: number; sim: MirrorSim }> {
  const clock = createSimClock(T0);
  sim = await startMirrorSim(scenario(faults), { clock });
  const { service } = createTestService({ mirrorsEnv: sim.mirrorsEnv, reference: "ref", clock: clock.now, env: { REQUEST_TIMEOUT_MS: String(TIMEOUT_MS) } });
  const started = performance.now();
  // Awaiting directly: a rejection would fail the test, which is the "nothing throws out of runCheck" assertion.
  const { check } = await service.runCheck(MOD, { trigger: "api" });
  const elapsedMs = performance.now() - started;
  await service.checker.idle();
  return { check, service, elapsedMs, sim };
}

/** The mirrors without the fault answered in full: ok, every version present, latest resolved, .info times stored. */
async function expectOthersComplete(service: Service, check: CheckResult, others: string[] = ["good", "ref"]): Promise<void> {
  for (const mirror of others) expect(check.mirrors[mirror], mirror).toMatchObject({ outcome: "ok", status: 200, message: null });
  const result = await service.timeline(MOD);
  if (!result.ok) throw new Error(result.message);
  const t = result.timeline;
  expect(t.versions.map((v) => v.version)).toEqual(["v1.1.0", "v1.0.0"]);
  for (const row of t.versions) {
    for (const mirror of others) expect(row.mirrors[mirror]?.state, `${mirror} ${row.version}`).toBe("present");
  }
  for (const mirror of others) {
    expect(t.latest[mirror]).toBe("v1.1.0");
    expect(t.summaries.find((s) => s.name === mirror)?.authoritativeVersion).toBe("v1.1.0");
  }
}

async function badState(service: Service): Promise<string | undefined> {
  const result = await service.timeline(MOD);
  if (!result.ok) throw new Error(result.message);
  return result.timeline.versions[0]?.mirrors.bad?.state;
}

describe("a fault on one mirror is that mirror's outcome; the others are complete", () => {
  it("hang: an error that says it timed out, and the check ends at the request timeout", async () => {
    const { check, service, elapsedMs } = await checkWith([{ effect: { type: "hang" } }]);
    expect(check.mirrors.bad).toMatchObject({ outcome: "error", status: null });
    expect(check.mirrors.bad?.message).toBe(`@v/list: timed out after ${TIMEOUT_MS} ms waiting for response headers`);
    expect(elapsedMs).toBeLessThan(TIMEOUT_MS + 1000);
    await expectOthersComplete(service, check);
    expect(await badState(service)).toBe("error");
  });

  it("hang on the go.mod only: the go.mod step times out too, and the whole check still ends within list + timeout", async () => {
    const { check, service, elapsedMs } = await checkWith([{ kinds: ["mod"], effect: { type: "hang" } }]);
    expect(check.mirrors.bad).toMatchObject({ outcome: "error", status: 200 });
    expect(check.mirrors.bad?.message).toBe(`go.mod of v1.1.0: timed out after ${TIMEOUT_MS} ms waiting for response headers`);
    expect(elapsedMs).toBeLessThan(TIMEOUT_MS + 1000);
    await expectOthersComplete(service, check);
  });

  it("connection reset: an error naming the reset", async () => {
    const { check, service } = await checkWith([{ effect: { type: "connectionReset" } }]);
    expect(check.mirrors.bad).toMatchObject({ outcome: "error", status: null });
    expect(check.mirrors.bad?.message).toBe("@v/list: connection reset (ECONNRESET)");
    await expectOthersComplete(service, check);
    expect(await badState(service)).toBe("error");
  });

  it("5xx: an error with the status and the server's first line", async () => {
    const { check, service } = await checkWith([{ effect: { type: "status", status: 503 } }]);
    expect(check.mirrors.bad).toMatchObject({ outcome: "error", status: 503 });
    expect(check.mirrors.bad?.message).toBe("@v/list: HTTP 503: 503 Service Unavailable");
    await expectOthersComplete(service, check);
  });

  it("404/410: not_found with the server's own words", async () => {
    const { check, service } = await checkWith([{ kinds: ["list", "latest"], effect: { type: "status", status: 410 } }]);
    expect(check.mirrors.bad).toMatchObject({ outcome: "not_found", status: 410 });
    expect(check.mirrors.bad?.message).toBe(`not found: module ${MOD}: temporarily unavailable`);
    await expectOthersComplete(service, check);
    expect(await badState(service)).toBe("not_found");
  });

  it("a 10 MB list: refused at the size cap before it is downloaded", async () => {
    const { check, service } = await checkWith([{ kinds: ["list"], effect: { type: "oversized", bytes: 10 * 1024 * 1024 } }]);
    expect(check.mirrors.bad).toMatchObject({ outcome: "error", status: 200 });
    expect(check.mirrors.bad?.message).toMatch(/^@v\/list: response larger than 4 MiB \(Content-Length: 1048\d{4}\)$/);
    await expectOthersComplete(service, check);
  });

  it("a truncated body: an error that says the connection closed early", async () => {
    const { check, service } = await checkWith([{ kinds: ["list"], effect: { type: "truncate", keepBytes: 3 } }]);
    expect(check.mirrors.bad).toMatchObject({ outcome: "error", status: 200 });
    expect(check.mirrors.bad?.message).toMatch(/^@v\/list: body truncated after 3 of \d+ bytes: connection closed by the server \(UND_ERR_SOCKET\)$/);
    await expectOthersComplete(service, check);
  });

  it("an HTML page with status 200 (a captive portal): an error that says so", async () => {
    const { check, service } = await checkWith([{ effect: { type: "html200" } }]);
    expect(check.mirrors.bad).toMatchObject({ outcome: "error", status: 200 });
    expect(check.mirrors.bad?.message).toBe("@v/list: expected a version list but got an HTML page");
    await expectOthersComplete(service, check);
  });

  it("an HTML page for the go.mod only: an error about the go.mod, and nothing of it is stored", async () => {
    const { check, service } = await checkWith([{ kinds: ["mod"], effect: { type: "html200" } }]);
    expect(check.mirrors.bad).toMatchObject({ outcome: "error", status: 200 });
    expect(check.mirrors.bad?.message).toBe("go.mod of v1.1.0: expected a go.mod but got an HTML page");
    await expectOthersComplete(service, check);
    const t = await service.timeline(MOD);
    if (!t.ok) throw new Error(t.message);
    expect(t.timeline.versions[0]?.mirrors.bad?.h1).toBeNull();
  });

  it("a go.mod that does not parse: an error naming the line, as the go command would refuse it", async () => {
    const { check, service } = await checkWith([{ kinds: ["mod"], effect: { type: "badGoMod" } }]);
    expect(check.mirrors.bad).toMatchObject({ outcome: "error", status: 200 });
    expect(check.mirrors.bad?.message).toMatch(/^go\.mod of v1\.1\.0: does not parse: line \d+: .+/);
    await expectOthersComplete(service, check);
    const t = await service.timeline(MOD);
    if (!t.ok) throw new Error(t.message);
    // None of a broken go.mod's statements count, just as the go command would apply none of them.
    expect(t.timeline.summaries.find((s) => s.name === "bad")?.authoritativeVersion).toBeNull();
    expect(t.timeline.versions[0]?.mirrors.bad?.h1).toBeNull();
  });

  it("invalid lines in the list: ignored as the go command does, and said so; the valid versions count", async () => {
    const { check, service } = await checkWith([{ kinds: ["list"], effect: { type: "invalidListLines" } }]);
    expect(check.mirrors.bad).toMatchObject({ outcome: "ok", status: 200 });
    // Five junk lines; a line "v1.0.0 <time>" counts as v1.0.0 (the go command reads the first field).
    expect(check.mirrors.bad?.message).toBe("@v/list: ignored 5 invalid line(s), as the go command does");
    await expectOthersComplete(service, check);
    const t = await service.timeline(MOD);
    if (!t.ok) throw new Error(t.message);
    expect(t.timeline.versions.map((v) => [v.version, v.mirrors.bad?.state])).toEqual([
      ["v1.1.0", "present"],
      ["v1.0.0", "present"],
    ]);
    expect(t.timeline.latest.bad).toBe("v1.1.0");
  });

  it("malformed @latest JSON: the list still decides, and the note says what was wrong", async () => {
    const { check, service } = await checkWith([{ kinds: ["latest"], effect: { type: "malformedInfo", mode: "syntax" } }]);
    expect(check.mirrors.bad).toMatchObject({ outcome: "ok", status: 200 });
    expect(check.mirrors.bad?.message).toMatch(/^@latest: malformed @latest JSON: .+/);
    await expectOthersComplete(service, check);
    const t = await service.timeline(MOD);
    if (!t.ok) throw new Error(t.message);
    expect(t.timeline.latest.bad).toBe("v1.1.0");
  });

  it("malformed .info JSON (fetched after the check): the check is fine, nothing throws, the time stays unknown", async () => {
    const errors = vi.spyOn(console, "error").mockImplementation(() => undefined);
    const clock = createSimClock(T0);
    const s = scenario([]);
    // .info is asked of the reference; break it there.
    s.mirrors[2] = { name: "ref", style: "proxy.golang.org", faults: [{ kinds: ["info"], version: "v1.1.0", effect: { type: "malformedInfo", mode: "syntax" } }] };
    sim = await startMirrorSim(s, { clock });
    const { service } = createTestService({ mirrorsEnv: sim.mirrorsEnv, reference: "ref", clock: clock.now });
    const { check } = await service.runCheck(MOD, { trigger: "api" });
    await service.checker.idle();
    await expectOthersComplete(service, check, ["bad", "good", "ref"]);
    expect(sim.log("ref").filter((e) => e.kind === "info" && e.fault === "malformedInfo")).toHaveLength(1);
    const t = await service.timeline(MOD);
    if (!t.ok) throw new Error(t.message);
    expect(t.timeline.versions.map((v) => [v.version, v.time])).toEqual([
      ["v1.1.0", null],
      ["v1.0.0", "2026-02-01T00:00:00.000Z"],
    ]);
    expect(errors).not.toHaveBeenCalled();
  });

  it("every fault at once on three mirrors in a row never throws and never takes longer than one timeout per step", async () => {
    const kinds: Fault["effect"][] = [{ type: "hang" }, { type: "connectionReset" }, { type: "truncate" }];
    const clock = createSimClock(T0);
    const s = scenario([]);
    s.mirrors = kinds.map((effect, i) => ({ name: i === 2 ? "ref" : `m${i}`, style: "goproxy", faults: [{ effect }] }));
    sim = await startMirrorSim(s, { clock });
    const { service } = createTestService({ mirrorsEnv: sim.mirrorsEnv, reference: "ref", clock: clock.now, env: { REQUEST_TIMEOUT_MS: String(TIMEOUT_MS) } });
    const started = performance.now();
    const { check } = await service.runCheck(MOD, { trigger: "api" });
    expect(performance.now() - started).toBeLessThan(TIMEOUT_MS + 1000);
    expect(Object.values(check.mirrors).map((m) => m.outcome)).toEqual(["error", "error", "error"]);
    const t = await service.timeline(MOD);
    expect(t.ok).toBe(true);
  });
});
