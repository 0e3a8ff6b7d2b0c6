// A go.mod of 50 real requirements against the three simulated mirrors (e2e/mirror-sim/scenarios/resolve.ts): every
// cell of the resolution (verdict, diagnosis, go.sum agreement per requirement × mirror), the state, replacement and
// indirect flag of each requirement, the totals, the whole-go.mod chains, the advice and what nothing serves, each
// expected from the scenario's staged failures rather than from the output. Then the real go command is the referee:
// `GOFLAGS=-mod=mod go mod download` in a directory holding the go.mod, the go.sum and the local replacement must
// succeed through a GOPROXY value exactly when the resolution says that value resolves the whole go.mod.
import { execFile } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createSimClock, startMirrorSim } from "@/e2e/mirror-sim";
import type { MirrorSim } from "@/e2e/mirror-sim";
import { goBin, inCI, warnIfNoGo } from "@/e2e/mirror-sim/go-binary";
import {
  RESOLVE_MIRRORS,
  RESOLVE_REFERENCE,
  RESOLVE_REQUIREMENTS,
  RESOLVE_START,
  STAGED,
  resolveGoMod,
  resolveGoSum,
  resolveScenario,
  variantRequirements,
} from "@/e2e/mirror-sim/scenarios/resolve";
import type { GoModVariant, ResolveMirror, ResolveRequirement } from "@/e2e/mirror-sim/scenarios/resolve";
import { createTestService } from "@/e2e/support/test-service";
import type { ChainResult, DiagnosisCode, Verdict } from "@/lib/doctor";
import { hashGoMod, hashZip } from "@/lib/goproxy";
import type { Service } from "@/lib/server";
import type { GoSumAgreement, RequirementDto, ResolutionDto } from "./resolution-dto";
import { limiter } from "@/e2e/support/limiter";

const run = promisify(execFile);
/** Go processes at once: CI has two cores, and the simulator answers from this process. */
const GO_CONCURRENCY = 3;
const GO_TIMEOUT_MS = 30_000;

warnIfNoGo("go-mod-fifty test");

type Cell = { verdict: Verdict; code: DiagnosisCode; gosum: { gomod: GoSumAgreement; zip: GoSumAgreement } };
type Row = Pick<RequirementDto, "module" | "version" | "indirect" | "replacedBy" | "excluded" | "state" | "gosumVsChecksumDb"> & { mirrors: Record<string, Cell> };

/** A requirement × mirror cell as the scenario stages it (zips: whether the resolution asked for zips). */
function expectedCell(r: ResolveRequirement, mirror: ResolveMirror, zips: boolean): Cell {
  const zipServed: GoSumAgreement = zips ? "match" : "not_probed";
  const zipMissing: GoSumAgreement = zips ? "not_served" : "not_probed";
  if (r.stage === "unknown") return { verdict: "not_found", code: "no_such_module", gosum: { gomod: "not_served", zip: zipMissing } };
  if (r.stage === "missing" && mirror === STAGED.missing.mirror) return { verdict: "not_found", code: "not_yet_on_mirror", gosum: { gomod: "not_served", zip: zipMissing } };
  // Only the go.mod differs there: the zip is the origin's.
  if (r.stage === "contradicted" && mirror === STAGED.contradicted.mirror) return { verdict: "mismatch", code: "hash_mismatch", gosum: { gomod: "mismatch", zip: zipServed } };
  return { verdict: "ok", code: "served", gosum: { gomod: "match", zip: zipServed } };
}

function expectedRow(r: ResolveRequirement, zips: boolean): Row {
  const replacedBy = r.stage === "replaced" ? { ...STAGED.replaced.by } : r.stage === "local" ? { local: STAGED.local.dir } : null;
  const base = { module: r.module, version: r.version, indirect: r.indirect, replacedBy, excluded: r.stage === "excluded" };
  if (r.stage === "local") return { ...base, state: "local", gosumVsChecksumDb: null, mirrors: {} };
  if (r.stage === "excluded") return { ...base, state: "excluded", gosumVsChecksumDb: null, mirrors: {} };
  const mirrors = Object.fromEntries(RESOLVE_MIRRORS.map((m) => [m, expectedCell(r, m, zips)]));
  // The go.sum has no line for what nobody serves; every other line is the origin's, as the database records.
  return { ...base, state: "probed", gosumVsChecksumDb: r.stage === "unknown" ? null : "match", mirrors };
}

function actualRow(r: RequirementDto): Row {
  const mirrors = Object.fromEntries(Object.entries(r.mirrors).map(([name, m]) => [name, { verdict: m.verdict, code: m.diagnosis.code, gosum: m.gosum }]));
  return { module: r.module, version: r.version, indirect: r.indirect, replacedBy: r.replacedBy, excluded: r.excluded, state: r.state, gosumVsChecksumDb: r.gosumVsChecksumDb, mirrors };
}

function expectedTotals(rows: Row[]): ResolutionDto["mirrors"] {
  const totals = Object.fromEntries(RESOLVE_MIRRORS.map((m) => [m, { resolves: 0, fails: 0, missing: 0 }]));
  for (const row of rows) {
    for (const [name, cell] of Object.entries(row.mirrors)) {
      const t = totals[name];
      if (!t) continue;
      if (cell.verdict === "ok") t.resolves++;
      else if (cell.code === "not_yet_on_mirror") t.missing++;
      else t.fails++;
    }
  }
  return totals;
}


let sim: MirrorSim;
let service: Service;
let work: string;
/** The go.sum of /go.mod lines, and the one with zip lines too. */
let gosum: string;
let gosumWithZips: string;
const dtos = new Map<string, ResolutionDto>();

const baseOf = (mirror: string) => sim.mirrors.find((m) => m.name === mirror)?.baseUrl ?? mirror;
const nameOf = (base: string) => sim.mirrors.find((m) => m.baseUrl === base)?.name ?? base;
const readable = (goproxy: string) => goproxy.replace(/http:\/\/127\.0\.0\.1:\d+/g, nameOf);

beforeAll(async () => {
  const clock = createSimClock(RESOLVE_START);
  sim = await startMirrorSim(resolveScenario(), { clock });
  if (!sim.sumdb) throw new Error("the resolve scenario has a checksum database");
  ({ service } = createTestService({ mirrorsEnv: sim.mirrorsEnv, reference: RESOLVE_REFERENCE, clock: clock.now, env: { SUMDB: sim.sumdb.gosumdb } }));
  const goMod = (m: string, v: string) => hashGoMod(sim.goModFor(m, v));
  gosum = resolveGoSum({ goMod });
  gosumWithZips = resolveGoSum({ goMod, zip: (m, v) => hashZip(new Uint8Array(sim.zipFor(m, v))) });
  work = mkdtempSync(join(tmpdir(), "mirrorlag-go-mod-fifty-"));
});

afterAll(async () => {
  await service?.resolver.stop();
  await service?.prober.stop();
  await service?.checker.stop();
  await sim?.close();
  if (work) rmSync(work, { recursive: true, force: true });
});

/** One resolution per go.mod variant and options, run once and kept for the tests that read it. */
async function resolution(variant: GoModVariant, zips: boolean): Promise<ResolutionDto> {
  const key = JSON.stringify([variant, zips]);
  const known = dtos.get(key);
  if (known) return known;
  const started = await service.resolver.start({ gomod: resolveGoMod(variant), gosum: zips ? gosumWithZips : gosum, zips });
  if (!started.ok) throw new Error(started.error);
  await service.resolver.idle();
  const dto = await service.resolution(started.resolution.id, "en");
  if (!dto) throw new Error("resolution missing");
  dtos.set(key, dto);
  return dto;
}

/**
 * What `go mod download` does with a variant through a GOPROXY value, by the scenario's definition: the first entry
 * serving a file is the one used; goproxy.cn answers 404 for (a) so the next entry is asked; proxy.golang.com.cn's
 * go.mod for (c) contradicts the go.sum, which ends the command whatever follows; (b) and (f) stop every value.
 */
function expectedChain(goproxy: string, variant: GoModVariant): ChainResult {
  if (variant.unknown !== false || variant.excludedRequired !== false) return "fail";
  const entries = goproxy.split(/[,|]/).map((e) => (e === "direct" ? e : nameOf(e)));
  if (entries[0] === STAGED.contradicted.mirror) return "fail";
  const afterMissing = entries.find((e) => e !== STAGED.missing.mirror);
  return afterMissing === undefined ? "fail" : afterMissing === "direct" ? "needs_direct" : "ok";
}

describe("a go.mod of 50 real requirements, resolved against three mirrors", () => {
  it("has 50 requirements, direct and indirect, and each staged failure once", () => {
    expect(RESOLVE_REQUIREMENTS).toHaveLength(50);
    expect(new Set(RESOLVE_REQUIREMENTS.map((r) => r.module)).size).toBe(50);
    expect(RESOLVE_REQUIREMENTS.filter((r) => r.indirect).length).toBeGreaterThan(10);
    expect(RESOLVE_REQUIREMENTS.filter((r) => !r.indirect).length).toBeGreaterThan(10);
    expect(RESOLVE_REQUIREMENTS.map((r) => r.stage).filter((s) => s !== null).sort()).toEqual(["contradicted", "excluded", "local", "missing", "replaced", "unknown"]);
  });

  for (const zips of [false, true]) {
    it(`every cell, the totals, the chains, the advice and the unresolvable (zips: ${zips})`, async () => {
      sim.clearLog();
      const dto = await resolution({}, zips);
      expect(dto).toMatchObject({ status: "done", done: 50, total: 50, zips });
      const expected = RESOLVE_REQUIREMENTS.map((r) => expectedRow(r, zips));
      expect(dto.requirements.map(actualRow)).toEqual(expected);
      for (const r of dto.requirements) {
        for (const [name, m] of Object.entries(r.mirrors)) expect(m.diagnosis.text, `${r.module} on ${name}`).not.toBe("");
        expect(r.permalink === null, r.module).toBe(r.state !== "probed");
      }
      expect(dto.mirrors).toEqual(expectedTotals(expected));
      // 48 probed: proxy.golang.org fails only (b); goproxy.cn also lacks (a); proxy.golang.com.cn contradicts (c).
      expect(dto.mirrors).toEqual({
        "proxy.golang.org": { resolves: 47, fails: 1, missing: 0 },
        "goproxy.cn": { resolves: 46, fails: 1, missing: 1 },
        "proxy.golang.com.cn": { resolves: 46, fails: 2, missing: 0 },
      });
      // (b) nothing serves; (f) the go.mod itself stops `go mod download`, whatever GOPROXY says.
      expect(dto.unresolvable).toEqual([
        { module: STAGED.excluded.module, version: STAGED.excluded.version, code: null, goprivate: null },
        { module: STAGED.unknown.module, version: STAGED.unknown.version, code: "no_such_module", goprivate: "github.com/stetchr" },
      ]);
      expect(dto.advice.goproxy).toBeNull();
      expect(dto.advice.reason).toContain(`excludes ${STAGED.excluded.module} ${STAGED.excluded.version}`);
      expect(dto.chains).toHaveLength(30);
      expect(dto.chains?.every((c) => c.result === "fail")).toBe(true);
      // A replaced path, a local directory and an excluded version are never asked for; only what zips: false allows is.
      const asked = sim.log().filter((e) => e.module !== undefined);
      for (const [module, version] of [
        [STAGED.replaced.module, STAGED.replaced.version],
        [STAGED.local.module, STAGED.local.version],
        [STAGED.excluded.module, STAGED.excluded.version],
      ] as const) {
        expect(asked.filter((e) => e.module === module && e.version === version), `${module}@${version}`).toEqual([]);
      }
      if (!zips) expect(asked.filter((e) => e.kind === "zip")).toEqual([]);
    });
  }

  it("the variant the go command can resolve: every whole-go.mod chain as the staging implies, and the advice", async () => {
    const variant = { unknown: false, excludedRequired: false };
    for (const zips of [false, true]) {
      const dto = await resolution(variant, zips);
      expect(dto).toMatchObject({ status: "done", done: 49, total: 49 });
      expect(dto.requirements.map(actualRow)).toEqual(variantRequirements(variant).map((r) => expectedRow(r, zips)));
      expect(dto.unresolvable).toEqual([]);
      expect((dto.chains ?? []).map((c) => [readable(c.goproxy), c.result])).toEqual((dto.chains ?? []).map((c) => [readable(c.goproxy), expectedChain(c.goproxy, variant)]));
      // Each requirement's own advice ranks the mirrors by measured health (none yet) and by being often blocked in
      // mainland China (not loopback URLs), so in configured order: proxy.golang.org,goproxy.cn, which serves all 49.
      expect(dto.advice.goproxy).toBe(`${baseOf("proxy.golang.org")},${baseOf("goproxy.cn")}`);
      // A mirror resolves everything alone exactly when its column has no failure.
      for (const mirror of RESOLVE_MIRRORS) {
        const alone = dto.chains?.find((c) => c.goproxy === baseOf(mirror))?.result;
        const clean = dto.requirements.every((r) => r.state !== "probed" || r.mirrors[mirror]?.verdict === "ok");
        expect(alone === "ok", mirror).toBe(clean);
      }
    }
  });
});

describe.skipIf(!goBin && !inCI)("the real go command as the referee", () => {
  const slot = limiter(GO_CONCURRENCY);
  let dirs = 0;

  type GoRun = { ok: boolean; stderr: string; asked: { mirror: string; module: string; version: string }[] };

  /** `GOFLAGS=-mod=mod go mod download` in a fresh directory with the variant's go.mod, the go.sum and ./third_party. */
  async function goModDownload(variant: GoModVariant, goproxy: string, sum: string = gosum): Promise<GoRun> {
    return slot(async () => {
      if (!goBin) throw new Error("`go` is not on PATH and CI is set: the go-mod-fifty referee cannot run");
      const dir = join(work, `run-${++dirs}`);
      mkdirSync(join(dir, STAGED.local.dir), { recursive: true });
      writeFileSync(join(dir, "go.mod"), resolveGoMod(variant));
      writeFileSync(join(dir, "go.sum"), sum);
      writeFileSync(join(dir, STAGED.local.dir, "go.mod"), STAGED.local.gomod);
      const home = join(dir, "home");
      mkdirSync(home);
      const env: Record<string, string> = {
        PATH: process.env.PATH ?? "/usr/bin:/bin",
        HOME: home,
        GOPATH: join(home, "gopath"),
        GOMODCACHE: join(home, "modcache"),
        GOCACHE: join(home, "gocache"),
        GOPROXY: goproxy,
        // The database itself, as the resolution's lean probes read it; it records the origin's bytes.
        GOSUMDB: sim.sumdb?.gosumdb ?? "",
        GOFLAGS: "-mod=mod -modcacherw",
        GOENV: "off",
        GO111MODULE: "on",
        GOTOOLCHAIN: "local",
        GIT_TERMINAL_PROMPT: "0",
        GIT_CONFIG_NOSYSTEM: "1",
        // `direct` goes through the database's CONNECT proxy, which refuses every origin: it fails at once.
        ...sim.sumdb?.directEnv,
      };
      const since = sim.log().at(-1)?.seq ?? 0;
      let ok = true;
      let stderr = "";
      try {
        // (The cast: Next's types make NODE_ENV a required key of ProcessEnv; go needs none of it.)
        ({ stderr } = await run(goBin, ["mod", "download"], { cwd: dir, env: env as NodeJS.ProcessEnv, timeout: GO_TIMEOUT_MS }));
      } catch (err) {
        const e = err as { stderr?: string; killed?: boolean };
        if (e.killed) throw new Error(`go mod download with GOPROXY=${readable(goproxy)} timed out`);
        ok = false;
        stderr = e.stderr ?? "";
      }
      // Runs overlap: this run's requests are told apart by nothing, so this is only read where runs are alone.
      const asked = sim
        .log()
        .filter((e) => e.seq > since && e.module !== undefined && e.version !== undefined)
        .map((e) => ({ mirror: e.mirror, module: e.module ?? "", version: e.version ?? "" }));
      rmSync(dir, { recursive: true, force: true });
      return { ok, stderr: readable(stderr), asked };
    });
  }

  it("(i) the whole go.mod: we say it does not resolve, and go fails through each mirror alone", async () => {
    const dto = await resolution({}, false);
    expect(dto.advice.goproxy === null || dto.unresolvable.length > 0).toBe(true);
    const runs = await Promise.all(RESOLVE_MIRRORS.map(async (m) => ({ m, r: await goModDownload({}, baseOf(m)) })));
    for (const { m, r } of runs) {
      expect(r.ok, `GOPROXY=${m}: ${r.stderr}`).toBe(false);
      expect(dto.chains?.find((c) => c.goproxy === baseOf(m))?.result, m).toBe("fail");
      expect(r.stderr, m).toContain(`go: dropping requirement on excluded version ${STAGED.excluded.module} ${STAGED.excluded.version}`);
    }
    // The unknown module is what the reference stops at (the graph is loaded before any download).
    expect(runs[0]?.r.stderr).toContain(`${STAGED.unknown.module}@${STAGED.unknown.version}: reading proxy.golang.org/${STAGED.unknown.module}/@v/${STAGED.unknown.version}.mod: 404 Not Found`);
  });

  it("(ii) without the unknown requirement: (f) still stops go ('not a known dependency'), as we say", async () => {
    const variant = { unknown: false };
    const dto = await resolution(variant, false);
    expect(dto.requirements.map(actualRow)).toEqual(variantRequirements(variant).map((r) => expectedRow(r, false)));
    expect(dto.advice.goproxy).toBeNull();
    expect(dto.unresolvable).toEqual([{ module: STAGED.excluded.module, version: STAGED.excluded.version, code: null, goprivate: null }]);
    // Each mirror alone and the pair of the two mirrors that each lack something: all fail. Where every probed
    // requirement is served (proxy.golang.org alone, the pair), what stops go is (f) itself.
    const pair = `${baseOf("goproxy.cn")},${baseOf("proxy.golang.com.cn")}`;
    const runs = await Promise.all([...RESOLVE_MIRRORS.map(baseOf), pair].map(async (v) => ({ v, r: await goModDownload(variant, v) })));
    for (const { v, r } of runs) {
      expect(dto.chains?.find((c) => c.goproxy === v)?.result, readable(v)).toBe("fail");
      expect(r.ok, readable(v)).toBe(false);
      if (v === baseOf("proxy.golang.org") || v === pair) expect(r.stderr, readable(v)).toContain(`go: module ${STAGED.excluded.module}: not a known dependency`);
    }
  });

  it("(iii) and requiring the next release instead: go succeeds through our advice, and through each value exactly when we say so", async () => {
    const variant = { unknown: false, excludedRequired: false };
    const dto = await resolution(variant, false);
    const advice = dto.advice.goproxy;
    if (advice === null) throw new Error(`no advice: ${dto.advice.reason}`);
    // Each mirror alone and each ordered pair with `,` and with `|` (15 values, the advice among them), and those with
    // `,direct` that we do not say resolve (6); the 9 others never reach `direct`, so go does what it does without it.
    const chains = (dto.chains ?? []).filter((c) => !c.goproxy.endsWith(",direct") || c.result !== "ok");
    expect(chains).toHaveLength(21);
    expect(chains.map((c) => c.goproxy)).toContain(advice);
    const runs = await Promise.all(chains.map(async (c) => ({ c, r: await goModDownload(variant, c.goproxy) })));
    const disagreements = runs.filter(({ c, r }) => (c.result === "ok") !== r.ok).map(({ c, r }) => `GOPROXY=${readable(c.goproxy)}: we say ${c.result}, go ${r.ok ? "succeeded" : `failed: ${r.stderr}`}`);
    expect(disagreements).toEqual([]);
    expect(runs.find(({ c }) => c.goproxy === advice)?.r.ok).toBe(true);
    // The failures are the staged ones: (c) ends the command through proxy.golang.com.cn first even after `|`; (a) 404s.
    const failureOf = (value: string) => runs.find(({ c }) => c.goproxy === value)?.r.stderr ?? "";
    expect(failureOf(`${baseOf("proxy.golang.com.cn")}|${baseOf("proxy.golang.org")}`)).toMatch(
      new RegExp(`verifying ${STAGED.contradicted.module}@${STAGED.contradicted.version}/go.mod: checksum mismatch[\\s\\S]*go.sum: +h1:[\\s\\S]*SECURITY ERROR`),
    );
    expect(failureOf(baseOf("goproxy.cn"))).toContain(`${STAGED.missing.module}@${STAGED.missing.version}: reading goproxy.cn/github.com/%21masterminds/semver/v3/@v/${STAGED.missing.version}.mod: 404 Not Found`);
  });

  it("(iii) with zips asked and a go.sum of zip lines too: the same chains, and go succeeds through the advice and the pair", async () => {
    const variant = { unknown: false, excludedRequired: false };
    const [lean, full] = [await resolution(variant, false), await resolution(variant, true)];
    expect(full.chains).toEqual(lean.chains);
    expect(full.advice.goproxy).toBe(lean.advice.goproxy);
    const pair = `${baseOf("goproxy.cn")},${baseOf("proxy.golang.com.cn")}`;
    expect(full.chains?.find((c) => c.goproxy === pair)?.result).toBe("ok");
    const advised = await goModDownload(variant, full.advice.goproxy ?? "", gosumWithZips);
    expect(advised.ok, advised.stderr).toBe(true);
    sim.clearLog();
    const r = await goModDownload(variant, pair, gosumWithZips);
    expect(r.ok, r.stderr).toBe(true);
    // go took (a) from the second mirror after goproxy.cn's 404s, and never asked for the replaced path, the directory
    // or the excluded version.
    const fromMirrors = r.asked.filter((a) => (RESOLVE_MIRRORS as readonly string[]).includes(a.mirror));
    const missing = fromMirrors.filter((a) => a.module === STAGED.missing.module && a.version === STAGED.missing.version).map((a) => a.mirror);
    expect(missing.sort()).toEqual(["goproxy.cn", "goproxy.cn", "goproxy.cn", "proxy.golang.com.cn", "proxy.golang.com.cn", "proxy.golang.com.cn"]);
    expect(fromMirrors.filter((a) => ([STAGED.replaced.module, STAGED.local.module] as string[]).includes(a.module) || a.version === STAGED.excluded.version)).toEqual([]);
  });
});
