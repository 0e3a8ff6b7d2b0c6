// The chain predictions against the real go command: for every DOCTOR_CASE, the probe's predicted GOPROXY chains are
// each run through go1.19 (`go mod download -json M@V`, a fresh GOPATH per run) against the simulator, and the
// prediction must match what go did: success, the mirror whose zip it took, where it read the checksum database,
// and the failure (its kind, and its text byte for byte when the chain fails before reaching `direct`).
//
// `direct` means the origin, which does not exist here: HTTPS_PROXY is the checksum database's CONNECT proxy
// (sim.sumdb.directEnv), which refuses every host but the database's own, so git and go-get fail at once.
//
// Differences that remain, each asserted for what it is rather than skipped:
// - The slow .info (sarama@v1.60.0 on proxy.golang.com.cn): the probe timed out, so the chains that start there
//   predict what the probe saw; go1.19 has no proxy timeout, waits, and takes every file from that mirror.
// - Chains that take a file from `direct`: go stops there (no origin). Where the prediction goes on to a failure after
//   the origin's answer (every mirror 404s and the database has no record: "verifying go.mod: … lookup …: 404"),
//   that text is only checked to be a failure: with a reachable origin go would usually report the origin's own
//   error at .info instead (e.g. "invalid version: unknown revision v5.4.0"), and the predicted text is what a user
//   who can read a private repository sees without GONOSUMDB.
import { execFile } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createSimClock, startMirrorSim } from "@/e2e/mirror-sim";
import type { MirrorSim, RequestLogEntry } from "@/e2e/mirror-sim";
import { DOCTOR_CASES, DOCTOR_PROBE_TIMEOUT_MS, DOCTOR_REFERENCE, DOCTOR_SLOW_ANSWER_MS, DOCTOR_START, doctorScenario } from "@/e2e/mirror-sim/scenarios/doctor";
import type { DiagnosisCode, DoctorCase } from "@/e2e/mirror-sim/scenarios/doctor";
import { createTestService } from "@/e2e/support/test-service";
import { doctorInputOf, predictChainDetails, toProbeDto } from "@/lib/doctor";
import type { ChainDetail, FileKind, ProbeDto } from "@/lib/doctor";
import { goBin, inCI, warnIfNoGo } from "@/e2e/mirror-sim/go-binary";
import { limiter } from "@/e2e/support/limiter";

const run = promisify(execFile);
/** Four go processes at once keep two cores busy without starving the simulator, which answers from this process. */
const GO_CONCURRENCY = 4;
const GO_TIMEOUT_MS = 60_000;
const CASE_TIMEOUT_MS = 10 * 60_000;
/** A chain that ends in an unreachable `direct` must fail fast, not wait on a network. */
const DIRECT_FAILS_WITHIN_MS = 20_000;

warnIfNoGo("chains-go test");

type GoDownload = { Path?: string; Version?: string; Sum?: string; GoModSum?: string; Error?: string };
type GoResult = { code: number; json: GoDownload; ms: number; log: RequestLogEntry[] };

/** What went wrong, read the same way from a predicted error and from go's: the comparison that must always hold. */
type FailureKind = "none" | "checksum_mismatch" | "sumdb_malformed" | "sumdb_signature" | "sumdb_tile" | "not_found" | "http_status" | "network" | "direct" | "other";

function failureKind(text: string | null | undefined): FailureKind {
  if (!text) return "none";
  if (/checksum mismatch[\s\S]*SECURITY ERROR/.test(text)) return "checksum_mismatch";
  if (/verifying (go\.mod|module): .*malformed record data/.test(text)) return "sumdb_malformed";
  if (/verifying (go\.mod|module): .*invalid signature for key/.test(text)) return "sumdb_signature";
  if (/verifying (go\.mod|module): .*inconsistent tile/.test(text)) return "sumdb_tile";
  // Before `direct`: a mirror's not-found body quotes the origin's git errors too.
  if (/reading http\S+: (404 Not Found|410 Gone)/.test(text)) return "not_found";
  if (/reading http\S+: [5]\d\d /.test(text)) return "http_status";
  if (/Get "http:\/\/127\.0\.0\.1:\d+\//.test(text)) return "network";
  // The origin, through the CONNECT proxy that refuses it: git's or go-get's own words.
  if (/git ls-remote|unrecognized import path|\?go-get=1/.test(text)) return "direct";
  return "other";
}


const FILES: readonly FileKind[] = ["info", "mod", "zip"];

describe.skipIf(!goBin && !inCI)("the predicted GOPROXY chains, run through the real go command", () => {
  let sim: MirrorSim;
  let work: string;
  let homes = 0;
  const slot = limiter(GO_CONCURRENCY);
  const probes = new Map<DoctorCase, { dto: ProbeDto; details: ChainDetail[] }>();
  let goRuns = 0;
  /** How each chain was compared, for the summary: a run that compares nothing should be visible. */
  const tally = new Map<string, number>();
  const count = (what: string) => tally.set(what, (tally.get(what) ?? 0) + 1);

  beforeAll(async () => {
    const clock = createSimClock(DOCTOR_START);
    sim = await startMirrorSim(doctorScenario(), { clock });
    if (!sim.sumdb?.directEnv) throw new Error("the doctor scenario has a checksum database reachable as https://<name>");
    work = mkdtempSync(join(tmpdir(), "mirrorlag-chains-go-"));
    const { service } = createTestService({
      mirrorsEnv: sim.mirrorsEnv,
      reference: DOCTOR_REFERENCE,
      clock: clock.now,
      env: { SUMDB: sim.sumdb.gosumdb, REQUEST_TIMEOUT_MS: String(DOCTOR_PROBE_TIMEOUT_MS), ZIP_TIMEOUT_MS: String(4 * DOCTOR_PROBE_TIMEOUT_MS) },
    });
    // All probes before any go process runs: the probe's 500 ms timeout must only fire on the slow answer.
    for (const c of DOCTOR_CASES) {
      const outcome = await service.runProbe(c.module, c.version, true);
      if (!outcome.ok) throw new Error(`probe of ${c.module}@${c.version}: ${outcome.message}`);
      probes.set(c, { dto: toProbeDto(outcome.probe, "en"), details: predictChainDetails(doctorInputOf(outcome.probe)) });
    }
  }, 120_000);

  afterAll(async () => {
    await sim?.close();
    if (work) rmSync(work, { recursive: true, force: true });
    if (goRuns > 0) console.info(`chains-go: ${goRuns} go runs over ${DOCTOR_CASES.length} cases: ${[...tally].map(([k, n]) => `${k} ${n}`).join(", ")}`);
  });

  /** One `go mod download -json M@V` in a fresh GOPATH, and the simulator's requests for M@V while it ran. */
  async function goDownload(c: DoctorCase, goproxy: string): Promise<GoResult> {
    return slot(async () => {
      if (!goBin) throw new Error("`go` is not on PATH and CI is set: the chains-go test cannot run");
      const home = join(work, `home-${++homes}`);
      mkdirSync(home);
      // Clean: no GONOSUMDB/GOPRIVATE/GONOPROXY/GOINSECURE, no user go env file; GOSUMDB is the key alone, so go reads
      // the database through each GOPROXY entry's /sumdb/ as it would sum.golang.org's.
      const env: Record<string, string> = {
        PATH: process.env.PATH ?? "/usr/bin:/bin",
        HOME: home,
        GOPATH: join(home, "gopath"),
        GOMODCACHE: join(home, "modcache"),
        GOCACHE: join(home, "gocache"),
        GOPROXY: goproxy,
        GOSUMDB: sim.sumdb?.verifierKey ?? "",
        GOFLAGS: "-mod=mod -modcacherw",
        GOENV: "off",
        GO111MODULE: "on",
        GOTOOLCHAIN: "local",
        GIT_TERMINAL_PROMPT: "0",
        GIT_CONFIG_NOSYSTEM: "1",
        ...sim.sumdb?.directEnv,
      };
      // The log is shared by concurrent runs: each case's chains run one after another and no other case asks for
      // its module@version, so "after this seq, for M@V" is this run's log (a clearLog would wipe the others').
      const since = sim.log().at(-1)?.seq ?? 0;
      const started = performance.now();
      let code = 0;
      let stdout = "";
      let stderr = "";
      try {
        // (The cast: Next's types make NODE_ENV a required key of ProcessEnv; go needs none of it.)
        ({ stdout, stderr } = await run(goBin, ["mod", "download", "-json", `${c.module}@${c.version}`], { cwd: home, env: env as NodeJS.ProcessEnv, timeout: GO_TIMEOUT_MS }));
      } catch (err) {
        const e = err as { stdout?: string; stderr?: string; code?: number | string; killed?: boolean };
        if (e.killed) throw new Error(`go mod download with GOPROXY=${goproxy} timed out after ${GO_TIMEOUT_MS} ms`);
        stdout = e.stdout ?? "";
        stderr = e.stderr ?? "";
        code = typeof e.code === "number" ? e.code : 1;
      }
      const ms = performance.now() - started;
      goRuns++;
      rmSync(home, { recursive: true, force: true });
      if (!stdout.trim()) throw new Error(`no JSON from go mod download (exit ${code}): ${stderr}`);
      const log = sim.log().filter((e) => e.seq > since && e.module === c.module && e.version === c.version);
      return { code, json: JSON.parse(stdout) as GoDownload, ms, log };
    });
  }

  const nameOf = (baseUrl: string) => sim.mirrors.find((m) => m.baseUrl === baseUrl)?.name ?? baseUrl;
  const readable = (goproxy: string) => goproxy.replace(/http:\/\/127\.0\.0\.1:\d+/g, nameOf);

  /** Who answered `file` with 200 in this run (a mirror name), in request order. */
  const servedFile = (r: GoResult, file: FileKind) => r.log.filter((e) => e.kind === file && e.status === 200).map((e) => e.mirror);
  /** Where go read the checksum database for M@V: a mirror's /sumdb/ proxy, "direct" (the database itself), or null. */
  const sumdbReadVia = (r: GoResult): string | null => {
    const lookups = r.log.filter((e) => e.kind === "sumdb" && e.path.includes("/lookup/"));
    const via = [...new Set(lookups.map((e) => (e.mirror === sim.sumdb?.name ? "direct" : e.mirror)))];
    if (via.length > 1) throw new Error(`go read the checksum database through ${via.join(" and ")} in one run`);
    return via[0] ?? null;
  };

  it("go is on PATH", () => {
    expect(goBin, "`go` must be installed when CI is set").toBeDefined();
  });

  it("predicts the same chains in the probe's DTO and its details, and the cases cover every diagnosis code", () => {
    const codes = new Set<DiagnosisCode>();
    for (const c of DOCTOR_CASES) {
      const p = probes.get(c);
      expect(p, `${c.module}@${c.version} probed`).toBeDefined();
      if (!p) continue;
      expect(p.details).toEqual(p.dto.goproxy.chains);
      // Each mirror alone and each ordered pair with `,` and `|`, each also followed by `,direct`.
      expect(p.dto.goproxy.chains).toHaveLength(30);
      for (const m of Object.values(p.dto.mirrors)) codes.add(m.diagnosis.code);
    }
    expect([...codes].sort()).toEqual(
      ["served", "retracted_served", "not_yet_on_mirror", "no_such_version", "no_such_module", "path_mismatch", "invalid_version", "mirror_error", "hash_mismatch", "sumdb_unverified"].sort(),
    );
  });

  for (const c of DOCTOR_CASES) {
    it.concurrent(
      `${c.module}@${c.version}: every chain as predicted`,
      async ({ expect }) => {
        const p = probes.get(c);
        if (!p) throw new Error(`${c.module}@${c.version} was not probed`);
        // Mirrors whose .info the probe saw time out: the go command has no timeout of its own (see below).
        const timedOut = new Set(Object.entries(p.dto.mirrors).filter(([, m]) => m.info.reason === "timeout").map(([name]) => name));
        let compared = 0;
        for (const chain of p.details) {
          const label = `GOPROXY=${readable(chain.goproxy)}`;
          const r = await goDownload(c, chain.goproxy);
          const goError = r.json.Error ?? null;
          const servedBy = servedFile(r, "zip");
          expect(servedBy.length, `${label}: one zip at most`).toBeLessThanOrEqual(1);
          const first = nameOf(chain.goproxy.split(/[,|]/)[0] ?? "");

          if (timedOut.has(first)) {
            // The probe gave up on this mirror's .info after DOCTOR_PROBE_TIMEOUT_MS, so the prediction says what the probe
            // saw: a comma list stops on the error, a `|` list takes the .info from the next mirror. go1.19 sets no timeout
            // for a proxy: it waits DOCTOR_SLOW_ANSWER_MS for the answer and takes every file from this mirror. (A mirror
            // that never answers would block go forever, whatever the separator.)
            const piped = chain.goproxy.startsWith(`${sim.mirrors.find((m) => m.name === first)?.baseUrl}|`);
            if (piped) {
              expect(chain.result, label).toBe("ok");
              expect(chain.files.info, label).not.toBe(first);
              expect(sumdbReadVia(r), label).toBe(chain.sumdbVia);
            } else {
              expect(chain.result, label).toBe("fail");
              expect(chain.error, label).toMatch(/^go: \S+: Get "http:\/\/127\.0\.0\.1:\d+\/\S+\.info": timed out after \d+ ms waiting for response headers$/);
            }
            expect(r.code, `${label}: ${goError}`).toBe(0);
            expect(servedFile(r, "info"), label).toEqual([first]);
            expect(servedBy, label).toEqual([first]);
            expect(r.ms, label).toBeGreaterThanOrEqual(DOCTOR_SLOW_ANSWER_MS);
            count("probe timeout, go waited");
            compared++;
            continue;
          }

          // The first file the prediction takes from the origin: go gets no further than that here.
          const stop = FILES.find((f) => chain.files[f] === "direct");
          if (stop !== undefined) {
            const reached = (f: FileKind) => FILES.indexOf(f) < FILES.indexOf(stop);
            expect(r.code, `${label}: ${goError}`).not.toBe(0);
            expect(failureKind(goError), `${label}: ${goError}`).toBe("direct");
            // Refused by the database's CONNECT proxy (git: "CONNECT tunnel failed, response 403"; go-get: "Forbidden").
            expect(goError, label).toMatch(/response 403|Forbidden/);
            expect(r.ms, `${label}: direct fails fast`).toBeLessThan(DIRECT_FAILS_WITHIN_MS);
            // Never a success. A "fail" here is what the prediction expects after the origin answered (e.g. the checksum
            // database has no record, as for a private module without GONOSUMDB): go cannot get that far without an origin.
            expect(["needs_direct", "fail"], label).toContain(chain.result);
            expect(servedFile(r, "info"), label).toEqual(reached("info") && chain.files.info ? [chain.files.info] : []);
            expect(servedBy, label).toEqual(reached("zip") && chain.servedBy ? [chain.servedBy] : []);
            expect(sumdbReadVia(r), label).toBe(stop === "zip" ? chain.sumdbVia : null);
            count(`origin needed (${chain.result})`);
          } else {
            expect(chain.result, label).not.toBe("needs_direct");
            expect(r.code === 0, `${label}: predicted ${chain.result}, go said ${goError}`).toBe(chain.result === "ok");
            expect(failureKind(goError), `${label}: ${goError}`).toBe(failureKind(chain.error));
            expect(servedFile(r, "info"), label).toEqual(chain.files.info ? [chain.files.info] : []);
            expect(servedBy, label).toEqual(chain.servedBy ? [chain.servedBy] : []);
            expect(sumdbReadVia(r), label).toBe(chain.sumdbVia);
            // The prediction is what a terminal shows ("go: " + the error); the JSON's Error is the error alone.
            if (chain.result === "fail") expect(goError, label).toBe(chain.error?.replace(/^go: /, ""));
            count(chain.result === "ok" ? "ok" : `fail, same text (${failureKind(goError)})`);
          }
          compared++;
        }
        expect(compared).toBe(p.details.length);
      },
      CASE_TIMEOUT_MS,
    );
  }
});
